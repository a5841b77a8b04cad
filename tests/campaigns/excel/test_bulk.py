"""The office's bulk upload: many units' files, or a zip, each saved or refused on its own."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campaigns.excel.signature import FORM_SHEET
from campaigns.models import Entry, ReportStatus
from campaigns.services import plan as plan_services
from campaigns.services.reporting import (
    reports_ensure,
)
from tests.conftest import Plan, Tree, client_for

from .conftest import (
    XLSX,
    as_bytes,
    cell_for,
    download,
    snapshot,
)

# Bulk: many units' files at once, each saved or refused on its own.


@pytest.fixture
def third(plan: Plan, tree: Tree) -> Any:
    """The bureau's welfare centre joins the contest, so three units report."""
    plan_services.task_save(
        task=plan.contest,
        participants=[tree.township_a, tree.township_b, tree.institution_bureau],
    )
    reports_ensure(plan.period)
    return tree.institution_bureau


def filled_file(client: Client, plan: Plan, unit: Any, numerator: Any = 5) -> bytes:
    workbook = download(client, plan, unit)
    sheet = workbook[FORM_SHEET]
    sheet[cell_for(sheet, "集中供养率", "分子")] = numerator
    sheet[cell_for(sheet, "集中供养率", "分母")] = 10
    return as_bytes(workbook)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_it_loads_a_zip_of_units_files_each_on_its_own(third, plan: Plan, tree: Tree, office):
    client = client_for(office)
    archive = zipped(
        {
            "甲街道.xlsx": filled_file(client, plan, tree.township_a),
            "乙镇.xlsx": filled_file(client, plan, tree.township_b, numerator="=3+4"),
            "福利中心.xlsx": filled_file(client, plan, third),
        }
    )
    b_before = list(
        Entry.objects.filter(report__unit=tree.township_b).values_list("numerator", "denominator")
    )
    response = client.post(
        reverse("campaigns:reports_bulk_upload", args=[plan.period.pk]),
        {"files": [SimpleUploadedFile("四月.zip", archive, "application/zip")], "mode": "draft"},
    )
    assert response.status_code == 200
    results = {r.name: r for r in response.context["results"]}
    assert [r.ok for r in results.values()] == [True, False, True]
    assert results["四月.zip / 甲街道.xlsx"].saved == 2
    assert results["四月.zip / 福利中心.xlsx"].unit == "测试区社会福利中心"
    problem = str(results["四月.zip / 乙镇.xlsx"].problems[0])
    assert problem.startswith(f"{FORM_SHEET}!G") and "不能使用公式" in problem
    assert "2 个已导入，1 个未导入" in response.content.decode()
    from audit.models import Event

    assert Event.objects.order_by("-id").values_list("outcome", flat=True).first() == "invalid"
    for unit in (tree.township_a, third):
        entry = Entry.objects.get(report__unit=unit, report__task=plan.contest)
        assert (entry.numerator, entry.denominator) == (Decimal(5), Decimal(10))
    assert b_before == list(
        Entry.objects.filter(report__unit=tree.township_b).values_list("numerator", "denominator")
    )


def test_it_takes_several_files_and_refuses_the_second_of_a_unit(plan: Plan, tree: Tree, office):
    client = client_for(office)
    files = [
        SimpleUploadedFile("甲.xlsx", filled_file(client, plan, tree.township_a), XLSX),
        SimpleUploadedFile("甲-又一份.xlsx", filled_file(client, plan, tree.township_a, 7), XLSX),
        SimpleUploadedFile("说明.txt", "请查收".encode(), "text/plain"),
    ]
    response = client.post(
        reverse("campaigns:reports_bulk_upload", args=[plan.period.pk]),
        {"files": files, "mode": "draft"},
    )
    results = response.context["results"]
    assert [r.ok for r in results] == [True, False, False]
    assert "与“甲.xlsx”是同一单位同一期的模板" in str(results[1].problems[0])
    assert "这不是 Excel 工作簿" in str(results[2].problems[0])
    entry = Entry.objects.get(report__unit=tree.township_a, report__task=plan.contest)
    assert entry.numerator == Decimal(5)
    assert entry.report.status == ReportStatus.DRAFT
    from audit.models import Event

    event = Event.objects.order_by("-id").first()
    assert event is not None and event.outcome == "invalid"
    assert event.detail["saved_files"] == ["甲.xlsx"]
    assert event.detail["refused_files"] == ["甲-又一份.xlsx", "说明.txt"]


def test_it_guards_against_zip_bombs(plan: Plan, office):
    from campaigns.excel import bulk

    many = zipped({f"{i}.xlsx": b"x" for i in range(bulk.MAX_ARCHIVE_MEMBERS + 1)})
    bomb = zipped({"大.xlsx": b"\0" * (bulk.MAX_BYTES + 1)})
    results = bulk.bulk_load(
        files=[bulk.Incoming("many.zip", many), bulk.Incoming("bomb.zip", bomb)],
        user=office,
        submit=False,
    )
    assert [r.ok for r in results] == [False, False]
    assert "一次最多" in str(results[0].problems[0])
    assert "过大" in str(results[1].problems[0])
    assert len(bomb) < 100_000  # it was small on the wire


def test_it_keeps_the_bulk_page_to_the_office(plan: Plan, leader, section, township_a):
    url = reverse("campaigns:reports_bulk_upload", args=[plan.period.pk])
    assert client_for(leader).get(url).status_code == 403
    assert client_for(section).get(url).status_code == 403
    assert client_for(township_a).get(url).status_code == 404


def test_it_refuses_in_bulk_a_unit_the_uploader_does_not_act_for(
    plan: Plan, tree: Tree, office, township_a
):
    from campaigns.excel.bulk import Incoming, bulk_load

    data = filled_file(client_for(office), plan, tree.township_b)
    before = snapshot()
    [result] = bulk_load(files=[Incoming("乙.xlsx", data)], user=township_a, submit=False)
    assert not result.ok and "不能为这个单位上传" in str(result.problems[0])
    assert snapshot() == before
