"""The monthly 调度通报 (and its 更正) as an official .docx, from `Bulletin.content`.

Five sections, as the bureau writes them: 一、总体情况; 二、擂台赛进展及排名 (a table per contest);
三、攻坚战进展; 四、存在的问题 (from the units' own words); 五、下步工作要求; then the issuing office
and the date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import Bulletin, IndicatorKind, Light
from .official import FONT_HEADING, OfficialDocument
from .wording import addressees_of, cn_number, issue_text, issuer_of, one_decimal

if TYPE_CHECKING:
    from ..models import Period, Standing
    from ..rules.standings import StandingGroups, TaskStandings

LIGHT_NAMES = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}
REQUIREMENTS = [
    "各镇街道要对照排名查找差距，亮红灯的单位要认真分析原因，制定整改措施，限期赶上进度。",
    "各责任科室要加强对镇街道的业务指导，对工作滞后的单位开展跟踪督导。",
    "请各单位按时报送月度进展和佐证材料，确保数据真实准确。",
]

__all__ = ["LIGHT_NAMES", "MonthFigures", "change_text", "cn_number", "monthly_content"]


@dataclass
class MonthFigures:
    """What a month's dispatch found, as figures; `monthly_content` writes the bulletin from it."""

    period: Period
    groups: StandingGroups
    stages: dict[int, list[str]]
    late: list[str]  # units that reported late (names, sorted), not counting the missing
    problems: list[dict[str, str]]  # unit, task, text: what the units wrote is in their way
    risers: list[Standing] = field(default_factory=list)

    @property
    def standings(self) -> list[Standing]:
        return [s for group in self.groups.tasks for s in group.rows]

    @property
    def missing(self) -> list[str]:
        """Units with a report not reported (`Standing.reported`), by name."""
        return sorted({s.unit.name for s in self.standings if not s.reported})

    def overview(self) -> dict[str, Any]:
        standings = self.standings
        by_unit: dict[int, bool] = {}
        for s in standings:
            by_unit[s.unit_id] = by_unit.get(s.unit_id, True) and s.reported
        missing = self.missing
        return {
            "units": len(by_unit),
            "reports": len(standings),
            "reported_units": sum(by_unit.values()),
            "submitted": sum(s.reported for s in standings),
            "late": [name for name in self.late if name not in missing],
            "missing": missing,
            "lights": self.groups.lights,
        }


def value_text(line: dict[str, Any], stages: dict[int, list[str]]) -> str:
    """An indicator's value as the bulletin writes it: 60.0%, 12 处, the stage's name, 未填."""
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


def red_reason(standing: Standing) -> str:
    if not standing.reported:
        return "未按时报送"
    return f"完成 {one_decimal(standing.completion)}%，时间进度 {one_decimal(standing.expected)}%"


def _row(standing: Standing, stages: dict[int, list[str]]) -> dict[str, Any]:
    return {
        "rank": standing.rank,
        "unit": standing.unit.name,
        "score": one_decimal(standing.score),
        "completion": one_decimal(standing.completion),
        "expected": one_decimal(standing.expected),
        "light": standing.light,
        "reported": standing.reported,
        "rank_change": standing.rank_change,
        "indicators": [
            {
                "name": line["name"],
                "value": value_text(line, stages),
                "completion": line["completion"],
            }
            for line in standing.details
        ],
    }


def _task(group: TaskStandings, stages: dict[int, list[str]]) -> dict[str, Any]:
    task = {
        "task_id": group.task.pk,
        "task": group.task.title,
        "number": group.task.number,
        "indicators": [line["name"] for line in group.rows[0].details] if group.rows else [],
        "rows": [_row(s, stages) for s in group.rows],
    }
    # Only where the plan names a 牵头单位: a bulletin issued before there was one keeps its content.
    if lead := group.task.lead_units_shown:
        task["lead"] = lead
    return task


