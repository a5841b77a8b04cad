"""每季一小结: after a quarter's last period is dispatched, the quarter's trends, who rose and who
fell, the red lights month by month, and a draft text the office edits before publishing.

One summary per campaign and quarter, attached to the quarter's last period. Summarizing again
returns the same row while the figures are the same, and a new revision when a month's standings
changed (a correction to a monthly bulletin); the office's edits stay with the revision they were
made on. Until the office publishes it, a summary is seen by the office only.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from org.access import MANAGE, has_unit_perm
from org.dates import cn_date
from org.models import User

from ..models import (
    Bulletin,
    BulletinKind,
    Campaign,
    CampaignStatus,
    Light,
    Period,
    PeriodStatus,
    Standing,
    TaskKind,
)
from .dispatch import CN_NUMBERS, _fingerprint
from .ranking import _q
from .reporting import period_bounds

QUARTER_NAMES = "一二三四"


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"


def parse_quarter(text: str) -> tuple[int, int]:
    """ "2020-Q2" (or "2020Q2", "2020-2") → (2020, 2)."""
    match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]?([1-4])\s*", text or "")
    if not match:
        raise ValidationError(f"季度应写成 2020-Q2 的形式，收到“{text}”")
    return int(match.group(1)), int(match.group(2))


def campaign_quarters(campaign: Campaign) -> list[dict[str, Any]]:
    """The quarters a campaign runs through, oldest first: year, quarter, label, key."""
    quarters = []
    for year in range(campaign.start.year, campaign.end.year + 1):
        for quarter in (1, 2, 3, 4):
            first = date(year, 3 * quarter - 2, 1)
            last_month = 3 * quarter
            last = date(year, last_month, calendar.monthrange(year, last_month)[1])
            if last >= campaign.start and first <= campaign.end:
                quarters.append(
                    {
                        "year": year,
                        "quarter": quarter,
                        "label": quarter_label(year, quarter),
                        "key": f"{year}-Q{quarter}",
                    }
                )
    return quarters


def _office_only(user: User | None, campaign: Campaign, action: str) -> None:
    if user is not None and not has_unit_perm(user, campaign.bureau, MANAGE):
        raise PermissionDenied(f"只有局办公室可以{action}")


def quarter_periods(campaign: Campaign, year: int, quarter: int) -> list[Period]:
    """The quarter's periods, oldest first; refused unless every one inside the plan is dispatched."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError("季度应为 1 到 4")
    if campaign.status != CampaignStatus.PUBLISHED:
        raise ValidationError("方案发布后才能做季度小结")
    if not campaign.quarterly_summary:
        raise ValidationError(f"《{campaign.title}》没有开启“每季一小结”，可在方案信息中开启")
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    expected: dict[date, str] = {}
    day = first
    while day < after:
        starts, ends, label = period_bounds(campaign, day)
        if first <= starts < after and ends >= campaign.start and starts <= campaign.end:
            expected[starts] = label
        day += timedelta(days=1)
    label = quarter_label(year, quarter)
    if not expected:
        raise ValidationError(
            f"{label}不在方案期限内（{cn_date(campaign.start)}至{cn_date(campaign.end)}）"
        )
    periods = {
        p.starts: p
        for p in Period.objects.filter(campaign=campaign, starts__in=list(expected)).order_by(
            "starts"
        )
    }
    missing = [
        text
        for starts, text in sorted(expected.items())
        if starts not in periods or periods[starts].status != PeriodStatus.DISPATCHED
    ]
    if missing:
        raise ValidationError(
            f"{label}还不能小结：{'、'.join(missing)}尚未调度，请先完成这些调度期的调度"
        )
    return [periods[starts] for starts in sorted(expected)]


def _short(period: Period) -> str:
    return f"{period.starts.month}月" if period.label.endswith("月") else period.label


