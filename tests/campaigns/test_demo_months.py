"""The demo runs on the calendar of the day it is seeded: months before the working month filled,
reviewed and dispatched; the working month open with a month's mix; every step by the account of
the unit or section that would have taken it, at working hours, before the day it is seeded."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import (
    Assessment,
    Bulletin,
    BulletinKind,
    Campaign,
    Entry,
    Period,
    PeriodStatus,
    Reminder,
    Report,
    ReportStatus,
    Transition,
)
from campaigns.services.reporting import report_lock_reason, report_save
from org.demo_calendar import DemoCalendar
from org.models import Notice, Role, User

TZ = ZoneInfo("Asia/Shanghai")


def seeded_on(day: date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def digest() -> tuple:
    return (
        list(Period.objects.values_list("id", "starts", "status")),
        list(Report.objects.values_list("id", "status", "version", "late", "submitted_at")),
        list(Transition.objects.values_list("id", "report_id", "action", "at", "by_id")),
        list(Bulletin.objects.values_list("id", "kind", "number", "fingerprint")),
        list(Notice.objects.values_list("id", "recipient_id", "title", "read_at")),
        Entry.objects.count(),
    )


@pytest.fixture
def december(db: None) -> DemoCalendar:
    with seeded_on(date(2026, 12, 7)):
        call_command("seed_demo")
    return DemoCalendar(date(2026, 12, 7))


@pytest.mark.parametrize(
    ("day", "working", "start", "dispatched"),
    [
        (date(2027, 1, 20), date(2027, 1, 1), date(2026, 3, 1), 10),
        (date(2026, 6, 15), date(2026, 6, 1), date(2026, 1, 1), 5),
        (date(2026, 12, 7), date(2026, 12, 1), date(2026, 1, 1), 11),
        (date(2026, 3, 2), date(2026, 2, 1), date(2025, 3, 1), 11),
    ],
)
def test_the_calendar_keeps_two_dispatched_months_and_an_open_one(
    day: date, working: date, start: date, dispatched: int
):
    when = DemoCalendar(day)
    assert when.working_month == working and when.start == start
    assert len(when.months()) == 12 and when.end.month == (start.month + 10) % 12 + 1
    assert len(when.dispatched_months()) == dispatched >= 2
    assert when.working_month in when.months()
    assert when.plan_date(date(2020, 10, 31)) == date(start.year, 10, 31)


@pytest.mark.parametrize("day", [date(2027, 1, 20), date(2026, 6, 15), date(2026, 12, 7)])
def test_it_runs_the_plan_on_the_day_it_is_seeded(db: None, day: date):
    when = DemoCalendar(day)
    with seeded_on(day):
        call_command("seed_demo")
        campaign = Campaign.objects.get()
        assert (campaign.start, campaign.end, campaign.year) == (when.start, when.end, when.year)
        assert campaign.doc_number == "临兰民〔2020〕22号"
        periods = list(campaign.periods.order_by("starts"))
        dispatched = [p for p in periods if p.status == PeriodStatus.DISPATCHED]
        assert [p.starts for p in dispatched] == when.dispatched_months()
        assert all(p.dispatch_on <= day for p in dispatched)
        monthly = Bulletin.objects.filter(kind=BulletinKind.MONTHLY)
        assert sorted(monthly.values_list("period__starts", flat=True)) == when.dispatched_months()
        working = next(p for p in periods if p.starts == when.working_month)
        assert working.status == PeriodStatus.OPEN and working.due > day - timedelta(days=5)
        # A township can edit its report of the open month.
        fresh = Report.objects.filter(period=working, unit__name="兰山街道")
        assert fresh.exists() and all(r.status == ReportStatus.DRAFT for r in fresh)
        assert all(report_lock_reason(r, day) is None for r in fresh)
        report = fresh.first()
        assert report is not None
        saved = report_save(
            report=report,
            user=User.objects.get(username="lanshan"),
            version=report.version,
            entries={},
            texts={"progress": "入户走访", "problems": "无", "plans": "继续推进"},
        )
        assert saved.version == report.version + 1
        # Quarterly summaries for the quarters finished, the assessment after a December.
        finished = [m for m in when.dispatched_months() if m.month % 3 == 0]
        summaries = Bulletin.objects.filter(kind=BulletinKind.QUARTERLY).exclude(published_at=None)
        assert summaries.count() == len(finished)
        assert Assessment.objects.exists() == (when.spans_year_end() is not None)
        # Nothing happened after the moment it was seeded.
        now = timezone.now()
        assert not Transition.objects.filter(at__gt=now).exists()
        assert not Notice.objects.filter(created_at__gt=now).exists()
        assert not Bulletin.objects.filter(published_at__gt=now).exists()
        # A second run the same day changes nothing.
        before = digest()
        call_command("seed_demo")
        assert digest() == before


def test_the_working_month_has_a_months_mix(december: DemoCalendar):
    working = Period.objects.get(starts=december.working_month)
    reports = Report.objects.filter(period=working)
    mix = Counter(reports.values_list("status", flat=True))
    assert mix[ReportStatus.ACCEPTED] >= 5 and mix[ReportStatus.SUBMITTED] >= 5
    assert mix[ReportStatus.RETURNED] == 1
    returned = reports.get(status=ReportStatus.RETURNED)
    assert returned.return_reason and returned.return_field.startswith("entry:")
    assert returned.entries.filter(pk=int(returned.return_field.split(":")[1])).exists()
    assert Notice.objects.filter(
        title__contains="月报被退回", recipient__scope=returned.unit, read_at=None
    ).exists()
    drafts = reports.filter(status=ReportStatus.DRAFT)
    saved = drafts.exclude(progress="")
    assert saved.exists() and drafts.filter(progress="", version=1).exists()
    assert all(r.unit in r.updated_by.scope.all() for r in saved)  # saved by the unit itself


def test_last_month_had_two_late_units_and_reminders(december: DemoCalendar):
    last = Period.objects.get(starts=december.dispatched_months()[-1])
    late = set(Report.objects.filter(period=last, late=True).values_list("unit_id", flat=True))
    assert len(late) == 2
    reminded = set(Reminder.objects.filter(period=last).values_list("unit_id", flat=True))
    assert late <= reminded
    assert Reminder.objects.filter(period=last, overdue=True).exists()
    unread = Notice.objects.filter(read_at=None)
    assert unread.exists() and unread.count() < Notice.objects.count()


def test_each_step_is_taken_by_its_own_account(december: DemoCalendar):
    reports = (
        Report.objects.exclude(submitted_at=None)
        .select_related("period", "unit")
        .prefetch_related("transitions__by__scope", "task__responsible_units")
    )
    assert reports.count() > 500
    for report in reports:
        steps = list(report.transitions.all())
        submit = steps[0]
        assert (submit.action, submit.from_status, submit.to_status) == (
            "submit",
            ReportStatus.DRAFT,
            ReportStatus.SUBMITTED,
        )
        assert submit.at == report.submitted_at
        assert report.unit in submit.by.scope.all()  # the unit's own account, never the office
        local = timezone.localtime(report.submitted_at)
        assert 8 <= local.hour <= 17
        if report.period.status == PeriodStatus.DISPATCHED:
            assert (local.date() > report.period.due) == report.late
            assert local.date() < report.period.dispatch_on
        for review in steps[1:]:
            assert review.at > submit.at and 0 <= timezone.localtime(review.at).hour <= 23
            carried = set(report.task.responsible_units.all())
            assert review.by.role == Role.OFFICE or set(review.by.scope.all()) & carried
        expected = {
            ReportStatus.ACCEPTED: ["submit", "accept"],
            ReportStatus.SUBMITTED: ["submit"],
            ReportStatus.RETURNED: ["submit", "return"],
        }
        assert [t.action for t in steps] == expected[report.status]


def test_site_photos_are_the_units_own(december: DemoCalendar):
    from campaigns.models import Evidence

    photos = Evidence.objects.select_related("report__unit", "entry").prefetch_related(
        "uploaded_by__scope"
    )
    assert photos.count() >= 5
    for photo in photos:
        assert photo.report.unit in photo.uploaded_by.scope.all()
        assert photo.entry is not None and photo.entry.report_id == photo.report_id
        assert photo.report.submitted_at and photo.uploaded_at < photo.report.submitted_at


def test_every_unit_and_section_has_its_own_login(december: DemoCalendar):
    from org.demo import demo_logins, login_name
    from org.models import Unit, UnitKind

    kinds = (UnitKind.STREET, UnitKind.TOWN, UnitKind.DEVZONE, UnitKind.INSTITUTION)
    for unit in Unit.objects.filter(kind__in=kinds):
        assert User.objects.get(username=login_name(unit.name)).scope.get() == unit
    sections = Unit.objects.filter(kind=UnitKind.SECTION).exclude(name="局办公室")
    assert all(User.objects.filter(scope=s, role=Role.SECTION).exists() for s in sections)
    names = [login[0] for login in demo_logins()]
    assert len(names) == len(set(names)) == User.objects.count() == 36
    assert login_name("兰山街道") == "lanshan" and login_name("社会救助科") == "jiuzhu"


def test_a_second_run_changes_nothing_and_reset_rebuilds_for_a_new_day(
    december: DemoCalendar, capsys
):
    before = digest()
    with seeded_on(december.today, hour=15):
        call_command("seed_demo")
    assert digest() == before
    later = date(2027, 1, 20)
    with seeded_on(later):
        call_command("seed_demo")
        assert digest() == before
        assert "seed_demo --reset" in capsys.readouterr().out
        User.objects.filter(username="lanshan").update(password="changed")
        call_command("seed_demo", "--reset")
        campaign = Campaign.objects.get()
        assert campaign.start == date(2026, 3, 1)
        assert Period.objects.get(status=PeriodStatus.OPEN).starts == date(2027, 1, 1)
        assert Assessment.objects.filter(year=2026).exists()
        assert User.objects.get(username="lanshan").check_password("minzheng-demo-2020")
