"""The demo's months on the demo calendar (org.demo_calendar): every month before the working
month filled, reminded, reviewed and dispatched, the working month open with a month's usual mix,
each step done by the account of the unit or section that would have done it, at a working-hours
time before the day it is seeded."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from org.demo_calendar import DemoCalendar
from org.models import Notice, Role, User

from ..models import (
    REPORTED,
    Bulletin,
    Campaign,
    Entry,
    IndicatorKind,
    Period,
    Report,
    ReportStatus,
    Transition,
)
from ..services.reporting import returned_notify
from .plan import DOC_NUMBER, _moment

PROGRESS = [
    "入户宣传，逐户摸底",
    "召开专题推进会，明确时间表",
    "对照标准逐项整改",
    "现场督导，查漏补缺",
]
PROBLEMS = [
    "部分群众认识不到位，推进较慢",
    "资金到位晚，设施建设进度受影响",
    "专职人员少，台账更新不及时",
    "无",
]
PLANS = ["下月完成剩余任务的 50%", "加大督导力度，确保按时序推进", "与相关科室对接，解决场地问题"]
ENTRY_FIELDS = ["value", "numerator", "denominator", "stage"]
REPORT_FIELDS = [
    "status",
    "version",
    "progress",
    "problems",
    "plans",
    "submitted_at",
    "late",
    "return_reason",
    "return_field",
    "updated_at",
    "updated_by",
]
RETURN_REASON = "分母与台账人数不一致，请按本月台账核对后重新填报"
# The working month's mix, by weight: accepted, submitted and waiting, saved as a draft, not started.
WORKING_MIX = {"accepted": 30, "submitted": 25, "draft": 25, "untouched": 20}
# A township the demo leaves its whole working month to (the README's "试一试" starts there).
FRESH_TOWNSHIP = "兰山街道"
SPEEDS = [0.15, 0.3, 0.5, 0.8, 1.0, 1.3, 1.6]


class _Month:
    """The people of the demo and what they did, gathered to be written once per month."""

    def __init__(self) -> None:
        self.office = User.objects.get(username="office")
        self.units: dict[int, User] = {}
        self.sections: dict[int, User] = {}
        by_role: dict[str, dict[int, User]] = {
            Role.TOWNSHIP: self.units,
            Role.INSTITUTION: self.units,
            Role.SECTION: self.sections,
        }
        for user in User.objects.filter(is_active=True).prefetch_related("scope").order_by("pk"):
            if user.role in by_role:
                for unit in user.scope.all():
                    by_role[user.role].setdefault(unit.pk, user)
        self.steps: list[tuple[Transition, datetime]] = []
        self.entries: list[Entry] = []
        self.reports: list[tuple[Report, datetime]] = []

    def unit_user(self, report: Report) -> User:
        # A section that takes part itself (社会组织培育攻坚战) reports through its own account.
        return self.units.get(report.unit_id) or self.sections.get(report.unit_id, self.office)

    def reviewer(self, report: Report) -> User:
        carried = [u.pk for u in report.task.responsible_units.all() if u.pk in self.sections]
        return self.sections[carried[0]] if carried else self.office

    def step(
        self, report: Report, to: str, by: User, action: str, at: datetime, reason: str = ""
    ) -> None:
        before: str = {
            ReportStatus.SUBMITTED.value: ReportStatus.DRAFT,
            ReportStatus.ACCEPTED.value: ReportStatus.SUBMITTED,
            ReportStatus.RETURNED.value: ReportStatus.SUBMITTED,
        }[to]
        transition = Transition(
            report=report, from_status=before, to_status=to, by=by, action=action, reason=reason
        )
        self.steps.append((transition, at))

    def write(self) -> None:
        """The month's figures, reports (with their history, dated when typed) and 办理记录."""
        typed_at = {report.pk: at for report, at in self.reports}
        for report, at in self.reports:
            report.updated_at = at
        for when, group in _by_time(self.reports):
            bulk_update_with_history(
                group, Report, REPORT_FIELDS, batch_size=500, default_date=when
            )
        by_day: dict[date, tuple[datetime, list[Entry]]] = {}
        later = [e for e in self.entries if e.report_id not in typed_at]  # reports saved later
        for entry in self.entries:
            if entry.report_id not in typed_at:
                continue
            at = typed_at[entry.report_id]
            by_day.setdefault(timezone.localtime(at).date(), (at, []))[1].append(entry)
        for when, entries in by_day.values():
            bulk_update_with_history(
                entries, Entry, ENTRY_FIELDS, batch_size=500, default_date=when
            )
        self.entries, self.reports = later, []
        stamps = [at for _t, at in self.steps]
        made = Transition.objects.bulk_create([t for t, _at in self.steps])
        for transition, at in zip(made, stamps, strict=True):
            transition.at = at
        Transition.objects.bulk_update(made, ["at"])
        self.steps = []