def monthly_title(period: Period) -> str:
    month = (
        f"{period.starts.year}年{period.starts.month}月份"
        if period.label.endswith("月")
        else period.label
    )
    return f"关于{month}全区民政系统“打擂攻坚”工作调度情况的通报"


def correction_title(title: str) -> str:
    return f"{title}（更正）"


def monthly_content(figures: MonthFigures) -> dict[str, Any]:
    """Everything the bulletin says, as plain data: the page, .xlsx and .docx all render this."""
    period = figures.period
    campaign = period.campaign
    return {
        "title": monthly_title(period),
        "campaign": campaign.title,
        "addressees": addressees_of(campaign),
        "issuer": issuer_of(campaign),
        "period": period.label,
        "overview": figures.overview(),
        "contests": [_task(g, figures.stages) for g in figures.groups.contests],
        "pushes": [_task(g, figures.stages) for g in figures.groups.pushes],
        "red_list": [
            {"unit": s.unit.name, "task": s.task.title, "reason": red_reason(s)}
            for s in figures.standings
            if s.light == Light.RED
        ],
        "risers": [
            {"unit": s.unit.name, "task": s.task.title, "change": s.rank_change, "rank": s.rank}
            for s in figures.risers
        ],
        "problems": figures.problems,
        "requirements": list(REQUIREMENTS),
    }


def _row_changes(before: dict[str, Any], row: dict[str, Any]) -> list[str]:
    parts = []
    if before["rank"] != row["rank"] and row["rank"] is not None:
        parts.append(f"名次由第{before['rank']}名改为第{row['rank']}名")
    if before["score"] != row["score"]:
        parts.append(f"得分由{before['score']}改为{row['score']}")
    if before["light"] != row["light"]:
        parts.append(f"{Light(before['light']).label}改为{Light(row['light']).label}")
    return parts


def correction_lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What a correction says changed: places, scores and lights by task, and the lists."""
    said: list[str] = []
    old_rows = {
        (c["task"], r["unit"]): r
        for c in old.get("contests", []) + old.get("pushes", [])
        for r in c["rows"]
    }
    for task in new.get("contests", []) + new.get("pushes", []):
        for row in task["rows"]:
            before = old_rows.get((task["task"], row["unit"]))
            if before is None:
                said.append(f"{task['task']}：增加{row['unit']}")
            elif parts := _row_changes(before, row):
                said.append(f"{task['task']}：{row['unit']}" + "，".join(parts))
    for key, label in (("missing", "未报送单位"), ("late", "逾期报送单位")):
        was, now = old["overview"][key], new["overview"][key]
        if was != now:
            said.append(f"{label}由“{'、'.join(was) or '无'}”改为“{'、'.join(now) or '无'}”")
    return said or ["存在问题等文字内容有更新"]


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"升{change}位"
    if change < 0:
        return f"降{-change}位"
    return "持平"


def overview_text(c: dict[str, Any]) -> str:
    o = c["overview"]
    text = (
        f"{c['period']}，应报送单位{o['units']}个、月报{o['reports']}份，"
        f"按要求报送{o['submitted']}份。"
    )
    if o["late"]:
        text += f"逾期报送：{'、'.join(o['late'])}。"
    text += f"未报送：{'、'.join(o['missing'])}。" if o["missing"] else "所有单位均已报送。"
    lights = o["lights"]
    text += f"全部任务中绿灯{lights['green']}个、黄灯{lights['yellow']}个、红灯{lights['red']}个。"
    return text


def ranking_table(contest: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The contest's table as the page shows it: place, unit, indicators, score, change, light."""
    headers = ["名次", "单位", *contest["indicators"], "得分", "变化", "灯"]
    rows = [
        [
            row["rank"] if row["rank"] is not None else "—",
            row["unit"] + ("（未报送）" if not row["reported"] else ""),
            *[line["value"] for line in row["indicators"]],
            row["score"],
            change_text(row["rank_change"]),
            LIGHT_NAMES.get(row["light"], row["light"]),
        ]
        for row in contest["rows"]
    ]
    return headers, rows


