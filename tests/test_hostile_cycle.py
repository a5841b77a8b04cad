"""Generated text through every text field of the month, then the whole cycle.

Each example types one generated text (any Unicode category: controls, lone surrogates,
non-characters, emoji, very long runs) into the report's three texts, an evidence file's name,
a unit's name, a person's name and a plan, then submits, accepts, dispatches and opens what
everyone opens: the bulletin's page, .docx and .xlsx, the template, the roster export, the
board and the meeting screen. Never a 500; what was saved reads back as typed, or the page
refused it with a message and saved nothing.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from campaigns.models import Bulletin, DisplayLink, Report, ReportStatus
from campaigns.services.dispatch import period_dispatch
from campaigns.services.importing import campaign_import
from org.text import text_problem
from relief.models import Person
from tests.campaigns.test_reporting import contest_report, fill
from tests.conftest import Plan, Tree, client_for
from tests.relief.factories import id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
MESSAGE_MARKS = ("invalid-feedback", "alert-danger", "errorlist", "含有看不见的特殊字符")

# Any code point at all, surrogates included, weighted towards what pastes really carry.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
PASTED = st.sampled_from(list("\x00\x0b\x0c\x1b\x7f\x85\ufeff\u200b\u202e\ud800\udfff\ufffe😀𠀀"))
TEXT = st.one_of(
    st.text(st.one_of(ANY_CHAR, PASTED, st.sampled_from("资金不足，。\n\r\t ")), max_size=60),
    st.builds(lambda s, n: s * n, st.text(ANY_CHAR, min_size=1, max_size=3), st.integers(1, 6000)),
)


def as_browser_sends(text: str) -> str:
    """A browser cannot send a lone surrogate: it sends U+FFFD, as UTF-8 decoding does."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def refused(response) -> bool:
    page = response.content.decode()
    return response.status_code == 200 and any(mark in page for mark in MESSAGE_MARKS)


def never_broken(response) -> None:
    assert response.status_code < 500, response.status_code


@pytest.fixture
def cycle(plan: Plan, tree: Tree, office, section, leader, township_a, township_b):
    link_page = reverse("campaigns:display_links", args=[plan.published.pk])
    with time_machine.travel(datetime(2020, 4, 20, 9, tzinfo=SHANGHAI), tick=False):
        client_for(office).post(link_page, {"label": "三楼会议室"})
    return plan, tree, {"office": office, "section": section, "leader": leader, "a": township_a}


def type_everywhere(plan: Plan, tree: Tree, users: dict, raw: str) -> None:
    text = as_browser_sends(raw)
    report = contest_report(plan, tree.township_a)
    a = client_for(users["a"])
    # The report's three texts, submitted.
    before = (report.progress, report.problems, report.plans, report.status)
    response = a.post(
        reverse("campaigns:report_detail", args=[report.pk]),
        fill(report, submit=True, progress=text, problems=text, plans=text),
    )
    never_broken(response)
    report.refresh_from_db()
    if response.status_code == 302:
        typed = text.strip().replace("\r\n", "\n").replace("\r", "\n")  # line ends as "\n"
        assert report.progress == typed and report.status == ReportStatus.SUBMITTED
    else:
        assert refused(response), "neither saved nor told why"
        assert (report.progress, report.problems, report.plans, report.status) == before
        # Typed as a clerk would type it after the message: the cycle goes on.
        a.post(reverse("campaigns:report_detail", args=[report.pk]), fill(report, submit=True))
    # An evidence file named with the text.
    upload = SimpleUploadedFile(f"{text[:200]}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    never_broken(
        a.post(
            reverse("campaigns:evidence_upload", args=[report.pk]),
            {"file": upload, "caption": text[:200]},
        )
    )
    # A unit's name, by the office.
    b = tree.township_b
    response = client_for(users["office"]).post(
        reverse("org:unit_edit", args=[b.pk]),
        {
            "name": text[:100] or "乙镇",
            "short_name": "",
            "kind": b.kind,
            "parent": tree.bureau.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    never_broken(response)
    b.refresh_from_db()
    assert text_problem(b.name) is None
    # A person's name, by the township.
    response = a.post(
        reverse("relief:person_create"),
        {
            "unit": tree.township_a.pk,
            "name": text[:30] or "某",
            "id_number": id_number(),
            "assistance": "urban_dibao",
            "since": "2020-03-01",
        },
    )
    never_broken(response)
    assert all(text_problem(n) is None for n in Person.objects.values_list("name", flat=True))
    # A plan pasted with the text inside (the raw text: a document is cleaned, never refused).
    try:
        campaign_import(
            text=f"测试方案\n一、{raw}\n（一）特困供养擂台赛。牵头单位：社会救助科",
            bureau=tree.bureau,
            user=users["office"],
        )
    except Exception as error:  # a ValidationError saying it is no plan is fine; nothing else
        from django.core.exceptions import ValidationError

        assert isinstance(error, ValidationError), repr(error)


def open_everything(plan: Plan, tree: Tree, users: dict) -> None:
    report = contest_report(plan, tree.township_a)
    response = client_for(users["section"]).post(
        reverse("campaigns:report_review", args=[report.pk]), {"decision": "accept"}
    )
    never_broken(response)
    period = plan.period
    bulletin = period_dispatch(period=period, today=period.dispatch_on)
    assert isinstance(bulletin, Bulletin)
    for user in users.values():
        client = client_for(user)
        page = client.get(reverse("campaigns:bulletin_detail", args=[bulletin.pk]))
        assert page.status_code == 200, user
        never_broken(client.get(reverse("campaigns:board", args=[plan.published.pk])))
        never_broken(client.get(reverse("home")))
        never_broken(client.get(reverse("relief:person_export")))
    for user in (users["office"], users["a"]):
        docx = client_for(user).get(reverse("campaigns:bulletin_docx", args=[bulletin.pk]))
        assert docx.status_code == 200
        Document(BytesIO(docx.content))
        xlsx = client_for(user).get(reverse("campaigns:bulletin_xlsx", args=[bulletin.pk]))
        assert xlsx.status_code == 200
        load_workbook(BytesIO(xlsx.content))
    template = client_for(users["a"]).get(
        reverse("campaigns:report_template", args=[period.pk, tree.township_a.pk])
    )
    assert template.status_code == 200
    load_workbook(BytesIO(template.content))
    screen = client_for(users["office"]).get(
        reverse("screen", args=[DisplayLink.objects.get().token])
    )
    assert screen.status_code == 200


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=TEXT)
def test_no_text_breaks_the_month(cycle, raw: str):
    plan, tree, users = cycle
    with transaction.atomic():  # each example starts from the same month
        with time_machine.travel(datetime(2020, 4, 28, 10, tzinfo=SHANGHAI), tick=False):
            type_everywhere(plan, tree, users, raw)
        with time_machine.travel(datetime(2020, 5, 8, 10, tzinfo=SHANGHAI), tick=False):
            open_everything(plan, tree, users)
        transaction.set_rollback(True)
    assert not Report.objects.filter(status=ReportStatus.ACCEPTED).exists()
