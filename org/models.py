"""Units, leaders and users: the one tree every other app hangs its data on."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class UnitKind(models.TextChoices):
    BUREAU = "bureau", "局"
    SECTION = "section", "科室"
    STREET = "street", "街道"
    TOWN = "town", "镇"
    DEVZONE = "devzone", "经开区"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"
    INSTITUTION = "institution", "养老机构"
    PARTNER = "partner", "配合单位"


# Kinds that the documents call 镇街道（经开区）: they implement the plan and report every month.
TOWNSHIP_KINDS = (UnitKind.STREET, UnitKind.TOWN, UnitKind.DEVZONE)
# Which kinds may hang under which: the tree the office edits must stay one a bureau recognises.
ALLOWED_PARENT_KINDS: dict[str, tuple[str, ...]] = {
    UnitKind.BUREAU: (),
    UnitKind.SECTION: (UnitKind.BUREAU,),
    UnitKind.STREET: (UnitKind.BUREAU,),
    UnitKind.TOWN: (UnitKind.BUREAU,),
    UnitKind.DEVZONE: (UnitKind.BUREAU,),
    UnitKind.COMMUNITY: TOWNSHIP_KINDS,
    UnitKind.VILLAGE: TOWNSHIP_KINDS,
    UnitKind.INSTITUTION: (UnitKind.BUREAU, *TOWNSHIP_KINDS),
    UnitKind.PARTNER: (UnitKind.BUREAU,),
}


class RecordsDomain(models.TextChoices):
    RELIEF = "relief", "社会救助台账"
    ELDERCARE = "eldercare", "养老服务台账"


class Unit(models.Model):
    """单位: the bureau, a section, a township, a community, an institution or a partner.

    `path` is the chain of ids from the root ("/1/7/42/"), kept by org.services, so a subtree
    is one indexed prefix query instead of a walk.
    """

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类别", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    contact_person = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    note = models.TextField("备注", blank=True)
    keeps_records = models.CharField(
        "分管台账",
        max_length=20,
        choices=RecordsDomain.choices,
        blank=True,
        help_text="科室分管的业务台账：该科室人员可查看全局这类台账",
    )

    history = HistoricalRecords(excluded_fields=["path", "depth"])

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        permissions = [
            ("report_for_unit", "代表该单位填报"),
            ("manage_unit", "管理该单位及其用户"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="org_unit_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="org_unit_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_township(self) -> bool:
        return self.kind in TOWNSHIP_KINDS

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit's parent."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


class UnitUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key permission table: guardian's fast path, one row per user, unit, perm."""

    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


class Role(models.TextChoices):
    LEADER = "leader", "局领导"
    OFFICE = "office", "局办公室"
    SECTION = "section", "科室"
    TOWNSHIP = "township", "镇街"
    INSTITUTION = "institution", "养老机构"


class User(AbstractUser):
    """A person who logs in, with one role and the units they act for (their scope)."""

    full_name = models.CharField("姓名", max_length=30, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    scope = models.ManyToManyField(
        Unit, verbose_name="所属单位", blank=True, related_name="members"
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)
    # 等保 password rules: the age is counted from here (None: never recorded, so a change is due);
    # a password set by the office (a new account, a reset) must be changed by its owner.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("须修改密码", default=False)
    # Re-enabling an account restarts its idle clock, or the nightly job would disable it again.
    reactivated_at = models.DateTimeField("重新启用时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Leader(models.Model):
    """领导: a bureau leader named in plans as 牵头领导; may have a login."""

    name = models.CharField("姓名", max_length=30)
    title = models.CharField("职务", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="leaders"
    )
    user = models.OneToOneField(
        User,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leader",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在任", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "领导"
        verbose_name_plural = "领导"
        ordering = ["unit_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="org_leader_unique_name_in_unit")
        ]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """通知: a message to one user inside the product (a plan changed, a report was returned)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class UserSession(models.Model):
    """登录会话: which session belongs to whom, so a disabled account's sessions can be ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField("会话", max_length=40, unique=True)
    created = models.DateTimeField("登录时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        indexes = [models.Index(fields=["created"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created:%Y-%m-%d %H:%M}"