def push_sentence(row: dict[str, Any]) -> str:
    values = "，".join(f"{line['name']}{line['value']}" for line in row["indicators"])
    state = {Light.GREEN: "进度正常", Light.YELLOW: "进度滞后"}.get(row["light"], "严重滞后")
    return (
        f"{row['unit']}：{values}；完成{row['completion']}%，时间进度{row['expected']}%，{state}。"
    )


def _corrections(doc: OfficialDocument, number: int, lines: list[str]) -> None:
    doc.paragraph("更正说明：", font=FONT_HEADING)
    doc.paragraph(
        f"{issue_text(number)}通报印发后，部分单位的数据有更新，现更正如下，原通报同时作废："
    )
    for n, line in enumerate(lines, start=1):
        doc.paragraph(f"{n}.{line}")
    doc.paragraph("更正后的通报全文如下：")


def _contests(doc: OfficialDocument, contests: list[dict[str, Any]]) -> None:
    doc.heading("二、擂台赛进展及排名")
    if not contests:
        doc.paragraph("本期无擂台赛。")
    for i, contest in enumerate(contests, start=1):
        doc.subheading(f"（{cn_number(i)}）{contest['task']}")
        if contest.get("lead"):
            doc.paragraph(f"牵头单位：{contest['lead']}。")
        first = contest["rows"][0] if contest["rows"] else None
        if first and first["rank"] == 1:
            doc.paragraph(
                f"本期{first['unit']}位列第一，得分{first['score']}分。各单位排名如下表："
            )
        headers, rows = ranking_table(contest)
        doc.table(headers, rows, left_columns=(1,))


def _pushes(doc: OfficialDocument, pushes: list[dict[str, Any]]) -> None:
    doc.heading("三、攻坚战进展")
    if not pushes:
        doc.paragraph("本期无攻坚战。")
    for i, push in enumerate(pushes, start=1):
        doc.subheading(f"（{cn_number(i)}）{push['task']}")
        if push.get("lead"):
            doc.paragraph(f"牵头单位：{push['lead']}。")
        for row in push["rows"]:
            doc.paragraph(push_sentence(row))


def _problems(doc: OfficialDocument, c: dict[str, Any]) -> None:
    doc.heading("四、存在的问题")
    if c["red_list"]:
        doc.paragraph(
            "亮红灯的单位："
            + "；".join(f"{r['unit']}（{r['task']}，{r['reason']}）" for r in c["red_list"])
            + "。"
        )
    for p in c["problems"]:
        doc.paragraph(f"{p['unit']}（{p['task']}）：{p['text']}")
    if not c["problems"] and not c["red_list"]:
        doc.paragraph("各单位未报告突出问题。")


def bulletin_head(bulletin: Bulletin) -> OfficialDocument:
    """A bulletin's document up to its addressees (issue line, title, 主送), monthly or quarterly."""
    c = bulletin.content
    doc = OfficialDocument(title=bulletin.title, author=c["issuer"])
    doc.issue_line(c.get("issue", issue_text(bulletin.number)))
    doc.title(bulletin.title)
    doc.addressees(c["addressees"])
    return doc


def monthly_docx(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    doc = bulletin_head(bulletin)
    if c.get("corrections"):
        _corrections(doc, bulletin.number, c["corrections"])
    doc.paragraph(f"现将{c['period']}全区民政系统“打擂攻坚”工作调度情况通报如下：")
    doc.heading("一、总体情况")
    doc.paragraph(overview_text(c))
    _contests(doc, c["contests"])
    _pushes(doc, c["pushes"])
    _problems(doc, c)
    doc.heading("五、下步工作要求")
    for n, line in enumerate(c["requirements"], start=1):
        doc.paragraph(f"{n}.{line}")
    doc.signature(c["issuer"], c.get("issued_on", ""))
    return doc.to_bytes()
