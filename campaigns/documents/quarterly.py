"""The 季度小结 as an official .docx: the office's edited text, then an attachment with a trend
chart and a score table per contest, the pushes' completion by month and the red lights."""

from __future__ import annotations

from typing import Any

from ..models import Bulletin
from .monthly import LIGHT_NAMES, change_text, cn_number
from .official import FONT_HEADING, OfficialDocument


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
    doc = OfficialDocument(title=bulletin.title, author=c["issuer"])
    doc.issue_line(c.get("issue", f"第{bulletin.number}期"))
    doc.title(bulletin.title)
    doc.addressees(c["addressees"])
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