def _mean(values: list[Decimal]) -> Decimal | None:
    return _q(sum(values, Decimal(0)) / len(values)) if values else None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def summary_content(campaign: Campaign, year: int, quarter: int, periods: list[Period]) -> dict:
    """Everything the summary says, as plain data: the page, .xlsx and .docx all render this."""
    index = {p.pk: i for i, p in enumerate(periods)}
    standings = list(
        Standing.objects.filter(period__in=periods)
        .select_related("task", "unit")
        .order_by("task__order", "task_id", "unit__path")
    )
    issues = dict(
        Bulletin.objects.filter(
            period__in=periods, kind__in=(BulletinKind.MONTHLY, BulletinKind.CORRECTION)
        )
        .order_by("period_id", "revision")
        .values_list("period_id", "number")
    )
    months: list[dict[str, Any]] = [
        {
            "period_id": p.pk,
            "label": p.label,
            "short": _short(p),
            "issue": f"第{issues[p.pk]}期" if p.pk in issues else "",
            "reports": 0,
            "reported": 0,
            "lights": {light: 0 for light in Light.values},
            "red": [],
        }
        for p in periods
    ]
    tasks: dict[int, dict[str, Any]] = {}
    for s in standings:
        month = months[index[s.period_id]]
        month["reports"] += 1
        month["reported"] += s.reported
        month["lights"][s.light] += 1
        if s.light == Light.RED:
            month["red"].append({"unit": s.unit.name, "task": s.task.title})
        task = tasks.setdefault(
            s.task_id,
            {"task_id": s.task_id, "task": s.task.title, "kind": s.task.kind, "rows": {}},
        )
        row = task["rows"].setdefault(
            s.unit_id,
            {
                "unit": s.unit.name,
                "path": s.unit.path,
                "scores": [None] * len(periods),
                "completions": [None] * len(periods),
                "ranks": [None] * len(periods),
                "lights": [None] * len(periods),
            },
        )
        at = index[s.period_id]
        row["scores"][at], row["completions"][at] = s.score, s.completion
        row["ranks"][at], row["lights"][at] = s.rank, s.light
    contests: list[dict[str, Any]] = []
    pushes: list[dict[str, Any]] = []
    for task in tasks.values():
        rows = []
        for row in task["rows"].values():
            ranks = [r for r in row["ranks"] if r is not None]
            first_rank, last_rank = (ranks[0], ranks[-1]) if ranks else (None, None)
            rows.append(
                {
                    "unit": row["unit"],
                    "scores": [_text(v) for v in row["scores"]],
                    "completions": [_text(v) for v in row["completions"]],
                    "ranks": row["ranks"],
                    "lights": row["lights"],
                    "mean": _text(_mean([v for v in row["scores"] if v is not None])),
                    "first_rank": first_rank,
                    "last_rank": last_rank,
                    "change": None if first_rank is None else first_rank - last_rank,
                    "path": row["path"],
                }
            )
        # Ordered as the quarter ended: by the last month's place, then the tree.
        rows.sort(key=lambda r: (r["last_rank"] is None, r["last_rank"] or 0, r["path"]))
        for row in rows:
            del row["path"]
        averages = [
            _text(_mean([v for r in task["rows"].values() if (v := r["scores"][i]) is not None]))
            for i in range(len(periods))
        ]
        entry = {
            "task_id": task["task_id"],
            "task": task["task"],
            "rows": rows,
            "averages": averages,
        }
        (contests if task["kind"] == TaskKind.CONTEST else pushes).append(entry)
    moves = [
        {
            "task": c["task"],
            "unit": r["unit"],
            "from": r["first_rank"],
            "to": r["last_rank"],
            "change": r["change"],
        }
        for c in contests
        for r in c["rows"]
        if r["change"]
    ]
    risers = sorted((m for m in moves if m["change"] > 0), key=lambda m: (-m["change"], m["to"]))
    fallers = sorted((m for m in moves if m["change"] < 0), key=lambda m: (m["change"], m["to"]))
    red_sets: list[set[tuple[str, str]]] = [
        {(x["unit"], x["task"]) for x in m["red"]} for m in months
    ]
    always_red = set.intersection(*red_sets) if len(months) > 1 else set()
    label = quarter_label(year, quarter)
    content: dict[str, Any] = {
        "title": f"关于{label}全区民政系统“打擂攻坚”工作情况的小结",
        "campaign": campaign.title,
        "addressees": campaign.addressees
        or "各镇街道民政办公室、兰山经济开发区社会事务局，局机关各科室：",
        "issuer": campaign.issuing_unit or campaign.bureau.name,
        "year": year,
        "quarter": quarter,
        "quarter_label": label,
        "months": months,
        "contests": contests,
        "pushes": pushes,
        "risers": risers[:5],
        "fallers": fallers[:5],
        "always_red": [
            {"unit": unit, "task": task}
            for unit, task in sorted(always_red, key=lambda x: (x[1], x[0]))
        ],
    }
    content["draft_text"] = draft_text(content)
    return content