def _by_time(rows: list[tuple[Report, datetime]]) -> list[tuple[datetime, list[Report]]]:
    """The reports grouped by the day they were last changed (their history rows' date)."""
    groups: dict[date, tuple[datetime, list[Report]]] = {}
    for report, at in rows:
        groups.setdefault(timezone.localtime(at).date(), (at, []))[1].append(report)
    return list(groups.values())


def _fill(report: Report, rng: random.Random, share: float) -> list[Entry]:
    """Type the report's figures at `share` of the year's target, and its three texts."""
    typed = []
    for entry in report.entries.all():
        if entry.computed:
            continue
        indicator = entry.indicator
        if indicator.kind == IndicatorKind.RATE:
            target = float(indicator.default_target or 100)
            denominator = rng.randint(12, 40)
            entry.denominator = Decimal(denominator)
            entry.numerator = Decimal(min(denominator, round(denominator * target / 100 * share)))
        elif indicator.kind == IndicatorKind.MILESTONE:
            entry.stage = max(1, min(len(indicator.stages), round(len(indicator.stages) * share)))
        else:
            target = float(indicator.default_target or 10)
            entry.value = Decimal(round(target * share, 1))
        typed.append(entry)
    report.progress = rng.choice(PROGRESS)
    report.problems = rng.choice(PROBLEMS)
    report.plans = rng.choice(PLANS)
    return typed


def _working_hour(own: random.Random, day: date) -> datetime:
    return _moment(day, own.randint(8, 16), own.randint(0, 59))


def _submitted_at(report: Report, due: date) -> datetime:
    """A working-hours moment on or before the due day (the day after it when late, still
    before the dispatch day), drawn from a generator of the report's own so the month's figures
    stay the same."""
    own = random.Random(report.pk)
    day = due + timedelta(days=1) if report.late else due - timedelta(days=own.randint(0, 4))
    return _working_hour(own, day)


def _reports(period: Any) -> Any:
    return (
        Report.objects.filter(period=period)
        .select_related("task", "unit", "period")
        .prefetch_related("task__responsible_units", "entries__indicator")
        .order_by("unit__path", "task__order")
    )


def _remind(period: Any, day: date) -> None:
    """The 09:00 reminder job of `day`, dated then, as beat would have run it."""
    from campaigns.services.reporting import reminders_send

    with _notices_dated(_moment(day, 9, 0)):
        reminders_send(day=day, period=period)


def _dispatched_month(
    period: Any, rng: random.Random, pace: dict[int, float], index: int, people: _Month, last: bool
) -> None:
    """Type in a month of reports as the units would: some ahead, some behind; remind, review."""
    reports = list(_reports(period))
    units = sorted({r.unit_id for r in reports})
    # Last month two units came in after the due day; earlier months about one report in ten.
    late_units = set(rng.sample(units, 2)) if last else set()
    waiting: list[Report] = []
    for report in reports:
        # 兰山街道, the README's township to try, keeps to the plan's pace.
        default = 1.0 if report.unit.name == FRESH_TOWNSHIP else rng.choice(SPEEDS)
        speed = pace.setdefault(report.unit_id, default)
        # About a ninth of the year's work a month at speed 1: on schedule by the time rule.
        people.entries += _fill(report, rng, min(1.0, speed * (index + 1) * 0.12))
        chance = rng.random()
        report.late = report.unit_id in late_units if last else chance < 0.1
        # Sections review every report before the dispatch day.
        report.status = ReportStatus.ACCEPTED
        report.submitted_at = _submitted_at(report, period.due)
        report.updated_by = people.unit_user(report)
        waiting.append(report)
    # Before the due day the job reminds whoever has not submitted; after it, whoever is late.
    on_time = [r for r in waiting if not r.late]
    _save_reviewed(on_time, people)
    _remind(period, period.due - timedelta(days=period.campaign.reminder_days))
    _remind(period, period.due + timedelta(days=1))
    _save_reviewed([r for r in waiting if r.late], people)


