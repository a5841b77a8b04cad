"""养老服务 records: institutions, community facilities, street-level centres, the 四赛
inspections and the 六晒 photo posts.

An `Institution` is the profile of an org.Unit of kind institution (its primary key is the
unit's), a `CommunityFacility` hangs on a community, a `ComprehensiveCentre` on a street.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from org.models import Unit

# 2014 年 5 月前已建成使用的老旧小区每百户不少于 15 平方米，之后的新建小区不少于 20 平方米。
ERA_CUTOFF = date(2014, 5, 1)
OLD_ESTATE_AREA = Decimal(15)
NEW_ESTATE_AREA = Decimal(20)


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PUBLIC_PRIVATE = "public_private", "公建民营"
    PRIVATE = "private", "民办"


class Institution(models.Model):
    """养老机构: the eldercare profile of an institution unit."""

    unit = models.OneToOneField(
        Unit,
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="eldercare_profile",
        verbose_name="单位",
    )
    ownership = models.CharField("性质", max_length=20, choices=Ownership.choices)
    operator = models.CharField("运营方", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    beds = models.PositiveIntegerField("床位数", default=0)
    nursing_beds = models.PositiveIntegerField("护理型床位数", default=0)
    residents = models.PositiveIntegerField("在院老人数", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "养老机构"
        verbose_name_plural = "养老机构"
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.unit.name

    def clean(self) -> None:
        errors = {}
        if self.nursing_beds > self.beds:
            errors["nursing_beds"] = "护理型床位数不能超过床位数"
        if self.residents > self.beds:
            errors["residents"] = "在院老人数不能超过床位数"
        if errors:
            raise ValidationError(errors)


class EstateEra(models.TextChoices):
    OLD = "old", "2014年5月前建成使用"
    NEW = "new", "2014年5月后建成使用"


class CommunityFacility(models.Model):
    """社区养老服务设施: what an estate (小区) of a community provides, and whether it is enough."""

    community = models.ForeignKey(
        Unit,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="eldercare_facilities",
    )
    name = models.CharField("设施名称", max_length=100)
    estate = models.CharField("小区", max_length=100)
    households = models.PositiveIntegerField("小区户数")
    estate_era = models.CharField("小区建成使用", max_length=10, choices=EstateEra.choices)
    area = models.DecimalField(
        "设施面积（平方米）", max_digits=8, decimal_places=1, validators=[MinValueValidator(0)]
    )
    completed_on = models.DateField("配建完成日期", null=True, blank=True)
    fire_safety_done = models.BooleanField("消防等设施改造已完成", default=False)
    fire_safety_done_on = models.DateField("消防改造完成日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区养老服务设施"
        verbose_name_plural = "社区养老服务设施"
        ordering = ["community__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_per_hundred(self) -> Decimal:
        return OLD_ESTATE_AREA if self.estate_era == EstateEra.OLD else NEW_ESTATE_AREA

    @property
    def required_area(self) -> Decimal:
        return (Decimal(self.households) * self.area_per_hundred / 100).quantize(Decimal("0.1"))

    @property
    def meets_standard(self) -> bool:
        return self.completed_on is not None and self.area >= self.required_area

    def clean(self) -> None:
        if self.fire_safety_done and not self.fire_safety_done_on:
            raise ValidationError({"fire_safety_done_on": "请填写消防改造完成日期"})
        if self.fire_safety_done_on and not self.fire_safety_done:
            self.fire_safety_done = True


class ComprehensiveCentre(models.Model):
    """街道级综合养老服务中心: 全托、日托、上门服务、对下指导."""

    street = models.ForeignKey(
        Unit, verbose_name="街道", on_delete=models.PROTECT, related_name="eldercare_centres"
    )
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    area = models.DecimalField(
        "建筑面积（平方米）", max_digits=8, decimal_places=1, null=True, blank=True
    )
    beds = models.PositiveIntegerField("床位数", default=0)
    full_care = models.BooleanField("全托", default=False)
    day_care = models.BooleanField("日托", default=False)
    home_service = models.BooleanField("上门服务", default=False)
    guidance = models.BooleanField("对下指导", default=False)
    opened_on = models.DateField("投入运营日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "街道综合养老服务中心"
        verbose_name_plural = "街道综合养老服务中心"
        ordering = ["street__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def functions(self) -> list[str]:
        names = [("full_care", "全托"), ("day_care", "日托"), ("home_service", "上门服务")]
        names.append(("guidance", "对下指导"))
        return [label for field, label in names if getattr(self, field)]

    @property
    def has_all_functions(self) -> bool:
        return len(self.functions) == 4


SCORE = [MinValueValidator(0), MaxValueValidator(100)]


class Inspection(models.Model):
    """四赛检查: one inspection's four scores (百分制)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField("检查日期")
    inspector = models.CharField("检查人", max_length=50)
    fine_management = models.DecimalField(
        "精细管理", max_digits=4, decimal_places=1, validators=SCORE
    )
    nutrition = models.DecimalField("营养膳食", max_digits=4, decimal_places=1, validators=SCORE)
    kitchen = models.DecimalField("厨房卫生", max_digits=4, decimal_places=1, validators=SCORE)
    environment = models.DecimalField("环境卫生", max_digits=4, decimal_places=1, validators=SCORE)
    note = models.TextField("检查意见", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "“四赛”检查"
        verbose_name_plural = "“四赛”检查"
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["institution", "inspected_on"])]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.inspected_on}"

    @property
    def average(self) -> Decimal:
        total = self.fine_management + self.nutrition + self.kitchen + self.environment
        return (total / 4).quantize(Decimal("0.01"))


class DisplayItem(models.TextChoices):
    MEALS = "meals", "膳食"
    FOOD_SAMPLES = "food_samples", "食品留样"
    KITCHEN = "kitchen", "厨房"
    ACTIVITY = "activity", "活动场所"
    ROOMS = "rooms", "老人居室"
    SERVICE = "service", "服务照片"


# 每天晒膳食、晒食品留样，每周晒厨房、晒室内或室外活动场所、晒老人居室、晒服务老人照片。
DAILY_ITEMS = (DisplayItem.MEALS, DisplayItem.FOOD_SAMPLES)
WEEKLY_ITEMS = (DisplayItem.KITCHEN, DisplayItem.ACTIVITY, DisplayItem.ROOMS, DisplayItem.SERVICE)


def slot_day(item: str, day: date) -> date:
    """The day a post counts for: the day itself, or the Monday of its week for weekly items."""
    return day if item in DAILY_ITEMS else day - timedelta(days=day.weekday())


class DisplayPost(models.Model):
    """六晒: one photo of one item for one day (daily items) or one week (weekly items, keyed
    by the week's Monday). `on_time` is whether it was posted within that day or week."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="posts")
    item = models.CharField("项目", max_length=20, choices=DisplayItem.choices)
    day = models.DateField("日期")
    photo = models.CharField(max_length=200)  # path under MEDIA_ROOT, served by a checking view
    thumbnail = models.CharField(max_length=200)
    caption = models.CharField("说明", max_length=200, blank=True)
    posted_at = models.DateTimeField("上传时间")
    on_time = models.BooleanField("按时", default=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "“六晒”照片"
        verbose_name_plural = "“六晒”照片"
        ordering = ["-day", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "item", "day"], name="eldercare_post_one_per_slot"
            )
        ]
        indexes = [models.Index(fields=["day", "on_time"])]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.item} {self.day}"