def _trend(first: str | None, last: str | None, first_month: str, last_month: str) -> str:
    if first is None or last is None:
        return f"季末为{last or first or '0.0'}分"
    a, b = Decimal(first), Decimal(last)
    verb = "提高到" if b > a else "下降到" if b < a else "保持在"
    if verb == "保持在":
        return f"{first_month}至{last_month}保持在{last}分"
    return f"由{first_month}的{first}分{verb}{last_month}的{last}分"


def draft_text(c: dict[str, Any]) -> str:
    """A first draft in the bureau's written style, built from the figures; the office edits it."""
    months = c["months"]
    names = "、".join(m["short"] for m in months)
    first, last = months[0]["short"], months[-1]["short"]
    reports = sum(m["reports"] for m in months)
    reported = sum(m["reported"] for m in months)
    rate = f"{reported / reports * 100:.1f}" if reports else "0.0"
    reds = [m["lights"]["red"] for m in months]
    issued = sum(1 for m in months if m["issue"])
    lines = [
        f"{c['quarter_label']}，全区民政系统认真落实“打擂攻坚”工作方案，按照“每月一调度、"
        f"每季一小结”的要求，局办公室对{names}各单位工作进展进行了调度，印发调度通报{issued}期。"
        "现将本季度工作情况小结如下：",
        "一、总体情况",
    ]
    if len(reds) > 1 and reds[-1] < reds[0]:
        red_trend = "红灯数量有所减少，整体进度有所加快"
    elif len(reds) > 1 and reds[-1] > reds[0]:
        red_trend = "红灯数量有所增加，部分工作进度滞后"
    else:
        red_trend = "红灯数量基本持平"
    lines.append(
        f"本季度各单位应报送月报{reports}份，按要求报送{reported}份，报送率{rate}%。"
        f"共亮红灯{sum(reds)}个次，其中"
        + "、".join(f"{m['short']}{m['lights']['red']}个" for m in months)
        + f"，{red_trend}。"
    )
    lines.append("二、擂台赛进展")
    if not c["contests"]:
        lines.append("本季度无擂台赛。")
    for i, contest in enumerate(c["contests"]):
        leader = contest["rows"][0] if contest["rows"] else None
        sentence = (
            f"（{CN_NUMBERS[i % 10]}）{contest['task']}。本季度参赛单位平均得分"
            + _trend(contest["averages"][0], contest["averages"][-1], first, last)
            + "。"
        )
        if leader and leader["last_rank"] == 1:
            sentence += f"{last}{leader['unit']}位列第一，得分{leader['scores'][-1]}分。"
        ups = sorted(
            (r for r in contest["rows"] if (r["change"] or 0) > 0), key=lambda r: -r["change"]
        )
        downs = sorted(
            (r for r in contest["rows"] if (r["change"] or 0) < 0), key=lambda r: r["change"]
        )
        if ups:
            sentence += "、".join(m["unit"] for m in ups[:3])
            sentence += f"名次较季初上升{ups[0]['change']}位" if len(ups) == 1 else "名次较季初上升"
            sentence += "，进步明显。"
        if downs:
            sentence += "、".join(m["unit"] for m in downs[:3])
            sentence += (
                f"名次较季初下降{-downs[0]['change']}位" if len(downs) == 1 else "名次较季初下降"
            )
            sentence += "，需引起重视。"
        lines.append(sentence)
    lines.append("三、攻坚战进展")
    if not c["pushes"]:
        lines.append("本季度无攻坚战。")
    for i, push in enumerate(c["pushes"]):
        parts = []
        for row in push["rows"]:
            values = [v for v in row["completions"] if v is not None]
            if values:
                state = "进度正常" if row["lights"][-1] == Light.GREEN else "进度滞后"
                parts.append(
                    f"{row['unit']}完成率"
                    + _trend(values[0], values[-1], first, last).replace("分", "%")
                    + f"，{state}"
                )
        lines.append(f"（{CN_NUMBERS[i % 10]}）{push['task']}。" + "；".join(parts) + "。")
    lines.append("四、存在的问题")
    problems = []
    if c["always_red"]:
        problems.append(
            f"{names}连续亮红灯的有："
            + "、".join(f"{x['unit']}（{x['task']}）" for x in c["always_red"])
            + "，工作推进明显滞后。"
        )
    if reported < reports:
        problems.append("个别单位未按时报送月报，调度数据不够完整。")
    if c["fallers"]:
        problems.append("部分单位名次下滑，工作力度有所减弱。")
    lines.append("".join(problems) or "各单位工作总体推进有序，但进度还不够均衡。")
    lines += [
        "五、下步工作打算",
        "1.对照季度排名查找差距。亮红灯、名次下滑的单位要认真分析原因，制定整改措施，限期赶上进度。",
        "2.加强业务指导和跟踪督导。各责任科室要对工作滞后的单位开展实地督查，帮助解决实际困难。",
        "3.坚持每月一调度、每季一小结。局办公室将继续通报各单位进展，年终将各月得分纳入考核评价。",
    ]
    return "\n".join(lines)


