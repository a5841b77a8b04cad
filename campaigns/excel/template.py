"""The report template: one workbook per unit and period, holding all of the unit's reports.

Sheets: 填报说明 (how to fill it), 月报 (a block per task: its indicators with target and last
period's value, the input cells, the three texts) and the very hidden _signature. The layout is
protected; only the white input cells can be typed in, and each carries a data validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from org.dates import cn_date
from org.models import Unit
from org.xlsx import BORDER, FONT, HEADER_FILL, new_workbook, write_cell

from ..models import Entry, IndicatorKind, Period, Report, Target
from ..rules import effective_target
from ..rules.entry import MAX_NOTE, MAX_TEXT
from ..selectors.reporting import previous_entries
from ..services.reporting import report_lock_reason
from .signature import (
    FORM_SHEET,
    GUIDE_SHEET,
    SHEET_PASSWORD,
    SIGNATURE_SHEET,
    TEXT_FIELDS,
    CellTarget,
    Signature,
    chunks,
)
from .values import entry_text, stage_label, target_text

HEADERS = ["指标", "类型", "计量单位", "目标", "上期", "数值", "分子", "分母", "达到节点", "说明"]
WIDTHS = [30, 7, 8, 16, 16, 11, 11, 11, 14, 28]
GUIDE_WIDTHS = (26, 30, 6, 24)
INPUT_COLUMNS = {"value": 6, "numerator": 7, "denominator": 8, "stage": 9, "note": 10}
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    IndicatorKind.RATE: ("numerator", "denominator"),
    IndicatorKind.MILESTONE: ("stage",),
    IndicatorKind.QUANTITY: ("value",),
    IndicatorKind.AMOUNT: ("value",),
}
FIRST_ROW = 5  # rows 1-4: title, unit and period, hint, column headers
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
READONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
TASK_FILL = PatternFill("solid", fgColor="DCE6F1")
UNLOCKED = Protection(locked=False)


@dataclass
class Row:
    """One entry of a report with what the template shows beside it."""

    entry: Entry
    target: Decimal | None
    deadline: date | None
    previous: Entry | None


def template_filename(period: Period, unit: Unit) -> str:
    return f"{period.label}月报-{unit.name}.xlsx"


def unit_reports(period: Period, unit: Unit) -> list[Report]:
    return list(
        Report.objects.filter(period=period, unit=unit)
        .select_related("task", "period__campaign")
        .prefetch_related("entries__indicator")
        .order_by("task__order", "task_id")
    )


def _rows(report: Report, targets: dict[int, Target]) -> list[Row]:
    previous = previous_entries(report)
    rows = []
    for entry in report.entries.all():
        indicator = entry.indicator
        indicator.task = report.task  # loaded with the report: no query for the deadline
        value, deadline = effective_target(indicator, targets.get(indicator.pk))
        rows.append(
            Row(
                entry=entry,
                target=value,
                deadline=deadline,
                previous=previous.get(indicator.pk),
            )
        )
    return rows


def _style(cell: Cell | MergedCell, *, editable: bool = False, bold: bool = False) -> None:
    cell.font = Font(name=FONT, bold=bold)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    cell.fill = INPUT_FILL if editable else READONLY_FILL
    if editable:
        cell.protection = UNLOCKED


class TemplateBuilder:
    """Lays out the workbook and records, for the signature, which cell fills what."""

    def __init__(self, period: Period, unit: Unit) -> None:
        self.period, self.unit = period, unit
        self.workbook = new_workbook()
        self.guide = self.workbook.create_sheet(GUIDE_SHEET)
        self.form = self.workbook.create_sheet(FORM_SHEET)
        self.signature = Signature(
            campaign=period.campaign_id,
            period=period.pk,
            starts=period.starts.isoformat(),
            period_label=period.label,
            unit=unit.pk,
            unit_name=unit.name,
        )
        self.numbers = self._validation("decimal", "请填写不小于 0 的数字，不要带单位或文字")
        self.numbers.operator, self.numbers.formula1 = "greaterThanOrEqual", "0"
        self.notes = self._text_validation(MAX_NOTE)
        self.texts = self._text_validation(MAX_TEXT)
        self.stage_lists: list[tuple[Entry, int]] = []  # (entry, row on the form)
        self.row = FIRST_ROW

    def _validation(self, kind: str, error: str) -> DataValidation:
        validation = DataValidation(type=kind, allow_blank=True, showErrorMessage=True)
        validation.errorTitle, validation.error = "填写有误", error
        self.form.add_data_validation(validation)
        return validation

    def _text_validation(self, limit: int) -> DataValidation:
        validation = self._validation("textLength", f"最多 {limit} 字")
        validation.operator, validation.formula1 = "lessThanOrEqual", str(limit)
        return validation

    def build(self, reports: list[Report]) -> Workbook:
        targets = {
            t.indicator_id: t
            for t in Target.objects.filter(
                unit=self.unit, indicator__task__campaign_id=self.period.campaign_id
            )
        }
        self._head()
        for number, report in enumerate(reports, start=1):
            self._report(number, report, _rows(report, targets))
        self._guide(reports)
        self._sign()
        for sheet in (self.guide, self.form):
            sheet.protection.sheet = True
            sheet.protection.password = SHEET_PASSWORD
            sheet.protection.formatRows = False  # rows may be made taller to read long texts
        self.workbook.security = WorkbookProtection(
            workbookPassword=SHEET_PASSWORD, lockStructure=True
        )
        self.workbook.active = 0
        return self.workbook

    def _merged(self, row: int, text: str, *, first: int = 1, last: int = 10) -> Cell:
        self.form.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = self.form.cell(row=row, column=first)
        write_cell(cell, text)
        return cell

    def _head(self) -> None:
        form, period = self.form, self.period
        for col, width in enumerate(WIDTHS, start=1):
            form.column_dimensions[get_column_letter(col)].width = width
        title = self._merged(1, f"{period.campaign.title} · {period.label}月报")
        title.font = Font(name=FONT, bold=True, size=14)
        title.alignment = Alignment(horizontal="center", vertical="center")
        form.row_dimensions[1].height = 26
        info = self._merged(
            2,
            f"填报单位：{self.unit.name}　　调度期：{period.label}"
            f"（{period.starts.month}月{period.starts.day}日至{period.ends.month}月{period.ends.day}日）"
            f"　　报送截止：{cn_date(period.due)}",
        )
        info.font = Font(name=FONT, bold=True)
        hint = self._merged(
            3,
            "白色格子填写，灰色格子不能修改；比率只填分子和分母，节点从下拉列表选择。"
            "填写前请先看“填报说明”工作表。",
        )
        hint.font = Font(name=FONT, color="666666", size=9)
        for col, header in enumerate(HEADERS, start=1):
            cell = form.cell(row=4, column=col)
            write_cell(cell, header)
            _style(cell, bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
        form.freeze_panes = "A5"
        form.page_setup.orientation = "landscape"
        form.page_setup.paperSize = form.PAPERSIZE_A4
        form.page_setup.fitToWidth, form.page_setup.fitToHeight = 1, 0
        form.sheet_properties.pageSetUpPr.fitToPage = True
        form.print_title_rows = "1:4"

    def _report(self, number: int, report: Report, rows: list[Row]) -> None:
        lock = report_lock_reason(report)
        task = report.task
        title = f"{number}. {task.title}（{task.get_kind_display()}）"
        if lock:
            title += f"——{report.get_status_display()}，{lock}"
        cell = self._merged(self.row, title)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = TASK_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        self.form.row_dimensions[self.row].height = 22
        if not lock:
            self.signature.versions[report.pk] = report.version
            self.signature.titles[report.pk] = cell.coordinate
        self.row += 1
        for row in rows:
            self._entry(report, row, editable=lock is None)
        if not rows:
            empty = self._merged(self.row, "这项任务没有需要填报的指标，请填写下面的文字情况。")
            empty.font = Font(name=FONT, color="666666")
            self.row += 1
        for name, label in TEXT_FIELDS.items():
            self._text(report, name, label, editable=lock is None)
        self.row += 1  # a blank row between tasks

    def _entry(self, report: Report, row: Row, *, editable: bool) -> None:
        entry, indicator = row.entry, row.entry.indicator
        values = [
            indicator.name,
            indicator.get_kind_display(),
            indicator.unit_of_measure or "—",
            target_text(indicator, row.target, row.deadline),
            entry_text(row.previous),
        ]
        for col, value in enumerate(values, start=1):
            cell = self.form.cell(row=self.row, column=col)
            write_cell(cell, value)
            _style(cell)
        inputs = () if entry.computed else KIND_FIELDS.get(indicator.kind, ())
        for name, col in INPUT_COLUMNS.items():
            cell = self.form.cell(row=self.row, column=col)
            is_input = editable and (name in inputs or (name == "note" and not entry.computed))
            _style(cell, editable=is_input)
            if name in inputs or (name == "note" and not entry.computed):
                self._prefill(cell, entry, name)
            if is_input:
                self.signature.cells[cell.coordinate] = CellTarget(report.pk, entry.pk, name)
                self._validate(cell, entry, name)
        if entry.computed:
            cell = self._merged(self.row, f"台账自动计算：{entry_text(entry)}", first=6, last=10)
            _style(cell)
            cell.font = Font(name=FONT, color="1F4E79")
        self.form.row_dimensions[self.row].height = 32 if row.deadline else 20
        self.row += 1

    def _prefill(self, cell: Cell, entry: Entry, name: str) -> None:
        if name == "stage":
            write_cell(cell, stage_label(entry.indicator.stages, entry.stage) or None)
        elif name == "note":
            write_cell(cell, entry.note or None)
        else:
            write_cell(cell, getattr(entry, name), "General")

    def _validate(self, cell: Cell, entry: Entry, name: str) -> None:
        if name == "note":
            self.notes.add(cell)
        elif name == "stage":
            self.stage_lists.append((entry, cell.row))
        else:
            self.numbers.add(cell)

    def _text(self, report: Report, name: str, label: str, *, editable: bool) -> None:
        label_cell = self.form.cell(row=self.row, column=1)
        write_cell(label_cell, f"{label}（必填）" if editable else label)
        _style(label_cell, bold=True)
        cell = self._merged(self.row, getattr(report, name) or "", first=2)
        for col in range(2, 11):
            _style(self.form.cell(row=self.row, column=col), editable=editable)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if editable:
            self.signature.cells[cell.coordinate] = CellTarget(report.pk, 0, name)
            self.texts.add(cell)
        self.form.row_dimensions[self.row].height = 66
        self.row += 1

    def _guide(self, reports: list[Report]) -> None:
        guide, period = self.guide, self.period
        for letter, width in zip("ABCD", GUIDE_WIDTHS, strict=True):
            guide.column_dimensions[letter].width = width
        lines = [
            f"{period.campaign.title}：{period.label}月报填报说明",
            f"填报单位：{self.unit.name}；报送截止：{cn_date(period.due)}。",
            "1. 请在“月报”工作表的白色格子里填写，灰色格子是任务、指标、目标和上期数值，不能修改。",
            "2. 数值、分子、分母只填数字（可以有两位小数），不要带单位、百分号或文字，不能用公式。",
            "3. 比率类指标填分子和分母，系统自动算出百分比；分子不能大于分母。",
            "4. 节点类指标从下拉列表选择达到的节点（见下表），还没有开始的留空。",
            "5. “台账自动计算”的指标由系统根据台账统计，不用填写。",
            "6. 每项任务都要写工作进展、存在问题、下步打算；只保存草稿时可以先空着。",
            "7. 填好后在系统“月报”页面上传本文件，选择“保存为草稿”或“直接提交”。"
            "文件有问题时系统会逐条指出是哪个格子、怎么改，改好后重新上传即可，"
            "整份文件正确之前什么都不会保存。",
            "8. 本文件只能上传给本单位本期的月报；请不要改动工作表的名称和结构，"
            "下一期请重新下载模板。",
        ]
        per_line = sum(GUIDE_WIDTHS) // 2 - 2  # Chinese characters fit in a line of the merge
        for row, text in enumerate(lines, start=1):
            guide.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            cell = guide.cell(row=row, column=1)
            write_cell(cell, text)
            cell.font = Font(name=FONT, bold=row == 1, size=14 if row == 1 else 11)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            guide.row_dimensions[row].height = (
                30 if row == 1 else 8 + 16 * -(-len(text) // per_line)
            )
        row = len(lines) + 2
        for col, header in enumerate(["任务", "节点类指标", "序号", "节点名称"], start=1):
            cell = guide.cell(row=row, column=col)
            write_cell(cell, header)
            _style(cell, bold=True)
            cell.fill = HEADER_FILL
        guide.page_setup.paperSize = guide.PAPERSIZE_A4
        guide.page_setup.fitToWidth, guide.page_setup.fitToHeight = 1, 0
        guide.sheet_properties.pageSetUpPr.fitToPage = True
        self._stage_table(row + 1, reports)

    def _stage_table(self, row: int, reports: list[Report]) -> None:
        """List each milestone's stages, numbered, and point the form's drop-downs at them."""
        tasks = {report.pk: report.task.title for report in reports}
        listed: dict[int, tuple[int, int]] = {}  # indicator → (first, last) row of its stages
        for entry, _form_row in self.stage_lists:
            indicator = entry.indicator
            if indicator.pk in listed or not indicator.stages:
                continue
            first = row
            for number, stage in enumerate(indicator.stages, start=1):
                for col, value in enumerate(
                    [tasks.get(entry.report_id, ""), indicator.name, number, str(stage)], start=1
                ):
                    cell = self.guide.cell(row=row, column=col)
                    write_cell(cell, value)
                    _style(cell)
                row += 1
            listed[indicator.pk] = (first, row - 1)
        if not listed:
            cell = self.guide.cell(row=row, column=1)
            write_cell(cell, "本期没有节点类指标。")
        sheet = quote_sheetname(GUIDE_SHEET)
        for entry, form_row in self.stage_lists:
            span = listed.get(entry.indicator_id)
            if span is None:
                continue
            validation = self._validation("list", "请从下拉列表选择节点名称")
            validation.formula1 = f"{sheet}!$D${span[0]}:$D${span[1]}"
            validation.add(f"I{form_row}")

    def _sign(self) -> None:
        sheet: Worksheet = self.workbook.create_sheet(SIGNATURE_SHEET)
        for row, part in enumerate(chunks(self.signature.dumps()), start=1):
            write_cell(sheet.cell(row=row, column=1), part)
        sheet.sheet_state = "veryHidden"
        sheet.protection.sheet = True
        sheet.protection.password = SHEET_PASSWORD


def template_build(*, period: Period, unit: Unit) -> Workbook:
    """The unit's workbook for the period, prefilled with the current drafts."""
    return TemplateBuilder(period, unit).build(unit_reports(period, unit))
