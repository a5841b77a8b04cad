"""The monthly 调度通报 (and its 更正) as an official .docx, from `Bulletin.content`.

Five sections, as the bureau writes them: 一、总体情况; 二、擂台赛进展及排名 (a table per contest);
三、攻坚战进展; 四、存在的问题 (from the units' own words); 五、下步工作要求; then the issuing office
and the date.
"""

from __future__ import annotations

from typing import Any

from ..models import Bulletin, Light
from ..services.dispatch import CN_NUMBERS
from .official import FONT_HEADING, OfficialDocument

LIGHT_NAMES = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (for the headings of long lists)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_NUMBERS[tens - 1]}十{CN_NUMBERS[ones - 1] if ones else ''}"


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


def monthly_docx(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    doc = OfficialDocument(title=bulletin.title, author=c["issuer"])
    doc.issue_line(c.get("issue", f"第{bulletin.number}期"))
    doc.title(bulletin.title)
    doc.addressees(c["addressees"])
    if c.get("corrections"):
        doc.paragraph("更正说明：", font=FONT_HEADING)
        doc.paragraph(
            f"第{bulletin.number}期通报印发后，部分单位的数据有更新，现更正如下，原通报同时作废："
        )
        for n, line in enumerate(c["corrections"], start=1):
            doc.paragraph(f"{n}.{line}")
        doc.paragraph("更正后的通报全文如下：")
    doc.paragraph(f"现将{c['period']}全区民政系统“打擂攻坚”工作调度情况通报如下：")

    doc.heading("一、总体情况")
    doc.paragraph(overview_text(c))

    doc.heading("二、擂台赛进展及排名")
    if not c["contests"]:
        doc.paragraph("本期无擂台赛。")
    for i, contest in enumerate(c["contests"], start=1):
        doc.subheading(f"（{cn_number(i)}）{contest['task']}")
        first = contest["rows"][0] if contest["rows"] else None
        if first and first["rank"] == 1:
            doc.paragraph(
                f"本期{first['unit']}位列第一，得分{first['score']}分。各单位排名如下表："
            )
        headers, rows = ranking_table(contest)
        doc.table(headers, rows, left_columns=(1,))

    doc.heading("三、攻坚战进展")
    if not c["pushes"]:
        doc.paragraph("本期无攻坚战。")
    for i, push in enumerate(c["pushes"], start=1):
        doc.subheading(f"（{cn_number(i)}）{push['task']}")
        for row in push["rows"]:
            doc.paragraph(push_sentence(row))

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

    doc.heading("五、下步工作要求")
    for n, line in enumerate(c["requirements"], start=1):
        doc.paragraph(f"{n}.{line}")
    doc.signature(c["issuer"], c.get("issued_on", ""))
    return doc.to_bytes()