@transaction.atomic
def quarter_summarize(
    campaign: Campaign,
    year: int,
    quarter: int,
    user: User | None = None,
    *,
    today: date | None = None,
) -> Bulletin:
    """Draft the quarter's summary (季度小结), or return the one already drafted on the same figures.

    1. Check every period of the quarter is dispatched (a Chinese message names those that are not).
    2. Lock the quarter's last period: two runs for one quarter go one after the other.
    3. Same figures as the latest revision → that revision; otherwise a new, unpublished revision.
    """
    _office_only(user, campaign, "做季度小结")
    periods = quarter_periods(campaign, year, quarter)
    anchor = Period.objects.select_for_update().get(pk=periods[-1].pk)
    content = summary_content(campaign, year, quarter, periods)
    fingerprint = _fingerprint(content)
    latest = (
        Bulletin.objects.filter(period=anchor, kind=BulletinKind.QUARTERLY)
        .order_by("-revision")
        .first()
    )
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    if latest is None:
        number = (
            Bulletin.objects.filter(campaign=campaign, kind=BulletinKind.QUARTERLY).aggregate(
                n=Max("number")
            )["n"]
            or 0
        ) + 1
    else:
        number = latest.number
    issued_on = today or timezone.localdate()
    content["issue"] = f"第{number}期"
    content["issued_on"] = cn_date(issued_on)
    return Bulletin.objects.create(
        campaign=campaign,
        period=anchor,
        kind=BulletinKind.QUARTERLY,
        number=number,
        revision=latest.revision + 1 if latest else 1,
        corrects=(latest.corrects or latest) if latest else None,
        title=content["title"],
        issued_on=issued_on,
        content=content,
        text=content["draft_text"],
        fingerprint=fingerprint,
        published_at=None,
        created_by=user,
    )


def _summary_for_update(bulletin: Bulletin) -> Bulletin:
    if bulletin.kind != BulletinKind.QUARTERLY:
        raise ValidationError("这不是季度小结")
    return (
        Bulletin.objects.select_for_update().select_related("campaign__bureau").get(pk=bulletin.pk)
    )


@transaction.atomic
def summary_text_save(*, bulletin: Bulletin, text: str, user: User) -> Bulletin:
    """Keep the office's edited text of an unpublished summary."""
    locked = _summary_for_update(bulletin)
    _office_only(user, locked.campaign, "修改季度小结")
    if locked.published_at is not None:
        raise ValidationError("季度小结已发布，不能再修改；数据有变化时请重新生成")
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise ValidationError("小结正文不能为空")
    locked.text = text
    locked.save(update_fields=["text"])
    return locked


@transaction.atomic
def summary_publish(*, bulletin: Bulletin, user: User, today: date | None = None) -> Bulletin:
    """Publish a summary: dated the day it is published, visible to all who see its bulletins."""
    locked = _summary_for_update(bulletin)
    _office_only(user, locked.campaign, "发布季度小结")
    if locked.published_at is not None:
        return locked
    today = today or timezone.localdate()
    locked.issued_on = today
    locked.content = {**locked.content, "issued_on": cn_date(today)}
    locked.text = locked.text or locked.content["draft_text"]
    locked.published_at = timezone.now()
    locked.save(update_fields=["issued_on", "content", "text", "published_at"])
    return locked
