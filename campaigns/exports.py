"""The plan as a workbook: tasks, indicators, per-unit targets and the responsibility matrix."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from openpyxl import Workbook

from org.dates import cn_date
from org.shortcuts import workbook_response
from org.xlsx import add_table, new_workbook, write_cell

from .models import Campaign, IndicatorKind, Task
from .rules import effective_target
from .selectors.plan import plan_chapters, responsibility_matrix


def _names(related: Any) -> str:
    return "、".join(str(obj) for obj in related.all())


def plan_workbook(campaign: Campaign, tasks: QuerySet[Task]) -> Workbook:
    chapters = plan_chapters(tasks)
    ordered = [task for chapter in chapters for task in chapter.tasks]
    workbook = new_workbook()
    add_table(
        workbook,
        "任务",
        [
            "章节",
            "序号",
            "类型",
            "任务名称",
            "任务目标",
            "活动内容",
            "牵头领导",
            "配合领导",
            "牵头单位",
            "责任单位",
            "参赛单位 / 实施主体",
            "配合单位",
            "完成时限",
        ],
        [
            [
                t.chapter,
                t.number,
                t.get_kind_display(),
                t.title,
                t.goal,
                t.content,
                t.leaders_shown,
                t.co_leaders_shown,
                t.lead_units_shown,
                t.responsible_shown,
                _names(t.participants),
                t.cooperating_shown,
                t.deadline_text or cn_date(t.deadline),
            ]
            for t in ordered
        ],
    )
    indicator_rows = []
    target_rows = []
    for task in ordered:
        for indicator in task.indicators.all():
            indicator.task = task
            target, deadline = effective_target(indicator, None)
            shown = (
                indicator.stages[int(target) - 1]
                if indicator.kind == IndicatorKind.MILESTONE and target and indicator.stages
                else target
            )
            indicator_rows.append(
                [
                    task.title,
                    indicator.name,
                    indicator.get_kind_display(),
                    indicator.unit_of_measure,
                    indicator.get_direction_display(),
                    shown,
                    indicator.scope_note,
                    cn_date(deadline),
                    indicator.weight / 100,
                    indicator.get_source_display(),
                    " → ".join(indicator.stages),
                ]
            )
            for target_row in indicator.targets.all():
                own, deadline = effective_target(indicator, target_row)
                target_rows.append(
                    [
                        task.title,
                        indicator.name,
                        target_row.unit.name,
                        own,
                        indicator.unit_of_measure,
                        cn_date(deadline),
                        target_row.note,
                    ]
                )
    add_table(
        workbook,
        "指标",
        [
            "任务",
            "指标",
            "类型",
            "计量单位",
            "方向",
            "目标值",
            "目标说明",
            "完成时限",
            "权重",
            "数据来源",
            "节点",
        ],
        indicator_rows,
        formats={8: "0%"},
    )
    add_table(
        workbook,
        "单位目标值",
        ["任务", "指标", "单位", "目标值", "计量单位", "完成时限", "说明"],
        target_rows,
    )
    matrix = responsibility_matrix(tasks)
    titles = [t.title for t in matrix.tasks]
    add_table(
        workbook,
        "领导责任矩阵",
        ["局领导", *titles],
        [
            [leader.name, *["牵头" if on else "" for on in row]]
            for leader, row in matrix.leader_rows
        ],
        max_width=16,
    )
    add_table(
        workbook,
        "单位责任矩阵",
        ["单位", *titles],
        [[unit.name, *row] for unit, row in matrix.unit_rows],
        max_width=16,
    )
    info = workbook.create_sheet("方案", 0)
    for row, (label, value) in enumerate(
        [
            ("方案名称", campaign.title),
            ("文号", campaign.doc_number),
            ("发文单位", campaign.issuing_unit),
            ("印发日期", cn_date(campaign.issue_date)),
            ("期限", f"{cn_date(campaign.start)}至{cn_date(campaign.end)}"),
            ("调度周期", campaign.get_cadence_display()),
            ("状态", campaign.get_status_display()),
            ("单位责任矩阵说明", "责：责任单位；参：参赛单位 / 实施主体；配：配合单位"),
        ],
        start=1,
    ):
        write_cell(info.cell(row=row, column=1), label)
        write_cell(info.cell(row=row, column=2), value)
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 60
    return workbook


def plan_xlsx_response(campaign: Campaign, tasks: QuerySet[Task]) -> HttpResponse:
    return workbook_response(plan_workbook(campaign, tasks), f"{campaign.title}.xlsx")
