"""Records are never hard-deleted: a deletion is a mark with who, when and why.

A model that mixes in `SoftDeleteModel` hides its deleted rows from `objects` (and so from every
related manager and page); `all_objects` still reaches them for the audit and for restores.
`Model.delete()` and `QuerySet.delete()` refuse, so a slip in code cannot remove a record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

REASON_MIN_LENGTH = 2


class SoftDeleteQuerySet(models.QuerySet):
    def delete(self) -> Any:
        raise ValidationError("记录不能直接删除：请逐条删除并写明原因")


class AliveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    delete_reason = models.CharField("删除原因", max_length=200, blank=True, editable=False)

    objects = AliveManager()
    all_objects = models.Manager.from_queryset(SoftDeleteQuerySet)()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("记录不能直接删除：请写明原因后删除")

    def soft_delete(self, *, user: Any, reason: str) -> None:
        reason = (reason or "").strip()
        if len(reason) < REASON_MIN_LENGTH:
            raise ValidationError({"reason": "请写明删除原因"})
        if self.deleted_at is not None:
            raise ValidationError("该记录已删除")
        self.deleted_at = timezone.now()
        self.deleted_by = user if getattr(user, "pk", None) else None
        self.delete_reason = reason[:200]
        self.save(update_fields=["deleted_at", "deleted_by", "delete_reason"])
