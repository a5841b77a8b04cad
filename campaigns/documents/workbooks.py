"""Bulletins as workbooks: one sheet per table, through the helpers of `org.xlsx`.

Numbers are written as numbers with their formats (scores 0.0, rates 0.0%), text as text (never
a formula, whatever a unit typed); each sheet's header row is frozen and its columns fit.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from org.text import clean_text
from org.xlsx import add_table, new_workbook

from ..models import Bulletin, BulletinKind
from .monthly import LIGHT_NAMES

SCORE = "0.0"
PERCENT = "0.0%"
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MEASURE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(\S*)$")


def number(text: Any) -> float | None:
    """A figure the content keeps as text ("72.5") as a number, or None when there is none."""
    if text is None or text == "":
        return None
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def measured(text: str) -> tuple[Any, str | None]:
    """An indicator's value as the bulletin writes it ("60.0%", "12 处", "开工") for a cell."""
    match = MEASURE.match(text or "")
    if not match:
        return text, None
    value, unit = float(match.group(1)), match.group(2)
    if unit == "%":
        return value / 100, PERCENT
    if not unit:
        return value, "General"
    return value, f'General" {unit.replace(chr(34), "")}"'


class Sheets:
    """Sheet names that Excel accepts: no []:*?/\\, at most 31 characters, each used once."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.used: set[str] = set()

    def name(self, title: str) -> str:
        base = INVALID_SHEET_CHARS.sub("", clean_text(title)).strip() or "表"
        name, n = base[:31], 2
        while name in self.used:
            suffix = f"（{n}）"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.used.add(name)
        return name

    def add(self, title: str, headers: list[str], rows: list[list[Any]], **kwargs: Any) -> None:
        add_table(self.workbook, self.name(title), headers, rows, **kwargs)


def _ranking_sheet(sheets: Sheets, contest: dict[str, Any]) -> None:
    indicators = contest["indicators"]
    headers = [
        "名次",
        "单位",
        *indicators,
        "完成率（%）",
        "时间进度（%）",
        "得分",
        "名次变化",
        "灯",
        "已报送",
    ]
    n = len(indicators)
    formats: dict[int, str] = {2 + n: SCORE, 3 + n: SCORE, 4 + n: SCORE, 5 + n: "+0;-0;0"}
    rows = []
    for row in contest["rows"]:
        cells: list[Any] = [row["rank"], row["unit"]]
        for i, line in enumerate(row["indicators"]):
            value, fmt = measured(line["value"])
            cells.append(value)
            if fmt:
                formats.setdefault(2 + i, fmt)
        cells += [
            number(row["completion"]),
            number(row["expected"]),
            number(row["score"]),
            row["rank_change"],
            LIGHT_NAMES.get(row["light"], row["light"]),
            "是" if row["reported"] else "否",
        ]
        rows.append(cells)
    sheets.add(contest["task"], headers, rows, formats=formats)


def monthly_workbook(bulletin: Bulletin) -> Workbook:
    c = bulletin.content
    o = c["overview"]
    workbook = new_workbook()
    sheets = Sheets(workbook)
    overview: list[list[Any]] = [
        ["通报", bulletin.title],
        ["期号", c.get("issue", "")],
        ["调度期", c["period"]],
        ["成文日期", c.get("issued_on", "")],
        ["应报送单位（个）", o["units"]],
        ["月报（份）", o["reports"]],
        ["按要求报送（份）", o["submitted"]],
        ["逾期报送单位", "、".join(o["late"]) or "无"],
        ["未报送单位", "、".join(o["missing"]) or "无"],
        ["绿灯（个）", o["lights"]["green"]],
        ["黄灯（个）", o["lights"]["yellow"]],
        ["红灯（个）", o["lights"]["red"]],
    ]
    sheets.add("总体情况", ["项目", "内容"], overview)
    if c.get("corrections"):
        sheets.add(
            "更正说明",
            ["序号", "更正内容"],
            [[n, line] for n, line in enumerate(c["corrections"], start=1)],
        )
    for contest in c["contests"]:
        _ranking_sheet(sheets, contest)
    if c["pushes"]:
        sheets.add(
            "攻坚战进展",
            ["任务", "单位", "进展", "完成率（%）", "时间进度（%）", "灯"],
            [
                [
                    push["task"],
                    row["unit"],
                    "；".join(f"{x['name']}：{x['value']}" for x in row["indicators"]),
                    number(row["completion"]),
                    number(row["expected"]),
                    LIGHT_NAMES.get(row["light"], row["light"]),
                ]
                for push in c["pushes"]
                for row in push["rows"]
            ],
            formats={3: SCORE, 4: SCORE},
        )
    sheets.add(
        "红灯单位",
        ["单位", "任务", "原因"],
        [[r["unit"], r["task"], r["reason"]] for r in c["red_list"]],
    )
    sheets.add(
        "存在问题",
        ["单位", "任务", "存在问题"],
        [[p["unit"], p["task"], p["text"]] for p in c["problems"]],
    )
    return workbook


def quarterly_workbook(bulletin: Bulletin) -> Workbook:
    c = bulletin.content
    months = [m["short"] for m in c["months"]]
    workbook = new_workbook()
    sheets = Sheets(workbook)
    sheets.add(
        "总体情况",
        ["月份", "通报期号", "月报（份）", "按要求报送（份）", "绿灯", "黄灯", "红灯"],
        [
            [
                m["label"],
                m["issue"],
                m["reports"],
                m["reported"],
                m["lights"]["green"],
                m["lights"]["yellow"],
                m["lights"]["red"],
            ]
            for m in c["months"]
        ],
    )
    for contest in c["contests"]:
        k = len(months)
        headers = [
            "季末名次",
            "单位",
            *[f"{m}得分" for m in months],
            "季度平均",
            *[f"{m}名次" for m in months],
            "季初名次",
            "名次变化",
        ]
        formats = {i: SCORE for i in range(2, 3 + k)}
        formats[4 + 2 * k] = "+0;-0;0"
        rows = [
            [
                row["last_rank"],
                row["unit"],
                *[number(v) for v in row["scores"]],
                number(row["mean"]),
                *row["ranks"],
                row["first_rank"],
                row["change"],
            ]
            for row in contest["rows"]
        ]
        sheets.add(contest["task"], headers, rows, formats=formats)
    if c["pushes"]:
        sheets.add(
            "攻坚战走势",
            ["任务", "单位", *[f"{m}完成率（%）" for m in months]],
            [
                [push["task"], row["unit"], *[number(v) for v in row["completions"]]]
                for push in c["pushes"]
                for row in push["rows"]
            ],
            formats={i: SCORE for i in range(2, 2 + len(months))},
        )
    moves = [["进位", *_move(m)] for m in c["risers"]] + [["退位", *_move(m)] for m in c["fallers"]]
    sheets.add(
        "进位退位",
        ["类别", "任务", "单位", "季初名次", "季末名次", "名次变化"],
        moves,
        formats={5: "+0;-0;0"},
    )
    sheets.add(
        "红灯单位",
        ["月份", "单位", "任务"],
        [[m["label"], x["unit"], x["task"]] for m in c["months"] for x in m["red"]],
    )
    return workbook


def _move(m: dict[str, Any]) -> list[Any]:
    return [m["task"], m["unit"], m["from"], m["to"], m["change"]]


def bulletin_workbook(bulletin: Bulletin) -> Workbook:
    if bulletin.kind == BulletinKind.QUARTERLY:
        return quarterly_workbook(bulletin)
    return monthly_workbook(bulletin)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
