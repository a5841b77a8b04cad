"""The demo's months read as if people had done them: each submitted report has its 办理记录
(submitted by the unit's account or the office, accepted by the section that carries the task),
at working-hours times on or before the due day, after it only when marked late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Report, ReportStatus, Transition
from org.models import Role


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo")


def test_each_submitted_report_has_its_history(demo: None):
    reports = (
        Report.objects.exclude(submitted_at=None)
        .select_related("period", "unit")
        .prefetch_related("transitions__by__scope", "task__responsible_units")
    )
    assert reports.count() > 150
    for report in reports:
        steps = list(report.transitions.all())
        assert [(t.action, t.from_status, t.to_status) for t in steps][:1] == [
            ("submit", ReportStatus.DRAFT, ReportStatus.SUBMITTED)
        ]
        submit = steps[0]
        assert submit.at == report.submitted_at
        assert submit.by.role == Role.OFFICE or report.unit in submit.by.scope.all()
        local = timezone.localtime(report.submitted_at)
        assert 8 <= local.hour <= 17
        if report.late:
            assert local.date() > report.period.due
        else:
            assert local.date() <= report.period.due
        assert local.date() < report.period.dispatch_on
        if report.status == ReportStatus.ACCEPTED:
            assert [t.action for t in steps] == ["submit", "accept"]
            accept = steps[1]
            assert submit.at < accept.at <= submit.at + timedelta(days=2)
            assert timezone.localtime(accept.at).date() < report.period.dispatch_on
            carried = set(report.task.responsible_units.all())
            assert accept.by.role == Role.OFFICE or set(accept.by.scope.all()) & carried
        else:
            assert report.status == ReportStatus.SUBMITTED and len(steps) == 1


def test_its_computed_figures_are_dated_on_the_dispatch_day(demo: None):
    from campaigns.models import Entry

    entries = Entry.objects.filter(computed=True).select_related("report__period")
    assert entries.exists()
    for entry in entries:
        assert entry.computed_at is not None
        assert timezone.localtime(entry.computed_at).date() == entry.report.period.dispatch_on


def test_it_writes_the_history_once(demo: None):
    before = list(Transition.objects.values_list("id", "report_id", "action", "at"))
    call_command("seed_demo")
    assert list(Transition.objects.values_list("id", "report_id", "action", "at")) == before
