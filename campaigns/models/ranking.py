"""Ranking: 排名 (Standing) per period, task and unit; 通报 (Bulletin); 年终考核 (Assessment)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from org.models import Unit
from org.softdelete import SoftDeleteModel

from .plan import Campaign, Task
from .reporting import Period


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class Standing(models.Model):
    """A unit's place on a task for a period: value, completion, score, rank, change, light.

    `details` keeps, per indicator, the value, target, completion and weighted score behind the
    task's figures, so every point can be traced to the entries it came from.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="standings")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="standings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="standings")
    reported = models.BooleanField("已报送")
    completion = models.DecimalField("完成率（%）", max_digits=7, decimal_places=2)
    expected = models.DecimalField("时间进度（%）", max_digits=7, decimal_places=2)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    rank_change = models.SmallIntegerField("名次变化", null=True, blank=True)
    score_change = models.DecimalField(
        "得分变化", max_digits=7, decimal_places=2, null=True, blank=True
    )
    light = models.CharField("灯", max_length=6, choices=Light.choices)
    details = models.JSONField(default=list)

    class Meta:
        verbose_name = "排名"
        verbose_name_plural = "排名"
        ordering = ["period_id", "task__order", "rank", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "task", "unit"], name="campaigns_standing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task} · {self.rank}"


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", "调度通报"
    QUARTERLY = "quarterly", "季度小结"
    CORRECTION = "correction", "更正"


class Bulletin(models.Model):
    """调度通报 / 季度小结: issued once and never changed; a later correction is a new 更正."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="bulletins")
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.CASCADE, related_name="bulletins"
    )
    kind = models.CharField("类别", max_length=12, choices=BulletinKind.choices)
    number = models.PositiveSmallIntegerField("期号")
    revision = models.PositiveSmallIntegerField("第几次发布", default=1)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("成文日期")
    content = models.JSONField("内容")
    text = models.TextField("正文", blank=True)
    fingerprint = models.CharField(max_length=64)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "revision"], name="campaigns_bulletin_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    """年终考核: a unit's year: weighted task scores, bonus and deduction items, total, grade."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    task_score = models.DecimalField(max_digits=7, decimal_places=2)
    adjustment = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=10)
    details = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年终考核"
        verbose_name_plural = "年终考核"
        ordering = ["campaign_id", "year", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "year", "unit"], name="campaigns_assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year} · {self.total}"


class AdjustmentItem(SoftDeleteModel):
    """A bonus (加分) or deduction (扣分) the office enters for a unit's year, with its reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="adjustments")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("分值", max_digits=5, decimal_places=2)
    reason = models.CharField("理由", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeleteModel.Meta):
        verbose_name = "加扣分项"
        verbose_name_plural = "加扣分项"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.points:+} {self.reason}"


class DisplayLink(models.Model):
    """大屏链接: a read-only link for the meeting-room screen; shows the board, nothing else."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="display_links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField("用途", max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "大屏链接"
        verbose_name_plural = "大屏链接"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label
