"""The month as units, sections and the office live it: fill, submit, review, deadlines, reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from campaigns.models import Entry, Evidence, Report, ReportStatus
from campaigns.services import reporting as services
from campaigns.services.evidence import evidence_add
from campaigns.tasks import open_periods
from org.models import Notice, Role
from tests.conftest import Plan, Tree, client_for, make_user

BEFORE_DUE = time_machine.travel(date(2020, 5, 2), tick=False)


def contest_report(plan: Plan, unit) -> Report:
    return Report.objects.get(period=plan.period, task=plan.contest, unit=unit)


def fill(report: Report, *, num: str = "30", den: str = "50", submit: bool = False, **texts):
    entry = report.entries.get()
    data = {
        "version": report.version,
        f"e{entry.pk}_numerator": num,
        f"e{entry.pk}_denominator": den,
        "progress": texts.get("progress", "劝导 12 名分散供养人员入住托管机构"),
        "problems": texts.get("problems", "部分老人不愿离家"),
        "plans": texts.get("plans", "继续上门劝导"),
    }
    if submit:
        data["submit"] = "1"
    return data


def snapshot(report: Report) -> tuple:
    report.refresh_from_db()
    entries = list(report.entries.values_list("value", "numerator", "denominator", "stage"))
    return (report.status, report.version, report.progress, entries, report.transitions.count())


def test_it_opens_a_period_once_with_a_report_per_participant_and_task(plan: Plan, tree: Tree):
    assert plan.period.label == "2020年4月"
    assert plan.period.due == date(2020, 5, 3)
    reports = Report.objects.filter(period=plan.period)
    assert {(r.task.title, r.unit.name) for r in reports} == {
        ("甲街道综合养老服务中心攻坚战", "甲街道"),
        ("特困人员供养水平擂台赛", "甲街道"),
        ("特困人员供养水平擂台赛", "乙镇"),
    }
    assert Entry.objects.filter(report__period=plan.period).count() == 3
    again = services.period_open(campaign=plan.published, day=date(2020, 4, 30))
    assert again == plan.period
    assert Report.objects.filter(period=plan.period).count() == 3
    assert Entry.objects.filter(report__period=plan.period).count() == 3


def test_it_refuses_a_period_of_a_draft_or_outside_the_plan(plan: Plan):
    with pytest.raises(ValidationError, match="方案发布后才能开启调度期"):
        services.period_open(campaign=plan.draft, day=date(2020, 5, 1))
    with pytest.raises(ValidationError, match="2021年1月不在方案期限内"):
        services.period_open(campaign=plan.published, day=date(2021, 1, 10))


def test_it_opens_the_periods_of_running_plans_from_the_scheduled_task(plan: Plan):
    first = open_periods("2020-05-01")
    assert open_periods("2020-05-01") == first  # twice, the same period and no duplicates
    assert Report.objects.filter(period_id__in=first).count() == 3


@BEFORE_DUE
def test_it_saves_a_draft_with_whatever_is_typed(plan: Plan, tree: Tree, township_a):
    report = contest_report(plan, tree.township_a)
    data = fill(report, num="", den="", plans="")
    response = client_for(township_a).post(
        reverse("campaigns:report_detail", args=[report.pk]), data
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.version == 2
    assert report.progress == "劝导 12 名分散供养人员入住托管机构"


@BEFORE_DUE
def test_it_submits_only_a_complete_report_and_saves_nothing_otherwise(
    plan: Plan, tree: Tree, township_a
):
    report = contest_report(plan, tree.township_a)
    before = snapshot(report)
    client = client_for(township_a)
    url = reverse("campaigns:report_detail", args=[report.pk])
    response = client.post(url, fill(report, den="", plans="", submit=True))
    text = response.content.decode()
    assert response.status_code == 200
    assert "“集中供养率”的分子和分母要一起填" in text and "“下步打算”还没有填写" in text
    assert "劝导 12 名分散供养人员入住托管机构" in text, "what was typed is shown back"
    assert snapshot(report) == before
    response = client.post(url, fill(report, num="60", den="50", submit=True))
    assert "“集中供养率”的分子 60 大于分母 50" in response.content.decode()
    assert snapshot(report) == before
    response = client.post(url, fill(report, num="abc", submit=True))
    assert "“集中供养率”的分子填的“abc”不是数字" in response.content.decode()
    assert snapshot(report) == before
    assert client.post(url, fill(report, submit=True)).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.late
    assert report.entries.get().numerator == Decimal(30)


@BEFORE_DUE
def test_it_tells_the_second_of_two_editors_and_keeps_their_input(
    plan: Plan, tree: Tree, township_a
):
    colleague = make_user("jia-2", Role.TOWNSHIP, tree.township_a)
    report = contest_report(plan, tree.township_a)
    url = reverse("campaigns:report_detail", args=[report.pk])
    mine, theirs = fill(report, progress="我写的进展"), fill(report, progress="同事写的进展")
    assert client_for(colleague).post(url, theirs).status_code == 302
    response = client_for(township_a).post(url, mine)
    text = response.content.decode()
    assert response.status_code == 200
    assert "已经修改并保存了它" in text
    assert "我写的进展" in text and "同事写的进展" in text
    report.refresh_from_db()
    assert report.progress == "同事写的进展" and report.version == 2
    # Saving again from the page (which now carries version 2) goes through.
    mine["version"] = 2
    assert client_for(township_a).post(url, mine).status_code == 302
    report.refresh_from_db()
    assert report.progress == "我写的进展"


@BEFORE_DUE
def test_it_runs_submit_return_resubmit_accept_and_records_each_step(
    plan: Plan, tree: Tree, township_a, section, django_capture_on_commit_callbacks
):
    report = contest_report(plan, tree.township_a)
    url = reverse("campaigns:report_detail", args=[report.pk])
    review = reverse("campaigns:report_review", args=[report.pk])
    entry = report.entries.get()
    client_for(township_a).post(url, fill(report, submit=True))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(section).post(
            review,
            {
                "decision": "return",
                "reason": "分母应为全部不能自理人数",
                "field": f"entry:{entry.pk}",
            },
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert Notice.objects.filter(recipient=township_a, body="分母应为全部不能自理人数").exists()
    page = client_for(township_a).get(url).content.decode()
    assert "分母应为全部不能自理人数" in page and "涉及：集中供养率" in page
    client_for(township_a).post(url, fill(report, den="55", submit=True))
    client_for(section).post(review, {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    steps = list(
        report.transitions.values_list("from_status", "to_status", "by__username", "reason")
    )
    assert steps == [
        ("draft", "submitted", "township_a", ""),
        ("submitted", "returned", "section", "分母应为全部不能自理人数"),
        ("returned", "submitted", "township_a", ""),
        ("submitted", "accepted", "section", ""),
    ]


@BEFORE_DUE
def test_it_refuses_a_return_without_reason(plan: Plan, tree: Tree, township_a, section):
    report = contest_report(plan, tree.township_a)
    client_for(township_a).post(
        reverse("campaigns:report_detail", args=[report.pk]), fill(report, submit=True)
    )
    client_for(section).post(
        reverse("campaigns:report_review", args=[report.pk]), {"decision": "return", "reason": " "}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@BEFORE_DUE
def test_it_keeps_each_report_to_its_unit_and_its_section(
    plan: Plan, tree: Tree, township_a, township_b, section, leader
):
    report = contest_report(plan, tree.township_a)
    url = reverse("campaigns:report_detail", args=[report.pk])
    assert client_for(township_b).get(url).status_code == 404
    assert client_for(township_b).post(url, fill(report, submit=True)).status_code == 404
    assert client_for(leader).get(url).status_code == 200
    assert client_for(leader).post(url, fill(report, submit=True)).status_code == 403
    assert client_for(section).post(url, fill(report, submit=True)).status_code == 403
    client_for(township_a).post(url, fill(report, submit=True))
    review = reverse("campaigns:report_review", args=[report.pk])
    assert client_for(township_a).post(review, {"decision": "accept"}).status_code == 403
    other = make_user("yanglao", Role.SECTION, tree.other_section)
    assert client_for(other).post(review, {"decision": "accept"}).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    queue = client_for(section).get(reverse("campaigns:my_reports")).content.decode()
    assert "甲街道" in queue and "乙镇" not in queue


def test_it_flags_late_submissions_and_locks_after_the_grace_days(
    plan: Plan, tree: Tree, township_a, township_b, office
):
    report_a, report_b = (
        contest_report(plan, tree.township_a),
        contest_report(plan, tree.township_b),
    )
    with time_machine.travel(date(2020, 5, 4), tick=False):  # due 5月3日, grace 2 days
        client_for(township_a).post(
            reverse("campaigns:report_detail", args=[report_a.pk]), fill(report_a, submit=True)
        )
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.SUBMITTED and report_a.late
    with time_machine.travel(date(2020, 5, 6), tick=False):
        url = reverse("campaigns:report_detail", args=[report_b.pk])
        assert "已过补报期限（5月5日）" in client_for(township_b).get(url).content.decode()
        assert client_for(township_b).post(url, fill(report_b, submit=True)).status_code == 403
        reopen = reverse("campaigns:report_reopen", args=[report_b.pk])
        client_for(township_b).post(reopen, {"reason": "自己开放", "until": "2020-05-08"})
        client_for(office).post(reopen, {"reason": "", "until": "2020-05-08"})
        report_b.refresh_from_db()
        assert report_b.unlocked_until is None
        client_for(office).post(reopen, {"reason": "镇里系统故障，补报", "until": "2020-05-08"})
        report_b.refresh_from_db()
        assert report_b.unlocked_until == date(2020, 5, 8)
        assert client_for(township_b).post(url, fill(report_b, submit=True)).status_code == 302
    report_b.refresh_from_db()
    assert report_b.status == ReportStatus.SUBMITTED and report_b.late
    assert report_b.transitions.filter(
        action="reopen", reason="镇里系统故障，补报", by=office
    ).exists()


@BEFORE_DUE
def test_it_locks_a_closed_period_until_the_office_reopens_a_report(
    plan: Plan, tree: Tree, township_b, office
):
    client_for(office).post(reverse("campaigns:period_close", args=[plan.period.pk]))
    report = contest_report(plan, tree.township_b)
    url = reverse("campaigns:report_detail", args=[report.pk])
    assert client_for(township_b).post(url, fill(report)).status_code == 403
    client_for(office).post(
        reverse("campaigns:report_reopen", args=[report.pk]),
        {"reason": "补录", "until": "2020-05-04"},
    )
    report.refresh_from_db()
    assert client_for(township_b).post(url, fill(report)).status_code == 302


def test_it_reminds_each_unit_once_a_day_from_before_the_due_day(
    plan: Plan, tree: Tree, township_a, township_b, django_capture_on_commit_callbacks
):
    township_b.email = "yizhen@example.gov.cn"
    township_b.save()
    assert (
        services.reminders_send(day=date(2020, 4, 20)) == 0
    )  # too early: due 5月3日, 2 days' notice
    assert services.reminders_send(day=date(2020, 5, 1)) == 2
    assert services.reminders_send(day=date(2020, 5, 1)) == 0
    call_command("remind", "--date", "2020-05-01")
    assert Notice.objects.filter(recipient=township_b).count() == 1
    assert [m.to for m in mail.outbox] == [["yizhen@example.gov.cn"]]
    assert "将于 5月3日 截止" in mail.outbox[0].subject
    report = contest_report(plan, tree.township_b)
    report.status = ReportStatus.SUBMITTED
    report.save()
    assert (
        services.reminders_send(day=date(2020, 5, 4)) == 1
    )  # only 甲街道 still owes, and is now late
    assert Notice.objects.filter(recipient=township_a, title__contains="已逾期").count() == 1
    assert Notice.objects.filter(recipient=township_b).count() == 1


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), "red")
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x8825] = {2: (36.0, 3.0, 0.0)}  # GPSInfo
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_it_strips_photo_metadata_and_keeps_a_thumbnail(plan: Plan, township_a):
    data = _photo_with_gps()
    assert Image.open(BytesIO(data)).getexif()
    evidence = evidence_add(
        report=plan.report_a, upload=SimpleUploadedFile("现场.jpg", data), user=township_a
    )
    stored = Image.open(evidence.file.open("rb"))
    assert not stored.getexif() and stored.size == (800, 600)
    thumb = Image.open(evidence.thumbnail.open("rb"))
    assert max(thumb.size) <= 360


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("伪装.jpg", b"MZ\x90\x00 not an image", "不是照片"),
        ("坏图.jpg", b"\xff\xd8\xff\xe0 broken", "图片已损坏"),
        ("大文件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
    ],
)
def test_it_refuses_evidence_that_is_not_what_it_says(plan: Plan, township_a, name, data, message):
    count = plan.report_a.evidence.count()
    with pytest.raises(ValidationError, match=message):
        evidence_add(report=plan.report_a, upload=SimpleUploadedFile(name, data), user=township_a)
    assert plan.report_a.evidence.count() == count


def test_it_serves_evidence_only_to_those_who_see_the_report(plan: Plan, township_a, township_b):
    url = reverse("campaigns:evidence_file", args=[plan.evidence_a.pk])
    response = client_for(township_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(township_b).get(url).status_code == 404


@BEFORE_DUE
def test_it_uploads_evidence_from_the_report_page(plan: Plan, tree: Tree, township_a, township_b):
    report = contest_report(plan, tree.township_a)
    url = reverse("campaigns:evidence_upload", args=[report.pk])
    upload = SimpleUploadedFile("照片.jpg", _photo_with_gps())
    assert client_for(township_b).post(url, {"file": upload}).status_code == 404
    upload.seek(0)
    assert client_for(township_a).post(url, {"file": upload}).status_code == 302
    assert report.evidence.get().content_type == "image/jpeg"


def test_it_shows_the_office_every_units_status(plan: Plan, office, tree: Tree):
    page = (
        client_for(office)
        .get(reverse("campaigns:period_detail", args=[plan.period.pk]))
        .content.decode()
    )
    assert "各单位填报情况" in page and "乙镇" in page and "未交" in page


@BEFORE_DUE
def test_deleting_evidence_needs_a_reason_and_only_marks_it(
    plan: Plan, tree: Tree, township_a, township_b
):
    evidence = plan.evidence_a
    url = reverse("campaigns:evidence_delete", args=[evidence.pk])
    assert client_for(township_b).post(url, {"reason": "拍错了"}).status_code == 404
    page = client_for(township_a).post(url, follow=True).content.decode()
    assert "请写明删除原因" in page
    assert Evidence.objects.filter(pk=evidence.pk).exists(), "no reason, nothing deleted"

    assert client_for(township_a).post(url, {"reason": "照片拍错了单位"}).status_code == 302
    assert not plan.report_a.evidence.exists(), "gone from the report"
    file_url = reverse("campaigns:evidence_file", args=[evidence.pk])
    assert client_for(township_a).get(file_url).status_code == 404, "and no longer served"
    kept = Evidence.all_objects.get(pk=evidence.pk)
    assert kept.delete_reason == "照片拍错了单位" and kept.deleted_by == township_a
    assert kept.deleted_at is not None and kept.file.storage.exists(kept.file.name)
    with pytest.raises(ValidationError):
        kept.delete()
    with pytest.raises(ValidationError):
        Evidence.all_objects.all().delete()
