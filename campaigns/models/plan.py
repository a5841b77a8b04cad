"""The plan: 工作方案 (Campaign), its tasks (擂台赛 / 攻坚战 / 工作要点), indicators and targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Leader, Unit


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")


class Campaign(models.Model):
    """工作方案: a bureau's plan, a draft until the office publishes it."""

    bureau = models.ForeignKey(
        Unit, verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("方案名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=50, blank=True)
    issuing_unit = models.CharField(_("发文单位"), max_length=100, blank=True)
    issue_date = models.DateField(_("印发日期"), null=True, blank=True)
    addressees = models.CharField(_("主送"), max_length=300, blank=True)
    slogan = models.CharField(_("口号"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    cadence = models.CharField(
        _("调度周期"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("报送截止日"), default=3, help_text=_("每个调度期结束后第几天前报送（1-28）")
    )
    dispatch_day = models.PositiveSmallIntegerField(
        _("调度日"), default=5, help_text=_("每个调度期结束后第几天调度通报（1-28）")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("宽限天数"),
        default=2,
        help_text=_("截止日后还可补报的天数，补报记为逾期；过后由局办公室重新开放"),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("提前提醒天数"), default=2, help_text=_("截止日前几天开始提醒未提交的单位")
    )
    quarterly_summary = models.BooleanField(_("每季一小结"), default=True)
    yellow_gap = models.DecimalField(
        _("绿灯容差（百分点）"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_(
            "完成进度不低于时间进度为绿灯（时间过半、任务过半）；落后不超过这个差距仍算绿灯，默认 0"
        ),
    )
    red_gap = models.DecimalField(
        _("红灯差距（百分点）"),
        max_digits=5,
        decimal_places=2,
        default=20,
        help_text=_(
            "完成进度落后于时间进度超过这个差距亮红灯，其余落后为黄灯；未报送的单位一律红灯"
        ),
    )
    peers_visible = models.BooleanField(
        _("参赛单位可见彼此数值"), default=True, help_text=_("关闭后镇街只看到自己的数值和名次")
    )
    preamble = models.TextField(_("前言"), blank=True)
    requirements = models.TextField(_("工作要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    source_text = models.TextField(_("导入原文"), blank=True, editable=False)
    import_warnings = models.JSONField(_("导入提示"), default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        verbose_name = _("工作方案")
        verbose_name_plural = _("工作方案")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT


class TaskKind(models.TextChoices):
    CONTEST = "contest", _("擂台赛")
    PUSH = "push", _("攻坚战")
    KEY_TASK = "key_task", _("工作要点")


class Task(models.Model):
    """A task of the plan: 擂台赛 (ranked), 攻坚战 (milestones) or a plain 工作要点."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    chapter = models.CharField(_("章节"), max_length=200, blank=True)
    number = models.CharField(_("序号"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    kind = models.CharField(_("类型"), max_length=10, choices=TaskKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    goal = models.TextField(_("任务目标"), blank=True)
    content = models.TextField(_("活动内容"), blank=True)
    lead_leaders = models.ManyToManyField(
        Leader, verbose_name=_("牵头领导"), blank=True, related_name="led_tasks"
    )
    responsible_units = models.ManyToManyField(
        Unit, verbose_name=_("责任单位"), blank=True, related_name="responsible_tasks"
    )
    cooperating_units = models.ManyToManyField(
        Unit, verbose_name=_("配合单位"), blank=True, related_name="cooperating_tasks"
    )
    participants = models.ManyToManyField(
        Unit, verbose_name=_("参赛单位 / 实施主体"), blank=True, related_name="participating_tasks"
    )
    # The document's own words, shown on the plan page as written (责任科室：社会救助科、各镇街道（经开区）).
    leaders_text = models.CharField(_("牵头领导（原文）"), max_length=200, blank=True)
    responsible_text = models.CharField(_("责任单位（原文）"), max_length=500, blank=True)
    cooperating_text = models.CharField(_("配合单位（原文）"), max_length=500, blank=True)
    # Names the import could not match, by where they stood: {"leaders": [...], "responsible": [...],
    # "cooperating": [...]}. The review page maps each to a unit or leader, or drops it.
    unmatched_names = models.JSONField(_("未匹配的名称"), default=dict, blank=True, editable=False)
    task_force = models.TextField(
        _("工作专班"), blank=True, help_text=_("日常推进这项任务的人员，一行一人")
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)

    history = HistoricalRecords(
        m2m_fields=[lead_leaders, responsible_units, cooperating_units, participants]
    )

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["campaign_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class IndicatorKind(models.TextChoices):
    RATE = "rate", _("比率")
    QUANTITY = "quantity", _("数量")
    AMOUNT = "amount", _("金额")
    MILESTONE = "milestone", _("节点")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class IndicatorSource(models.TextChoices):
    REPORTED = "reported", _("单位填报")
    COMPUTED = "computed", _("台账自动计算")


class Indicator(models.Model):
    """指标: what a task measures, with its default target and its share of the task's score."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=100)
    unit_of_measure = models.CharField(_("计量单位"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=IndicatorKind.choices)
    stages = models.JSONField(
        _("节点"), default=list, blank=True, help_text=_("节点类指标依次经过的阶段")
    )
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    default_target = models.DecimalField(
        _("目标值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    weight = models.DecimalField(
        _("权重（%）"),
        max_digits=5,
        decimal_places=2,
        default=100,
        help_text=_("占所属任务得分的百分比；一项任务的指标权重合计为 100"),
    )
    source = models.CharField(
        _("数据来源"),
        max_length=10,
        choices=IndicatorSource.choices,
        default=IndicatorSource.REPORTED,
    )
    computed_key = models.CharField(_("计算口径"), max_length=100, blank=True)
    applies_to = models.ManyToManyField(
        Unit,
        verbose_name=_("适用单位"),
        blank=True,
        related_name="+",
        help_text=_("不选则适用于任务的全部参赛单位"),
    )
    scope_note = models.CharField(_("目标说明"), max_length=100, blank=True)
    source_text = models.CharField(_("原文依据"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords(m2m_fields=[applies_to])

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["task_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """目标值: one unit's own target for an indicator, overriding the default."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标值")
        verbose_name_plural = _("目标值")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="campaigns_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit}"
