"""The plan: 工作方案 (Campaign), its tasks (擂台赛 / 攻坚战 / 工作要点), indicators and targets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from org.models import Leader, Unit


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    ARCHIVED = "archived", "已归档"


class Campaign(models.Model):
    """工作方案: a bureau's plan, a draft until the office publishes it."""

    bureau = models.ForeignKey(
        Unit, verbose_name="所属局", on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField("方案名称", max_length=200)
    doc_number = models.CharField("文号", max_length=50, blank=True)
    issuing_unit = models.CharField("发文单位", max_length=100, blank=True)
    issue_date = models.DateField("印发日期", null=True, blank=True)
    addressees = models.CharField("主送", max_length=300, blank=True)
    slogan = models.CharField("口号", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    cadence = models.CharField(
        "调度周期", max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    report_due_day = models.PositiveSmallIntegerField(
        "报送截止日", default=3, help_text="每个调度期结束后第几天前报送（1-28）"
    )
    dispatch_day = models.PositiveSmallIntegerField(
        "调度日", default=5, help_text="每个调度期结束后第几天调度通报（1-28）"
    )
    grace_days = models.PositiveSmallIntegerField(
        "宽限天数",
        default=2,
        help_text="截止日后还可补报的天数，补报记为逾期；过后由局办公室重新开放",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "提前提醒天数", default=2, help_text="截止日前几天开始提醒未提交的单位"
    )
    quarterly_summary = models.BooleanField("每季一小结", default=True)
    yellow_gap = models.DecimalField(
        "绿灯容差（百分点）",
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text="完成进度不低于时间进度为绿灯（时间过半、任务过半）；落后不超过这个差距仍算绿灯，默认 0",
    )
    red_gap = models.DecimalField(
        "红灯差距（百分点）",
        max_digits=5,
        decimal_places=2,
        default=20,
        help_text="完成进度落后于时间进度超过这个差距亮红灯，其余落后为黄灯；未报送的单位一律红灯",
    )
    peers_visible = models.BooleanField(
        "参赛单位可见彼此数值", default=True, help_text="关闭后镇街只看到自己的数值和名次"
    )
    preamble = models.TextField("前言", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    source_text = models.TextField("导入原文", blank=True, editable=False)
    import_warnings = models.JSONField("导入提示", default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT


# The roles a name stands in where the import could not match it (Task.unmatched_names), in the
# document's order, with the label the pages show; the first two name leaders, the others units.
UNMATCHED_ROLES = {
    "leaders": "牵头领导",
    "co_leaders": "配合领导",
    "lead_units": "牵头单位",
    "responsible": "责任单位",
    "cooperating": "配合单位",
}
LEADER_ROLES = ("leaders", "co_leaders")


class TaskKind(models.TextChoices):
    CONTEST = "contest", "擂台赛"
    PUSH = "push", "攻坚战"
    KEY_TASK = "key_task", "工作要点"


class Task(models.Model):
    """A task of the plan: 擂台赛 (ranked), 攻坚战 (milestones) or a plain 工作要点."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    chapter = models.CharField("章节", max_length=200, blank=True)
    number = models.CharField("序号", max_length=20, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    kind = models.CharField("类型", max_length=10, choices=TaskKind.choices)
    title = models.CharField("名称", max_length=200)
    goal = models.TextField("任务目标", blank=True)
    content = models.TextField("活动内容", blank=True)
    lead_leaders = models.ManyToManyField(
        Leader, verbose_name="牵头领导", blank=True, related_name="led_tasks"
    )
    co_leaders = models.ManyToManyField(
        Leader, verbose_name="配合领导", blank=True, related_name="co_led_tasks"
    )
    # The unit that leads the task (牵头单位). It carries the task too, so it is always among the
    # responsible units as well (services.plan.task_save adds it): access and reviews read those.
    lead_units = models.ManyToManyField(
        Unit, verbose_name="牵头单位", blank=True, related_name="lead_tasks"
    )
    responsible_units = models.ManyToManyField(
        Unit, verbose_name="责任单位", blank=True, related_name="responsible_tasks"
    )
    cooperating_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", blank=True, related_name="cooperating_tasks"
    )
    participants = models.ManyToManyField(
        Unit, verbose_name="参赛单位 / 实施主体", blank=True, related_name="participating_tasks"
    )
    # The document's own words, shown on the plan page as written (责任科室：社会救助科、各镇街道（经开区）).
    leaders_text = models.CharField("牵头领导（原文）", max_length=200, blank=True)
    co_leaders_text = models.CharField("配合领导（原文）", max_length=200, blank=True)
    lead_units_text = models.CharField("牵头单位（原文）", max_length=500, blank=True)
    responsible_text = models.CharField("责任单位（原文）", max_length=500, blank=True)
    cooperating_text = models.CharField("配合单位（原文）", max_length=500, blank=True)
    # Names the import could not match, by where they stood: {"leaders": [...], "co_leaders": [...],
    # "lead_units": [...], "responsible": [...], "cooperating": [...]}. The review page maps each
    # to a unit or leader, or drops it.
    unmatched_names = models.JSONField("未匹配的名称", default=dict, blank=True, editable=False)
    task_force = models.TextField(
        "工作专班", blank=True, help_text="日常推进这项任务的人员，一行一人"
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    # 完成时限 as the document writes it, also where it names no date ("长期坚持", "按季度").
    deadline_text = models.CharField("完成时限（原文）", max_length=100, blank=True)

    history = HistoricalRecords(
        m2m_fields=[
            lead_leaders,
            co_leaders,
            lead_units,
            responsible_units,
            cooperating_units,
            participants,
        ]
    )

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["campaign_id", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def _shown(self, text: str, related: Any) -> str:
        """A role's names as the document wrote them, else the matched ones, joined with 、."""
        return text or "、".join(str(item) for item in related.all())

    # What the plan page, the review page and the export show for each role.
    @property
    def leaders_shown(self) -> str:
        return self._shown(self.leaders_text, self.lead_leaders)

    @property
    def co_leaders_shown(self) -> str:
        return self._shown(self.co_leaders_text, self.co_leaders)

    @property
    def lead_units_shown(self) -> str:
        return self._shown(self.lead_units_text, self.lead_units)

    @property
    def responsible_shown(self) -> str:
        return self._shown(self.responsible_text, self.responsible_units)

    @property
    def cooperating_shown(self) -> str:
        return self._shown(self.cooperating_text, self.cooperating_units)


class IndicatorKind(models.TextChoices):
    RATE = "rate", "比率"
    QUANTITY = "quantity", "数量"
    AMOUNT = "amount", "金额"
    MILESTONE = "milestone", "节点"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好"
    LOWER = "lower", "越低越好"


class IndicatorSource(models.TextChoices):
    REPORTED = "reported", "单位填报"
    COMPUTED = "computed", "台账自动计算"


class Indicator(models.Model):
    """指标: what a task measures, with its default target and its share of the task's score."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标名称", max_length=100)
    unit_of_measure = models.CharField("计量单位", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=10, choices=IndicatorKind.choices)
    stages = models.JSONField(
        "节点", default=list, blank=True, help_text="节点类指标依次经过的阶段"
    )
    direction = models.CharField(
        "方向", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    default_target = models.DecimalField(
        "目标值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    weight = models.DecimalField(
        "权重（%）",
        max_digits=5,
        decimal_places=2,
        default=100,
        help_text="占所属任务得分的百分比；一项任务的指标权重合计为 100",
    )
    source = models.CharField(
        "数据来源",
        max_length=10,
        choices=IndicatorSource.choices,
        default=IndicatorSource.REPORTED,
    )
    computed_key = models.CharField("计算口径", max_length=100, blank=True)
    applies_to = models.ManyToManyField(
        Unit,
        verbose_name="适用单位",
        blank=True,
        related_name="+",
        help_text="不选则适用于任务的全部参赛单位",
    )
    scope_note = models.CharField("目标说明", max_length=100, blank=True)
    source_text = models.CharField("原文依据", max_length=300, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    history = HistoricalRecords(m2m_fields=[applies_to])

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["task_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """目标值: one unit's own target for an indicator, overriding the default."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    deadline = models.DateField("完成时限", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "目标值"
        verbose_name_plural = "目标值"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="campaigns_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit}"
