"""每月一调度: close the period, compute the standings, issue the monthly bulletin (调度通报).

One transaction does it all, so a crash half-way leaves nothing behind and the next run starts
clean. A published bulletin never changes: dispatching again yields the same bulletin when
nothing moved, and a 更正 (correction) that says what changed when something did.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from org.dates import cn_date
from org.models import User

from ..models import (
    REPORTED,
    Bulletin,
    BulletinKind,
    IndicatorKind,
    Light,
    Period,
    PeriodStatus,
    Report,
    Standing,
    TaskKind,
)
from .ranking import standings_save
from .reporting import computed_fill

CN_NUMBERS = "一二三四五六七八九十"


def _value_text(line: dict[str, Any], stages: dict[int, list[str]]) -> str:
    value = line["value"]
    if value is None:
        return "未填"
    if line["kind"] == IndicatorKind.MILESTONE:
        names = stages.get(line["indicator"], [])
        index = int(float(value)) - 1
        return names[index] if 0 <= index < len(names) else value
    number = f"{float(value):g}" if line["kind"] != IndicatorKind.RATE else f"{float(value):.1f}"
    unit = line["unit_of_measure"] or ""
    return f"{number}{unit}" if unit in ("%", "") else f"{number} {unit}"


def bulletin_content(period: Period) -> dict[str, Any]:
    """Everything the bulletin says, as plain data: the page, .xlsx and .docx all render this."""
    campaign = period.campaign
    standings = list(
        Standing.objects.filter(period=period)
        .select_related("task", "unit")
        .order_by("task__order", "task_id", "rank", "-score", "unit__path")
    )
    reports = list(Report.objects.filter(period=period).select_related("task", "unit"))
    stages = {
        indicator.pk: list(indicator.stages or [])
        for task in campaign.tasks.prefetch_related("indicators")
        for indicator in task.indicators.all()
    }
    units = {r.unit_id: r.unit for r in reports}
    unit_reports: dict[int, list[Report]] = {}
    for report in reports:
        unit_reports.setdefault(report.unit_id, []).append(report)
    reported_units = [
        uid for uid, rows in unit_reports.items() if all(r.status in REPORTED for r in rows)
    ]
    missing = sorted({r.unit.name for r in reports if r.status not in REPORTED})
    late = sorted({r.unit.name for r in reports if r.late and r.unit.name not in missing})
    lights = {light: 0 for light in Light.values}
    for standing in standings:
        lights[standing.light] += 1

    def row(standing: Standing) -> dict[str, Any]:
        return {
            "rank": standing.rank,
            "unit": standing.unit.name,
            "score": f"{standing.score:.1f}",
            "completion": f"{standing.completion:.1f}",
            "expected": f"{standing.expected:.1f}",
            "light": standing.light,
            "reported": standing.reported,
            "rank_change": standing.rank_change,
            "indicators": [
                {
                    "name": line["name"],
                    "value": _value_text(line, stages),
                    "completion": line["completion"],
                }
                for line in standing.details
            ],
        }

    contests: list[dict[str, Any]] = []
    pushes: list[dict[str, Any]] = []
    for standing in standings:
        bucket = contests if standing.task.kind == TaskKind.CONTEST else pushes
        if not bucket or bucket[-1]["task_id"] != standing.task_id:
            bucket.append(
                {
                    "task_id": standing.task_id,
                    "task": standing.task.title,
                    "number": standing.task.number,
                    "indicators": [line["name"] for line in standing.details],
                    "rows": [],
                }
            )
        bucket[-1]["rows"].append(row(standing))
    red_list = [
        {
            "unit": s.unit.name,
            "task": s.task.title,
            "reason": "未按时报送"
            if not s.reported
            else f"完成 {s.completion:.1f}%，时间进度 {s.expected:.1f}%",
        }
        for s in standings
        if s.light == Light.RED
    ]
    rising = sorted(
        (s for s in standings if s.rank_change and s.rank_change > 0),
        key=lambda s: (-(s.rank_change or 0), s.rank or 0),
    )[:5]
    risers = [
        {"unit": s.unit.name, "task": s.task.title, "change": s.rank_change, "rank": s.rank}
        for s in rising
    ]
    problems = [
        {"unit": r.unit.name, "task": r.task.title, "text": r.problems.strip()}
        for r in sorted(reports, key=lambda r: (r.task.order, r.unit.path))
        if r.problems.strip() and r.problems.strip() not in ("无", "暂无") and r.status in REPORTED
    ]
    month = (
        f"{period.starts.year}年{period.starts.month}月份"
        if period.label.endswith("月")
        else period.label
    )
    return {
        "title": f"关于{month}全区民政系统“打擂攻坚”工作调度情况的通报",
        "campaign": campaign.title,
        "addressees": campaign.addressees
        or "各镇街道民政办公室、兰山经济开发区社会事务局，局机关各科室：",
        "issuer": campaign.issuing_unit or campaign.bureau.name,
        "period": period.label,
        "overview": {
            "units": len(units),
            "reports": len(reports),
            "reported_units": len(reported_units),
            "submitted": sum(r.status in REPORTED for r in reports),
            "late": late,
            "missing": missing,
            "lights": lights,
        },
        "contests": contests,
        "pushes": pushes,
        "red_list": red_list,
        "risers": risers,
        "problems": problems,
        "requirements": [
            "各镇街道要对照排名查找差距，亮红灯的单位要认真分析原因，制定整改措施，限期赶上进度。",
            "各责任科室要加强对镇街道的业务指导，对工作滞后的单位开展跟踪督导。",
            "请各单位按时报送月度进展和佐证材料，确保数据真实准确。",
        ],
    }


def _fingerprint(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What a correction says changed: places, scores and lights by contest, and the lists."""
    said: list[str] = []
    old_rows = {
        (c["task"], r["unit"]): r
        for c in old.get("contests", []) + old.get("pushes", [])
        for r in c["rows"]
    }
    for contest in new.get("contests", []) + new.get("pushes", []):
        for row in contest["rows"]:
            before = old_rows.get((contest["task"], row["unit"]))
            if before is None:
                said.append(f"{contest['task']}：增加{row['unit']}")
                continue
            parts = []
            if before["rank"] != row["rank"] and row["rank"] is not None:
                parts.append(f"名次由第{before['rank']}名改为第{row['rank']}名")
            if before["score"] != row["score"]:
                parts.append(f"得分由{before['score']}改为{row['score']}")
            if before["light"] != row["light"]:
                parts.append(f"{Light(before['light']).label}改为{Light(row['light']).label}")
            if parts:
                said.append(f"{contest['task']}：{row['unit']}" + "，".join(parts))
    for key, label in (("missing", "未报送单位"), ("late", "逾期报送单位")):
        if old["overview"][key] != new["overview"][key]:
            said.append(
                f"{label}由“{'、'.join(old['overview'][key]) or '无'}”改为“{'、'.join(new['overview'][key]) or '无'}”"
            )
    return said or ["存在问题等文字内容有更新"]


