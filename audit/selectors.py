"""Reading the audit trail: whose rows the office sees, and the words for codes."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from org.access import MANAGE, units_visible_to
from org.models import Role, Unit, User

from .models import SYSTEM_ROLE, Event
from .registry import RULES

ROLE_LABELS: dict[str, str] = {value: str(label) for value, label in Role.choices} | {
    SYSTEM_ROLE: "命令行"
}
DETAIL_LABELS = {
    "reason": "事由",
    "field": "涉及",
    "decision": "决定",
    "until": "开放至",
    "attempted": "尝试的操作",
    "status": "HTTP 状态",
    "parent": "所属",
    "command": "命令",
    "options": "参数",
    "args": "参数",
    "message": "说明",
    "mode": "方式",
    "quarter": "季度",
    "year": "年度",
    "count": "条数",
    "parameters": "参数名",
    "unit_pk": "单位编号",
    "label": "名称",
    "revoke": "停用链接",
    "unclassified": "未登记的地址",
}


def events_visible_to(user: Any) -> QuerySet[Event]:
    """The rows the office may read: everything but the doings of users scoped outside the
    units it manages (another bureau's staff). Rows with no user (failed logins, commands) are
    the system's and shown to every office."""
    managed = units_visible_to(user, MANAGE)
    if not user.is_authenticated or not managed.exists():
        return Event.objects.none()
    outsiders = User.objects.filter(scope__in=Unit.objects.exclude(pk__in=managed))
    return Event.objects.exclude(user__in=outsiders.values("pk"))


def object_type_label(label: str) -> str:
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def object_type_choices() -> list[tuple[str, str]]:
    """Every kind of object a row may name, with its Chinese name."""
    labels = {rule.model for rule in RULES.values() if rule.model}
    labels |= {rule.parent for rule in RULES.values() if rule.parent}
    return sorted(((label, object_type_label(label)) for label in labels), key=lambda c: c[1])
