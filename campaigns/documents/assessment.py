"""年终考核 as a table the page, the .xlsx and the .docx all render, and the two files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from docx.shared import Pt
from openpyxl import Workbook

from org.dates import cn_date
from org.models import Role, Unit, User
from org.xlsx import new_workbook

from ..models import AdjustmentItem, Assessment, Bulletin, BulletinKind, Campaign, Period, Task
from ..selectors.plan import campaigns_visible_to
from ..services.assessment import FAIL, GRADES, assessment_periods
from .monthly import LIGHT_NAMES
from .official import FONT_HEADING, SIZE_SMALL_TABLE, OfficialDocument
from .wording import addressees_of, issuer_of
from .workbooks import SCORE, Sheets

RULES = [
    "各单位每项任务的年度得分，取该单位当年各已调度月份在该项任务上的月度得分的平均分；"
    "某月未参加该项任务的，不计入该项任务的平均。",
    "各项任务权重相同，任务得分为该单位所参加各项任务年度得分的平均分。",
    "总分为任务得分加上局办公室录入的加分、扣分（每项在 -20 分至 +20 分之间，须写明理由）。",
    "按总分排名，总分相同的名次并列；90 分及以上为优秀，80 分至 90 分为良好，"
    "60 分至 80 分为合格，60 分以下为不合格。",
    "各项得分保留两位小数，均可追溯到当月调度通报。",
]


def assessable_units(campaign: Campaign) -> QuerySet[Unit]:
    """The units a campaign's tasks rank or push: those an adjustment may be entered for."""
    return Unit.objects.filter(participating_tasks__campaign=campaign).distinct().order_by("path")


def get_adjustment_for_user(user: User, pk: Any) -> AdjustmentItem:
    """An adjustment of a plan the user sees, for the assessment's readers only; else 404."""
    item = None
    if user.role in (Role.LEADER, Role.OFFICE):
        item = (
            AdjustmentItem.objects.filter(campaign__in=campaigns_visible_to(user), pk=pk)
            .select_related("campaign__bureau")
            .first()
        )
    if item is None:
        raise Http404("加扣分项不存在或无权查看")
    return item


def signed(value: Decimal) -> str:
    return f"{value:+.2f}" if value else "—"


def assessment_table(campaign: Campaign, year: int) -> dict[str, Any]:
    """The year's assessment with its tasks as columns, months, items and bulletin links."""
    assessments = list(
        Assessment.objects.filter(campaign=campaign, year=year)
        .select_related("unit")
        .order_by("rank", "unit__path")
    )
    task_ids = {t["task_id"] for a in assessments for t in a.details}
    period_ids = {m["period_id"] for a in assessments for t in a.details for m in t["months"]}
    tasks = list(Task.objects.filter(pk__in=task_ids).order_by("order", "pk"))
    periods = list(Period.objects.filter(pk__in=period_ids).order_by("starts"))
    links = dict(
        Bulletin.objects.filter(
            period__in=periods, kind__in=(BulletinKind.MONTHLY, BulletinKind.CORRECTION)
        )
        .order_by("period_id", "revision")
        .values_list("period_id", "pk")
    )
    items = list(
        AdjustmentItem.objects.filter(campaign=campaign, year=year)
        .select_related("unit", "created_by")
        .order_by("unit__path", "created_at", "id")
    )
    rows = []
    for a in assessments:
        by_task = {t["task_id"]: t for t in a.details}
        rows.append(
            {
                "assessment": a,
                "scores": [by_task[t.pk]["score"] if t.pk in by_task else None for t in tasks],
                "details": [
                    {
                        **by_task[t.pk],
                        "months": [
                            {**m, "bulletin": links.get(m["period_id"])}
                            for m in by_task[t.pk]["months"]
                        ],
                    }
                    for t in tasks
                    if t.pk in by_task
                ],
            }
        )
    computed = max((a.computed_at for a in assessments), default=None)
    current = {p.pk for p in assessment_periods(campaign, year)}
    newer = Bulletin.objects.filter(period__in=current).aggregate(latest=Max("created_at"))[
        "latest"
    ]
    stale = bool(assessments) and (
        current != period_ids or (newer is not None and computed is not None and newer > computed)
    )
    grades = {name: sum(1 for a in assessments if a.grade == name) for _, name in GRADES}
    grades[FAIL] = sum(1 for a in assessments if a.grade == FAIL)
    return {
        "campaign": campaign,
        "year": year,
        "rows": rows,
        "tasks": tasks,
        "periods": periods,
        "items": items,
        "computed_at": computed,
        "stale": stale,
        "grades": grades,
        "rules": RULES,
        "title": f"关于{year}年度全区民政系统“打擂攻坚”工作考核结果的通报",
        "issuer": issuer_of(campaign),
        "addressees": addressees_of(campaign),
    }


