"""社会救助 records: households and persons under 低保 / 低保边缘 / 特困, their support periods,
探访 visits, 临时救助 payments, 照料护理人 and the record of who saw a full ID number.

Every row hangs on a township unit (`unit`) and, where known, a community or village under it
(`community`). What a person's support was on a given day is kept as `SupportPeriod` rows
(effective dates, not edit times), so an indicator "as of a period's end" reads the period that
covered that day; edits themselves are kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from org.models import Unit

from . import idnumber


class Assistance(models.TextChoices):
    URBAN_DIBAO = "urban_dibao", "城市低保"
    RURAL_DIBAO = "rural_dibao", "农村低保"
    EDGE = "edge", "低保边缘"
    TEKUN = "tekun", "特困人员"


class SupportMode(models.TextChoices):
    CONCENTRATED = "concentrated", "集中供养"
    DISPERSED = "dispersed", "分散供养"


class SelfCare(models.TextChoices):
    FULL = "full", "生活能自理"
    PARTIAL = "partial", "部分不能自理"
    NONE = "none", "完全不能自理"


# 完全及部分不能自理: the people contest 一 of seed 000 wants in institutions.
NEEDS_CARE = (SelfCare.PARTIAL, SelfCare.NONE)


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "在保"
    ENDED = "ended", "已退出"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


def validate_id_number(value: str) -> None:
    found = idnumber.problems(value)
    if found:
        raise ValidationError(found[0], code="id_number")


class Household(models.Model):
    """户: a household on the rosters (低保 is granted per household)."""

    unit = models.ForeignKey(
        Unit, verbose_name="镇街", on_delete=models.PROTECT, related_name="relief_households"
    )
    community = models.ForeignKey(
        Unit,
        verbose_name="社区（村）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relief_community_households",
    )
    number = models.CharField("户编号", max_length=30)
    head_name = models.CharField("户主姓名", max_length=30)
    address = models.CharField("家庭住址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    assistance = models.CharField("保障类别", max_length=20, choices=Assistance.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "救助家庭"
        verbose_name_plural = "救助家庭"
        ordering = ["unit_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="relief_household_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.head_name}"


class Person(models.Model):
    """救助对象: one person, with the support they receive now (past support in SupportPeriod)."""

    household = models.ForeignKey(
        Household,
        verbose_name="家庭",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="镇街", on_delete=models.PROTECT, related_name="relief_persons"
    )
    community = models.ForeignKey(
        Unit,
        verbose_name="社区（村）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relief_community_persons",
    )
    name = models.CharField("姓名", max_length=30)
    id_number = models.CharField(
        "身份证号", max_length=18, unique=True, validators=[validate_id_number]
    )
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    relation = models.CharField("与户主关系", max_length=20, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    assistance = models.CharField("保障类别", max_length=20, choices=Assistance.choices)
    status = models.CharField(
        "状态", max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    support_mode = models.CharField(
        "供养方式", max_length=20, choices=SupportMode.choices, blank=True
    )
    self_care = models.CharField("自理能力", max_length=10, choices=SelfCare.choices, blank=True)
    institution = models.ForeignKey(
        Unit,
        verbose_name="供养机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relief_residents",
    )
    since = models.DateField("纳入日期")
    ended_on = models.DateField("退出日期", null=True, blank=True)
    monthly_amount = models.DecimalField(
        "月保障金额（元）", max_digits=8, decimal_places=2, null=True, blank=True
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "救助对象"
        verbose_name_plural = "救助对象"
        ordering = ["unit_id", "community_id", "name", "id"]
        indexes = [
            models.Index(fields=["unit", "assistance", "status"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return idnumber.mask(self.id_number)

    @property
    def place(self) -> Unit:
        return self.community or self.unit

    @property
    def age(self) -> int:
        """Whole years as of today. Pages show this, not the birth year and month: those are six
        of the eight digits a masked number hides."""
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.assistance == Assistance.TEKUN:
            if not self.support_mode:
                errors["support_mode"] = "特困人员请选择集中供养或分散供养"
            if not self.self_care:
                errors["self_care"] = "特困人员请选择自理能力"
            if self.support_mode == SupportMode.CONCENTRATED and not self.institution_id:
                errors["institution"] = "集中供养请选择供养机构"
        elif self.support_mode:
            errors["support_mode"] = "只有特困人员有供养方式"
        if self.support_mode != SupportMode.CONCENTRATED and self.institution_id:
            errors["institution"] = "只有集中供养的人员有供养机构"
        if (
            self.community_id
            and self.unit_id
            and not self.community.path.startswith(self.unit.path)  # type: ignore[union-attr]
        ):
            errors["community"] = "所选社区（村）不在该镇街辖区内"
        if self.ended_on and self.ended_on < self.since:
            errors["ended_on"] = "退出日期不能早于纳入日期"
        if errors:
            raise ValidationError(errors)


class SupportPeriod(models.Model):
    """保障状态段: what a person received from `starts_on` until the day before `ends_on`.

    `unit` is the most precise place (the community if known, else the township), so a count
    grouped by it rolls up to any unit above by path prefix.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="periods")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="relief_periods")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True)  # exclusive; None: open
    assistance = models.CharField("保障类别", max_length=20, choices=Assistance.choices)
    support_mode = models.CharField(
        "供养方式", max_length=20, choices=SupportMode.choices, blank=True
    )
    self_care = models.CharField("自理能力", max_length=10, choices=SelfCare.choices, blank=True)
    institution = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "保障状态段"
        verbose_name_plural = "保障状态段"
        ordering = ["person_id", "starts_on", "id"]
        indexes = [
            models.Index(fields=["assistance", "starts_on", "ends_on"]),
            models.Index(fields=["person", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="relief_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.starts_on}–{self.ends_on or ''}"


class VisitKind(models.TextChoices):
    HOME = "home", "上门探访"
    PHONE = "phone", "电话问候"
    FESTIVAL = "festival", "节日慰问"


class Visit(models.Model):
    """探访: a visit to a person supported at home (分散供养)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("探访日期")
    kind = models.CharField(
        "方式", max_length=10, choices=VisitKind.choices, default=VisitKind.HOME
    )
    visitor = models.CharField("探访人", max_length=50)
    findings = models.TextField("探访情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "探访记录"
        verbose_name_plural = "探访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["person", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.visited_on}"


class TemporaryAid(models.Model):
    """临时救助: a one-off payment to a person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="aids")
    paid_on = models.DateField("救助日期")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    reason = models.CharField("救助事由", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "临时救助"
        verbose_name_plural = "临时救助"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="relief_aid_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.paid_on} {self.amount}"


class Caregiver(models.Model):
    """照料护理人: who looks after a person at home, under a signed agreement (护理协议)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caregivers")
    name = models.CharField("姓名", max_length=30)
    relation = models.CharField("与对象关系", max_length=20, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    agreement_number = models.CharField("协议编号", max_length=50, blank=True)
    agreement_start = models.DateField("协议起始")
    agreement_end = models.DateField("协议截止", null=True, blank=True)
    monthly_fee = models.DecimalField(
        "护理费（元/月）", max_digits=8, decimal_places=2, null=True, blank=True
    )
    replaced_on = models.DateField("更换日期", null=True, blank=True)
    replaced_reason = models.CharField("更换原因", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "照料护理人"
        verbose_name_plural = "照料护理人"
        ordering = ["person_id", "-agreement_start", "-id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.agreement_end and self.agreement_end < self.agreement_start:
            raise ValidationError({"agreement_end": "协议截止日期不能早于起始日期"})


class IdNumberView(models.Model):
    """A full ID number shown to someone: who, whose, when and from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="id_number_views"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="id_number_views")
    viewed_at = models.DateTimeField("查看时间", auto_now_add=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    reason = models.CharField("查看事由", max_length=200, default="")

    class Meta:
        verbose_name = "身份证号查看记录"
        verbose_name_plural = "身份证号查看记录"
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id} @ {self.viewed_at:%Y-%m-%d %H:%M}"


class IdClaimStatus(models.TextChoices):
    PENDING = "pending", "待核实"
    ACCEPTED = "accepted", "已同意"
    REJECTED = "rejected", "不予登记"


class IdClaimSource(models.TextChoices):
    FORM = "form", "页面登记"
    IMPORT = "import", "台账导入"


class IdClaim(models.Model):
    """身份证号核实: a registration held for the 社会救助科 because its ID number is already on a
    roster the requesting user cannot see (another township's, or another bureau's).

    `data` is the registration as the township typed it (the person form's fields, ids for units,
    ISO dates, amounts as text); `person` is the record the number collides with. The requester
    is never told that it collides: only the section sees both records, and decides.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="申请镇街", on_delete=models.PROTECT, related_name="relief_id_claims"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.PROTECT,
        related_name="relief_id_claims",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    source = models.CharField(
        "来源", max_length=10, choices=IdClaimSource.choices, default=IdClaimSource.FORM
    )
    line = models.PositiveIntegerField("台账行号", null=True, blank=True)
    name = models.CharField("姓名", max_length=30)
    id_number = models.CharField("身份证号", max_length=18, validators=[validate_id_number])
    data = models.JSONField("登记内容", default=dict)
    person = models.ForeignKey(
        Person,
        verbose_name="已登记对象",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="id_claims",
    )
    status = models.CharField(
        "状态", max_length=10, choices=IdClaimStatus.choices, default=IdClaimStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    effective = models.DateField("转入日期", null=True, blank=True)
    decision_note = models.TextField("核实意见", blank=True)

    class Meta:
        verbose_name = "身份证号核实"
        verbose_name_plural = "身份证号核实"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "unit"]),
            models.Index(fields=["requested_by", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=IdClaimStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=IdClaimStatus.PENDING) & Q(decided_at__isnull=False)),
                name="relief_idclaim_decided_when_not_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_id_number}"

    @property
    def masked_id_number(self) -> str:
        return idnumber.mask(self.id_number)