def _save_reviewed(reports: list[Report], people: _Month) -> None:
    for report in reports:
        final = report.status
        report.status = ReportStatus.SUBMITTED
        submitted = report.submitted_at
        assert submitted is not None
        people.step(report, ReportStatus.SUBMITTED, people.unit_user(report), "submit", submitted)
        if final == ReportStatus.ACCEPTED:
            # Reviewed within a day or so, and before the dispatch day's 07:00 job.
            eve = _moment(report.period.dispatch_on - timedelta(days=1), 18, 0)
            accepted = min(submitted + timedelta(hours=2 + report.pk % 30), eve)
            people.step(report, ReportStatus.ACCEPTED, people.reviewer(report), "accept", accepted)
        report.status = final
        report.version += 2 if final == ReportStatus.ACCEPTED else 1
        people.reports.append((report, people.steps[-1][1]))
    people.write()


def _working_month(
    period: Any, rng: random.Random, pace: dict[int, float], index: int, people: _Month, today: date
) -> None:
    """The month open today: some accepted, some waiting for review, one returned with a reason on
    a field, some drafts, some not started; each step on a working day before today."""
    # This month's work so far, or, in the days before last month's due day, its last week.
    first = period.starts if today <= period.ends else period.ends - timedelta(days=6)
    days = [first + timedelta(days=n) for n in range((today - first).days)]
    weekdays = [d for d in days if d.weekday() < 5] or days
    returned: list[tuple[Report, datetime]] = []
    for report in _reports(period):
        own = random.Random(report.pk)
        state = rng.choices(list(WORKING_MIX), weights=list(WORKING_MIX.values()))[0]
        if report.unit.name == FRESH_TOWNSHIP:
            state = "untouched"
        if state == "untouched":
            continue
        speed = pace.setdefault(report.unit_id, rng.choice(SPEEDS))
        clerk = people.unit_user(report)
        typed = _working_hour(own, own.choice(weekdays))
        report.updated_by = clerk
        report.version += 1
        people.entries += _fill(report, rng, min(1.0, speed * (index + 1) * 0.12))
        if state == "draft":
            people.reports.append((report, typed))
            continue
        report.submitted_at = typed
        report.late = typed.date() > period.due
        people.step(report, ReportStatus.SUBMITTED, clerk, "submit", typed)
        reviewed = min(
            typed + timedelta(hours=3 + own.randint(0, 20)),
            _moment(today, 0) - timedelta(minutes=1),
        )
        returnable = any(
            e.indicator.kind == IndicatorKind.RATE and not e.computed for e in report.entries.all()
        )
        if not returned and returnable and state == "submitted":
            entry = next(
                e
                for e in report.entries.all()
                if e.indicator.kind == IndicatorKind.RATE and not e.computed
            )
            reviewer = people.reviewer(report)
            people.step(report, ReportStatus.RETURNED, reviewer, "return", reviewed, RETURN_REASON)
            report.status = ReportStatus.RETURNED
            report.return_reason, report.return_field = RETURN_REASON, f"entry:{entry.pk}"
            report.version += 1
            people.reports.append((report, reviewed))
            returned.append((report, reviewed))
            continue
        report.status = ReportStatus.SUBMITTED
        last_step = typed
        if state == "accepted":
            people.step(report, ReportStatus.ACCEPTED, people.reviewer(report), "accept", reviewed)
            report.status = ReportStatus.ACCEPTED
            report.version += 1
            last_step = reviewed
        people.reports.append((report, last_step))
    people.write()
    for report, at in returned:
        with _notices_dated(at):
            returned_notify(report)