def assessment_workbook(table: dict[str, Any]) -> Workbook:
    workbook = new_workbook()
    sheets = Sheets(workbook)
    tasks = table["tasks"]
    k = len(tasks)
    sheets.add(
        "年终考核",
        ["名次", "单位", *[t.title for t in tasks], "任务得分", "加扣分", "总分", "等次"],
        [
            [
                row["assessment"].rank,
                row["assessment"].unit.name,
                *[None if s is None else Decimal(s) for s in row["scores"]],
                row["assessment"].task_score,
                row["assessment"].adjustment,
                row["assessment"].total,
                row["assessment"].grade,
            ]
            for row in table["rows"]
        ],
        formats={**{i: "0.00" for i in range(2, 2 + k + 3)}, 3 + k: "+0.00;-0.00;0.00"},
    )
    sheets.add(
        "加扣分项",
        ["单位", "分值", "理由", "录入人", "录入时间"],
        [
            [
                item.unit.name,
                item.points,
                item.reason,
                item.created_by.display_name if item.created_by else "",
                timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for item in table["items"]
        ],
        formats={1: "+0.00;-0.00;0.00"},
    )
    sheets.add(
        "月度得分明细",
        ["单位", "任务", "调度期", "通报期号", "月度得分", "名次", "灯", "任务年度得分"],
        [
            [
                row["assessment"].unit.name,
                task["task"],
                month["period"],
                month["issue"],
                Decimal(month["score"]),
                month["rank"],
                LIGHT_NAMES.get(month["light"], month["light"]),
                Decimal(task["score"]),
            ]
            for row in table["rows"]
            for task in row["details"]
            for month in task["months"]
        ],
        formats={4: SCORE, 7: "0.00"},
    )
    return workbook


def assessment_docx(table: dict[str, Any], today: date | None = None) -> bytes:
    year, issuer = table["year"], table["issuer"]
    doc = OfficialDocument(title=table["title"], author=issuer)
    doc.title(table["title"])
    doc.addressees(table["addressees"])
    doc.paragraph(
        f"根据《{table['campaign'].title}》“每月一调度、每季一小结，年终进行考核评价”的要求，"
        f"局办公室依据各月调度情况，对各单位{year}年度“打擂攻坚”工作进行了考核。"
        "现将考核结果通报如下："
    )
    doc.heading("一、考核办法")
    for n, rule in enumerate(table["rules"], start=1):
        doc.paragraph(f"{n}.{rule}")
    doc.heading("二、考核结果")
    grades = "，".join(f"{name}{count}个" for name, count in table["grades"].items() if count)
    periods = "、".join(p.label for p in table["periods"])
    doc.paragraph(
        f"本次考核依据{periods}共{len(table['periods'])}期调度结果，参加考核单位{len(table['rows'])}个，"
        f"其中{grades or '无'}。各单位得分及等次如下表："
    )
    doc.table(
        ["名次", "单位", "任务得分", "加扣分", "总分", "等次"],
        [
            [
                a.rank,
                a.unit.name,
                f"{a.task_score:.2f}",
                signed(a.adjustment),
                f"{a.total:.2f}",
                a.grade,
            ]
            for a in (row["assessment"] for row in table["rows"])
        ],
        left_columns=(1,),
    )
    doc.heading("三、加扣分情况")
    if not table["items"]:
        doc.paragraph("本年度无加分、扣分事项。")
    for item in table["items"]:
        kind = "加" if item.points > 0 else "扣"
        reason = item.reason if item.reason.endswith(("。", "！", "；")) else f"{item.reason}。"
        doc.paragraph(f"{item.unit.name}：{kind}{abs(item.points):.2f}分。{reason}")
    doc.heading("四、有关要求")
    doc.paragraph(
        "获得优秀等次的单位要总结经验、再接再厉；考核为合格、不合格的单位要对照各月排名和存在问题，"
        "认真查找差距，制定整改措施，确保下一年度各项工作取得新进展。"
    )
    day = today or (
        timezone.localtime(table["computed_at"]).date()
        if table["computed_at"]
        else timezone.localdate()
    )
    doc.signature(issuer, cn_date(day))

    doc.page_break()
    doc.paragraph("附件", indent=False, font=FONT_HEADING)
    doc.title(f"{year}年度各单位月度得分明细")
    months = table["periods"]
    headers = ["单位", "任务", *[f"{p.starts.month}月" for p in months], "年度"]
    rows = []
    for row in table["rows"]:
        for task in row["details"]:
            scores = {m["period_id"]: m["score"] for m in task["months"]}
            rows.append(
                [
                    row["assessment"].unit.name,
                    task["task"],
                    *[f"{Decimal(scores[p.pk]):.1f}" if p.pk in scores else "—" for p in months],
                    task["score"],
                ]
            )
    doc.table(
        headers,
        rows,
        size=SIZE_SMALL_TABLE if len(months) <= 6 else Pt(9),
        left_columns=(0, 1),
        merge_column=0,
    )
    return doc.to_bytes()