@transaction.atomic
def period_dispatch(
    *, period: Period, user: User | None = None, today: date | None = None
) -> Bulletin:
    """Close the period, compute its standings and issue its bulletin (or its correction).

    1. Lock the period row: two dispatches of one period run one after the other.
    2. Refresh the computed entries and the standings (replacing any earlier ones).
    3. Compare with the latest bulletin of the period: identical → return it; different → a 更正.
    """
    locked = Period.objects.select_for_update().select_related("campaign__bureau").get(pk=period.pk)
    today = today or timezone.localdate()
    computed_fill(locked)
    standings_save(locked)
    content = bulletin_content(locked)
    fingerprint = _fingerprint(content)
    latest = (
        Bulletin.objects.filter(
            period=locked, kind__in=(BulletinKind.MONTHLY, BulletinKind.CORRECTION)
        )
        .order_by("-revision")
        .first()
    )
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    issued_on = max(today, locked.dispatch_on) if latest is None else today
    if latest is None:
        number = (
            Bulletin.objects.filter(campaign=locked.campaign, kind=BulletinKind.MONTHLY).aggregate(
                n=Max("number")
            )["n"]
            or 0
        ) + 1
        kind, title, corrects, revision = BulletinKind.MONTHLY, content["title"], None, 1
    else:
        original = latest.corrects or latest
        number, kind, revision = original.number, BulletinKind.CORRECTION, latest.revision + 1
        title, corrects = f"{original.title}（更正）", original
        content["corrections"] = _changes(latest.content, content)
    content["issue"] = f"第{number}期"
    content["issued_on"] = cn_date(issued_on)
    bulletin = Bulletin.objects.create(
        campaign=locked.campaign,
        period=locked,
        kind=kind,
        number=number,
        revision=revision,
        corrects=corrects,
        title=title,
        issued_on=issued_on,
        content=content,
        fingerprint=fingerprint,
        published_at=timezone.now(),
        created_by=user,
    )
    if locked.status != PeriodStatus.DISPATCHED:
        locked.status = PeriodStatus.DISPATCHED
        locked.closed_at = locked.closed_at or timezone.now()
        locked.save(update_fields=["status", "closed_at"])
    return bulletin
