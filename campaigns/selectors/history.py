"""The change history of a plan: who changed what and when, from django-simple-history."""

from __future__ import annotations

from typing import Any

from ..models import Campaign, Indicator, Target, Task

LIMIT = 300
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


def _field_label(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field the model no longer has
        return name


def _entry(record: Any, model: Any, what: str) -> dict[str, Any]:
    changed: list[str] = []
    if record.history_type == "~":
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous)
            changed = [_field_label(model, change.field) for change in delta.changes]
    return {
        "when": record.history_date,
        "who": getattr(record.history_user, "display_name", None) or "系统",
        "action": ACTIONS.get(record.history_type, record.history_type),
        "what": what,
        "fields": changed,
    }


def plan_changes(campaign: Campaign) -> list[dict[str, Any]]:
    """Every recorded change to the campaign, its tasks, indicators and targets, newest first."""
    entries: list[dict[str, Any]] = []
    for record in Campaign.history.filter(id=campaign.pk).select_related("history_user")[:LIMIT]:
        entries.append(_entry(record, Campaign, "方案基本信息"))
    tasks = Task.history.filter(campaign_id=campaign.pk).select_related("history_user")[:LIMIT]
    for record in tasks:
        entries.append(_entry(record, Task, f"任务“{record.title}”"))
    indicators = Indicator.history.filter(
        task_id__in=Task.objects.filter(campaign=campaign).values("pk")
    )
    for record in indicators.select_related("history_user")[:LIMIT]:
        entries.append(_entry(record, Indicator, f"指标“{record.name}”"))
    targets = Target.history.filter(
        indicator_id__in=Indicator.objects.filter(task__campaign=campaign).values("pk")
    ).select_related("history_user", "unit")[:LIMIT]
    for record in targets:
        entries.append(_entry(record, Target, f"{record.unit.name}的目标值"))
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:LIMIT]