def _site_photo(title: str, variant: int) -> bytes:
    """A plain picture standing for a site photo: the milestone's name on a coloured ground."""
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFont

    font_file = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    try:
        font: Any = ImageFont.truetype(str(font_file), 40)
    except OSError:
        font, title = ImageFont.load_default(), "DEMO"
    image = Image.new("RGB", (800, 600), (120 + variant * 25, 150, 170 - variant * 20))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 80), fill=(255, 255, 255))
    draw.text((28, 14), title, fill=(50, 50, 50), font=font)
    draw.rectangle((180, 260, 620, 520), fill=(235, 230, 220), outline=(70, 70, 70), width=4)
    out = BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _attach_photos(period: Any, people: _Month) -> None:
    """The units' own site photos on the milestones they reported (at most one a report)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigns.services.evidence import evidence_add

    reports = _reports(period).filter(status__in=REPORTED, submitted_at__isnull=False)
    for report in reports:
        entry = next(
            (e for e in report.entries.all() if e.indicator.kind == IndicatorKind.MILESTONE),
            None,
        )
        if entry is None or not entry.stage:
            continue
        stage = entry.indicator.stages[entry.stage - 1]
        title = f"{report.unit.name}·{stage}（演示照片）"
        upload = SimpleUploadedFile(
            f"{stage}现场照片.jpg", _site_photo(title, report.pk % 4), "image/jpeg"
        )
        evidence = evidence_add(
            report=report,
            upload=upload,
            user=people.unit_user(report),
            entry=entry,
            caption=f"{entry.indicator.name}：{stage}",
        )
        assert report.submitted_at is not None
        uploaded = report.submitted_at - timedelta(minutes=12)
        type(evidence).objects.filter(pk=evidence.pk).update(uploaded_at=uploaded)


@contextmanager
def _notices_dated(at: datetime) -> Iterator[None]:
    """The notices sent inside the block, dated `at` (when the job or the person sent them)."""
    newest = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    Notice.objects.filter(pk__gt=newest).update(created_at=at)


def _summarize(campaign: Campaign, month: date, people: _Month, day: date) -> None:
    """The quarter's summary, drafted and published by the office two days after the dispatch."""
    from campaigns.services.quarterly import quarter_summarize, summary_publish

    summary = quarter_summarize(
        campaign, month.year, (month.month - 1) // 3 + 1, people.office, today=day
    )
    summary = summary_publish(bulletin=summary, user=people.office, today=day)
    Bulletin.objects.filter(pk=summary.pk).update(published_at=_moment(day, 10, 0))


def seed_months(when: DemoCalendar) -> int:
    """Run the campaign's months up to today once; return how many bulletins were issued.

    1. Each month before the working month: filled, reminded, reviewed, dispatched on its day;
       a quarter's summary after its third month; the year's assessment after its December.
    2. The working month (and a month just begun): opened on its first day, with the mix above.
    3. Today's reminder job, and the notices older than a week read.
    """
    from campaigns.services.assessment import year_assess
    from campaigns.services.dispatch import period_dispatch
    from campaigns.services.reporting import period_open

    campaign = Campaign.objects.get(doc_number=DOC_NUMBER)
    if campaign.periods.exists():
        return 0
    rng = random.Random(2020)
    pace: dict[int, float] = {}
    people = _Month()
    dispatched = when.dispatched_months()
    for index, month in enumerate(dispatched):
        period = period_open(campaign=campaign, day=month)
        _dispatched_month(period, rng, pace, index, people, last=month == dispatched[-1])
        if month == dispatched[-1]:
            _attach_photos(period, people)
        period_dispatch(period=period, today=period.dispatch_on)
        morning = _moment(period.dispatch_on, 7, 0)
        # Counted from the records by the dispatch-day job (beat's 07:00), not when seeded.
        Entry.objects.filter(report__period=period, computed=True).update(computed_at=morning)
        Bulletin.objects.filter(period=period).update(published_at=morning)
        Period.objects.filter(pk=period.pk).update(
            opened_at=_moment(period.starts, 0, 10), closed_at=morning
        )
        if month.month % 3 == 0:
            _summarize(campaign, month, people, period.dispatch_on + timedelta(days=2))
        if month.month == 12:
            year_assess(campaign, month.year)
    for month in when.open_months():
        period = period_open(campaign=campaign, day=month)
        Period.objects.filter(pk=period.pk).update(opened_at=_moment(period.starts, 0, 10))
        if month == when.working_month:
            _working_month(period, rng, pace, len(dispatched), people, when.today)
            _attach_photos(period, people)
            if when.today >= period.due - timedelta(days=campaign.reminder_days):
                _remind(period, when.today)
    return len(dispatched)


def settle_notices(when: DemoCalendar) -> None:
    """Date the plan's publication notices (sent on commit) when it was published, and mark the
    notices older than a week read: what is new to each user is what a real week would leave."""
    campaign = Campaign.objects.get(doc_number=DOC_NUMBER)
    Notice.objects.filter(title=f"《{campaign.title}》已发布").update(
        created_at=campaign.published_at
    )
    week_ago = _moment(when.today - timedelta(days=7), 0)
    Notice.objects.filter(created_at__lt=week_ago, read_at=None).update(read_at=F("created_at"))
