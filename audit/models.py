"""审计日志: one row per security-relevant event, written once and never changed.

The application refuses to change rows at three levels: `Event.save` writes only new rows,
`Event.delete` and the queryset's `update` / `delete` raise, and a database trigger
(audit/triggers.py, installed by migration 0002) refuses UPDATE, DELETE and TRUNCATE from any
SQL the application sends. Rows older than AUDIT_RETENTION_DAYS are archived by the DBA
(docs/OPERATIONS.md); nothing in the application deletes them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImmutableAuditError(Exception):
    """An attempt to change or delete an audit row."""

    def __init__(self) -> None:
        super().__init__("审计记录只能新增，不能修改或删除")


class Action(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    SUBMIT = "submit", "提交"
    ACCEPT = "accept", "审核通过"
    RETURN = "return", "退回"
    REOPEN = "reopen", "重新开放"
    PUBLISH = "publish", "发布"
    CLOSE = "close", "截止"
    DISPATCH = "dispatch", "调度"
    REMIND = "remind", "催报"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    # A record holding an ID number opened in Django's admin (masked there, as on the pages).
    VIEW = "view", "查看个人记录"
    VIEW_ID = "view_id", "查看完整身份证号"
    REFUSED = "refused", "拒绝访问"


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    INVALID = "invalid", "未通过校验"
    REFUSED = "refused", "被拒绝"
    ERROR = "error", "出错"


# The role column holds a user's role code, or this for what a management command did.
SYSTEM_ROLE = "system"


class EventQuerySet(models.QuerySet["Event"]):
    """Reads only: bulk changes of audit rows are refused before they reach the database."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableAuditError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditError

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableAuditError

    def _raw_delete(self, using: Any) -> int:  # Django's fast path for cascades
        raise ImmutableAuditError


class Event(models.Model):
    """审计记录: time, user, role, source address, action, object and outcome of one event."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True, editable=False)
    # PROTECT: a user with audit rows is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # The name as typed at a failed login, or the user's name when the row was written.
    username = models.CharField("登录名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    method = models.CharField("请求方式", max_length=10, blank=True)
    path = models.CharField("地址", max_length=500, blank=True)
    # Small and plain: reasons, counts, the command's options. Never an ID number, a password
    # or a session key (audit.services scrubs ID-number-like digits from every string).
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="audit_event_user_at"),
            models.Index(fields=["action", "at"], name="audit_event_action_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditError
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditError
