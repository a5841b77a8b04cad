"""The 季度小结 as an official .docx: the office's edited text, then an attachment with a trend
chart and a score table per contest, the pushes' completion by month and the red lights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..models import Bulletin, Light
from .monthly import LIGHT_NAMES, bulletin_head, change_text
from .official import FONT_HEADING
from .wording import cn_number

NEXT_STEPS = [
    "1.对照季度排名查找差距。亮红灯、名次下滑的单位要认真分析原因，制定整改措施，限期赶上进度。",
    "2.加强业务指导和跟踪督导。各责任科室要对工作滞后的单位开展实地督查，帮助解决实际困难。",
    "3.坚持每月一调度、每季一小结。局办公室将继续通报各单位进展，年终将各月得分纳入考核评价。",
]


def quarterly_title(quarter_label: str) -> str:
    return f"关于{quarter_label}全区民政系统“打擂攻坚”工作情况的小结"


def _trend(first: str | None, last: str | None, first_month: str, last_month: str) -> str:
    if first is None or last is None:
        return f"季末为{last or first or '0.0'}分"
    a, b = Decimal(first), Decimal(last)
    verb = "提高到" if b > a else "下降到" if b < a else "保持在"
    if verb == "保持在":
        return f"{first_month}至{last_month}保持在{last}分"
    return f"由{first_month}的{first}分{verb}{last_month}的{last}分"


def _overview(c: dict[str, Any]) -> list[str]:
    months = c["months"]
    names = "、".join(m["short"] for m in months)
    reports = sum(m["reports"] for m in months)
    reported = sum(m["reported"] for m in months)
    rate = f"{reported / reports * 100:.1f}" if reports else "0.0"
    reds = [m["lights"]["red"] for m in months]
    issued = sum(1 for m in months if m["issue"])
    if len(reds) > 1 and reds[-1] < reds[0]:
        red_trend = "红灯数量有所减少，整体进度有所加快"
    elif len(reds) > 1 and reds[-1] > reds[0]:
        red_trend = "红灯数量有所增加，部分工作进度滞后"
    else:
        red_trend = "红灯数量基本持平"
    return [
        f"{c['quarter_label']}，全区民政系统认真落实“打擂攻坚”工作方案，按照“每月一调度、"
        f"每季一小结”的要求，局办公室对{names}各单位工作进展进行了调度，印发调度通报{issued}期。"
        "现将本季度工作情况小结如下：",
        "一、总体情况",
        f"本季度各单位应报送月报{reports}份，按要求报送{reported}份，报送率{rate}%。"
        f"共亮红灯{sum(reds)}个次，其中"
        + "、".join(f"{m['short']}{m['lights']['red']}个" for m in months)
        + f"，{red_trend}。",
    ]


def _moved(rows: list[dict[str, Any]], up: bool) -> str:
    """Who rose (or fell) in a contest since the quarter began, as one clause."""
    sign = 1 if up else -1
    moved = sorted(
        (r for r in rows if sign * (r["change"] or 0) > 0), key=lambda r: -sign * r["change"]
    )
    if not moved:
        return ""
    verb, comment = ("上升", "进步明显") if up else ("下降", "需引起重视")
    text = "、".join(m["unit"] for m in moved[:3]) + f"名次较季初{verb}"
    if len(moved) == 1:
        text += f"{sign * moved[0]['change']}位"
    return text + f"，{comment}。"


def _contest_sentence(n: int, contest: dict[str, Any], first: str, last: str) -> str:
    sentence = (
        f"（{cn_number(n)}）{contest['task']}。本季度参赛单位平均得分"
        + _trend(contest["averages"][0], contest["averages"][-1], first, last)
        + "。"
    )
    leader = contest["rows"][0] if contest["rows"] else None
    if leader and leader["last_rank"] == 1:
        sentence += f"{last}{leader['unit']}位列第一，得分{leader['scores'][-1]}分。"
    return sentence + _moved(contest["rows"], up=True) + _moved(contest["rows"], up=False)


def _push_sentence(n: int, push: dict[str, Any], first: str, last: str) -> str:
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
    return f"（{cn_number(n)}）{push['task']}。" + "；".join(parts) + "。"


def _problems(c: dict[str, Any]) -> str:
    months = c["months"]
    problems = []
    if c["always_red"]:
        problems.append(
            f"{'、'.join(m['short'] for m in months)}连续亮红灯的有："
            + "、".join(f"{x['unit']}（{x['task']}）" for x in c["always_red"])
            + "，工作推进明显滞后。"
        )
    if sum(m["reported"] for m in months) < sum(m["reports"] for m in months):
        problems.append("个别单位未按时报送月报，调度数据不够完整。")
    if c["fallers"]:
        problems.append("部分单位名次下滑，工作力度有所减弱。")
    return "".join(problems) or "各单位工作总体推进有序，但进度还不够均衡。"


def draft_text(c: dict[str, Any]) -> str:
    """A first draft in the bureau's written style, built from the figures; the office edits it."""
    first, last = c["months"][0]["short"], c["months"][-1]["short"]
    lines = [*_overview(c), "二、擂台赛进展"]
    if not c["contests"]:
        lines.append("本季度无擂台赛。")
    lines += [_contest_sentence(n, x, first, last) for n, x in enumerate(c["contests"], 1)]
    lines.append("三、攻坚战进展")
    if not c["pushes"]:
        lines.append("本季度无攻坚战。")
    lines += [_push_sentence(n, x, first, last) for n, x in enumerate(c["pushes"], 1)]
    lines += ["四、存在的问题", _problems(c), "五、下步工作打算", *NEXT_STEPS]
    return "\n".join(lines)


def chart_series(task: dict[str, Any]) -> list[tuple[str, list[float | None]]]:
    return [
        (row["unit"], [None if v is None else float(v) for v in row["scores"]])
        for row in task["rows"]
    ]


def contest_charts(content: dict[str, Any]) -> list[bytes]:
    """One PNG per contest, in the order of `content["contests"]`."""
    from .charts import trend_chart  # matplotlib loads only when a chart is drawn

    months = [m["short"] for m in content["months"]]
    return [
        trend_chart(f"{contest['task']}得分走势", months, chart_series(contest))
        for contest in content["contests"]
    ]


def trend_table(content: dict[str, Any], contest: dict[str, Any]) -> tuple[list[str], list[list]]:
    months = [m["short"] for m in content["months"]]
    headers = ["单位", *[f"{m}得分" for m in months], "季度平均", "季初名次", "季末名次", "变化"]
    rows = [
        [
            row["unit"],
            *[v if v is not None else "—" for v in row["scores"]],
            row["mean"] or "—",
            row["first_rank"] or "—",
            row["last_rank"] or "—",
            change_text(row["change"]),
        ]
        for row in contest["rows"]
    ]
    return headers, rows


def push_table(content: dict[str, Any], push: dict[str, Any]) -> tuple[list[str], list[list]]:
    months = [m["short"] for m in content["months"]]
    headers = ["单位", *[f"{m}完成率（%）" for m in months], "季末灯"]
    rows = [
        [
            row["unit"],
            *[v if v is not None else "—" for v in row["completions"]],
            LIGHT_NAMES.get(row["lights"][-1], "—"),
        ]
        for row in push["rows"]
    ]
    return headers, rows


def quarterly_docx(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    doc = bulletin_head(bulletin)
    doc.text(bulletin.text or c["draft_text"])
    doc.signature(c["issuer"], c.get("issued_on", ""))

    doc.page_break()
    doc.paragraph("附件", indent=False, font=FONT_HEADING)
    doc.title(f"{c['quarter_label']}“打擂攻坚”各项任务走势")
    charts = contest_charts(c)
    for i, (contest, png) in enumerate(zip(c["contests"], charts, strict=True), start=1):
        doc.subheading(f"（{cn_number(i)}）{contest['task']}")
        doc.picture(png)
        headers, rows = trend_table(c, contest)
        doc.table(headers, rows, left_columns=(0,))
    offset = len(c["contests"])
    for i, push in enumerate(c["pushes"], start=offset + 1):
        doc.subheading(f"（{cn_number(i)}）{push['task']}")
        headers, rows = push_table(c, push)
        doc.table(headers, rows, left_columns=(0,))
    doc.subheading(f"（{cn_number(offset + len(c['pushes']) + 1)}）各月红灯")
    red_rows = [
        [
            month["short"],
            len(month["red"]),
            "、".join(f"{x['unit']}（{x['task']}）" for x in month["red"]) or "无",
        ]
        for month in c["months"]
    ]
    doc.table(
        ["月份", "红灯数", "亮红灯的单位"], red_rows, widths_mm=(22, 22, 112), left_columns=(2,)
    )
    return doc.to_bytes()
