"""Reporting: 调度期 (Period), 月报 (Report, one unit's report on one task for one period),
填报值 (Entry), 佐证材料 (Evidence), the record of every status change, and reminders sent.

A unit's month is one report per task it takes part in, so each report has exactly one
reviewing section (the task's); the report page and the Excel file gather a unit's reports
of a period in one place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from org.models import Unit
from org.softdelete import SoftDeleteModel

from .plan import Campaign, Indicator, Task


class PeriodStatus(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已截止"
    DISPATCHED = "dispatched", "已调度"


class Period(models.Model):
    """调度期: one reporting period of a campaign (a month by default)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    starts = models.DateField("开始")
    ends = models.DateField("结束")
    label = models.CharField("名称", max_length=40)
    due = models.DateField("报送截止日")
    dispatch_on = models.DateField("调度日")
    status = models.CharField(
        "状态", max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "调度期"
        verbose_name_plural = "调度期"
        ordering = ["campaign_id", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "starts"], name="campaigns_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


# What counts as reported, for the ranking, the bulletin and every page: submitted or accepted.
# A report returned for changes is not reported until it comes back.
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class Report(models.Model):
    """月报: one unit's report on one task for one period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveIntegerField("版本", default=1)
    progress = models.TextField("工作进展", blank=True)
    problems = models.TextField("存在问题", blank=True)
    plans = models.TextField("下步打算", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    late = models.BooleanField("逾期", default=False)
    return_reason = models.TextField("退回原因", blank=True)
    return_field = models.CharField("退回涉及", max_length=40, blank=True)
    unlocked_until = models.DateField(
        "重新开放至", null=True, blank=True, help_text="局办公室重新开放后可修改到这一天"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "月报"
        verbose_name_plural = "月报"
        ordering = ["period_id", "task__order", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "task", "unit"], name="campaigns_report_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task} · {self.period.label}"


class Entry(models.Model):
    """填报值: one indicator's value in a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField("分子", max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(
        "分母", max_digits=14, decimal_places=2, null=True, blank=True
    )
    stage = models.PositiveSmallIntegerField("达到节点", null=True, blank=True)
    computed = models.BooleanField("台账计算", default=False)
    computed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "填报值"
        verbose_name_plural = "填报值"
        ordering = ["indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="campaigns_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.report.unit}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.report.period_id}/{instance.report_id}/{filename}"


class Evidence(SoftDeleteModel):
    """佐证材料: a photo (re-encoded, metadata stripped) or a PDF attached to a report.

    Deleting one marks it (who, when, why); the file stays for the record but is served no more.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path)
    thumbnail = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeleteModel.Meta):
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Transition(models.Model):
    """A change of a report's status: who, when, from, to, why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=12, choices=ReportStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    action = models.CharField(max_length=20)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Reminder(models.Model):
    """催报: at most one reminder to a unit for a period on one day."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    overdue = models.BooleanField(default=False)
    reports = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "day"], name="campaigns_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.day}"
