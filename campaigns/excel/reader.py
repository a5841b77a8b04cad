"""Reading the form sheet of a signed template against the reports it fills.

Every input cell is read and every problem collected, each naming its cell: a formula, text in
a number cell, a negative number, a numerator above its denominator, an unknown stage, a report
locked since the download, and, to submit, anything required left empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from org.models import Unit
from org.uploads import iter_rows_capped

from ..models import Entry, IndicatorKind, Period, Report
from ..services.reporting import EntryInput, report_lock_reason
from .problems import Problem
from .signature import FIELD_LABELS, FORM_SHEET, TEXT_FIELDS, CellTarget, Signature
from .template import MAX_NOTE, MAX_TEXT
from .values import CellError, is_formula, read_number, read_stage, read_text

REDOWNLOAD = "请在系统“月报”页面重新下载本单位本期的模板"
NUMERIC = ("value", "numerator", "denominator", "stage")  # cells where "=…" cannot be text
MAX_FORM_ROWS = 5000  # a form has a row per indicator and text field; a sheet longer is not ours


@dataclass
class ReportInput:
    report: Report
    entries: dict[int, EntryInput] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def read_form(workbook: Any, signature: Signature) -> dict[str, tuple[Any, str]]:
    """Every cell of the form near the inputs: coordinate → (value, data type)."""
    refs = [coordinate_to_tuple(ref) for ref in [*signature.cells, *signature.titles.values()]]
    last_row = max((row for row, _col in refs), default=1) + 30
    cells: dict[str, tuple[Any, str]] = {}
    rows = iter_rows_capped(
        workbook[FORM_SHEET], max_rows=MAX_FORM_ROWS, max_cols=12, values_only=False
    )
    for row, values in enumerate(rows, start=1):
        if row > last_row:
            break
        for col, cell in enumerate(values, start=1):
            value = getattr(cell, "value", None)
            if value is not None:
                cells[f"{get_column_letter(col)}{row}"] = (value, getattr(cell, "data_type", "n"))
    return cells


class FormReader:
    """Reads the input cells against the reports they fill, collecting every problem."""

    def __init__(self, signature: Signature, period: Period, unit: Unit, submit: bool) -> None:
        self.signature, self.submit = signature, submit
        self.problems: list[Problem] = []
        report_ids = {target.report for target in signature.cells.values()}
        self.reports = {
            r.pk: r
            for r in Report.objects.filter(pk__in=report_ids, period=period, unit=unit)
            .select_related("task", "period__campaign")
            .prefetch_related("entries__indicator")
        }
        self.entries: dict[int, Entry] = {
            e.pk: e for r in self.reports.values() for e in r.entries.all()
        }

    def problem(self, ref: str, message: str, label: str = "") -> None:
        self.problems.append(Problem(message, FORM_SHEET, ref, label))

    def label(self, target: CellTarget | None) -> str:
        """What a cell holds, for a message: 集中供养率 分子, or 某任务 工作进展."""
        if target is None:
            return ""
        entry = self.entries.get(target.entry)
        if entry is not None:
            return f"{entry.indicator.name} {FIELD_LABELS[target.field]}"
        report = self.reports.get(target.report)
        return f"{report.task.title} {FIELD_LABELS[target.field]}" if report else ""

    def read(self, cells: dict[str, tuple[Any, str]]) -> list[ReportInput]:
        for ref, (value, data_type) in cells.items():
            target = self.signature.cells.get(ref)
            if is_formula(value, data_type, text=target is None or target.field not in NUMERIC):
                self.problem(ref, "不能使用公式，请直接填写数值或文字", self.label(target))
        inputs: dict[int, ReportInput] = {}
        fields: dict[int, dict[str, tuple[str, Any]]] = {}  # entry → field → (cell, value)
        for report_id, title_ref in sorted(self.signature.titles.items()):
            report = self.reports.get(report_id)
            if report is None:
                self.problem(title_ref, f"这项任务已不在本期月报中，{REDOWNLOAD}")
                continue
            reason = report_lock_reason(report)
            if reason:
                self.problem(
                    title_ref,
                    f"{reason}。文件里其他月报也未保存，{REDOWNLOAD}（已提交的月报在新模板中只读）",
                    report.task.title,
                )
            inputs[report_id] = ReportInput(report)
        for ref, target in self.signature.cells.items():
            if target.report not in inputs:
                continue
            value, data_type = cells.get(ref, (None, "n"))
            if is_formula(value, data_type, text=target.field not in NUMERIC):
                continue
            if target.entry == 0:
                self._text(inputs[target.report], ref, target, value)
            else:
                fields.setdefault(target.entry, {})[target.field] = (ref, value)
        for entry_id, cell_values in fields.items():
            entry = self.entries.get(entry_id)
            if entry is None or entry.computed:
                ref = next(iter(cell_values.values()))[0]
                self.problem(ref, f"这项指标已调整，{REDOWNLOAD}")
                continue
            inputs[entry.report_id].entries[entry.pk] = self._entry(entry, cell_values)
        if self.submit:
            self._uncovered(inputs)
        return list(inputs.values())

    def _text(self, item: ReportInput, ref: str, target: CellTarget, value: Any) -> None:
        limit = MAX_NOTE if target.field == "note" else MAX_TEXT
        label = f"{item.report.task.title} {TEXT_FIELDS[target.field]}"
        try:
            text = read_text(value, limit)
        except CellError as error:
            self.problem(ref, str(error), label)
            return
        item.texts[target.field] = text
        if self.submit and not text.strip():
            self.problem(
                ref,
                f"直接提交时必须填写{TEXT_FIELDS[target.field]}，请补写；或先“保存为草稿”",
                label,
            )

    def _entry(self, entry: Entry, cell_values: dict[str, tuple[str, Any]]) -> EntryInput:
        indicator = entry.indicator
        data = EntryInput()
        refs: dict[str, str] = {}
        for name, (ref, value) in cell_values.items():
            refs[name] = ref
            label = f"{indicator.name} {FIELD_LABELS[name]}"
            try:
                if name == "note":
                    data.note = read_text(value, MAX_NOTE).strip()
                elif name == "stage":
                    data.stage = read_stage(value, list(indicator.stages or []))
                else:
                    setattr(data, name, read_number(value))
            except CellError as error:
                self.problem(ref, str(error), label)
                refs[name] = ""  # reported already; no second message about the same cell
        self._entry_rules(entry, data, refs)
        return data

    def _entry_rules(self, entry: Entry, data: EntryInput, refs: dict[str, str]) -> None:
        indicator = entry.indicator
        name = indicator.name
        if indicator.kind == IndicatorKind.RATE:
            num_ref, den_ref = refs.get("numerator", ""), refs.get("denominator", "")
            if not num_ref or not den_ref:
                return
            num, den = data.numerator, data.denominator
            if num is not None and den is None:
                self.problem(den_ref, "分子和分母要一起填，请填写分母", f"{name} 分母")
            elif den is not None and num is None:
                self.problem(num_ref, "分子和分母要一起填，请填写分子", f"{name} 分子")
            elif num is not None and den is not None:
                if den == 0 and num > 0:
                    self.problem(den_ref, "分母为 0 时分子只能是 0，请核对分母", f"{name} 分母")
                elif num > den:
                    self.problem(
                        num_ref,
                        f"分子 {num.normalize():f} 大于分母 {den.normalize():f}，"
                        "比率会超过 100%，请核对分子和分母",
                        f"{name} 分子",
                    )
            elif self.submit:
                for ref, part in ((num_ref, "分子"), (den_ref, "分母")):
                    self.problem(
                        ref, f"直接提交时必须填写{part}，请补填；或先“保存为草稿”", f"{name} {part}"
                    )
            return
        field_name = "stage" if indicator.kind == IndicatorKind.MILESTONE else "value"
        ref = refs.get(field_name, "")
        if ref and self.submit and getattr(data, field_name) is None:
            fix = "请从下拉列表选择达到的节点" if field_name == "stage" else "请填写数字"
            label = f"{name} {FIELD_LABELS[field_name]}"
            self.problem(ref, f"直接提交时必须填写，{fix}；或先“保存为草稿”", label)

    def _uncovered(self, inputs: dict[int, ReportInput]) -> None:
        """Indicators added after the download have no cell in the file: to submit, re-download."""
        for report_id, item in inputs.items():
            for entry in item.report.entries.all():
                if not entry.computed and entry.pk not in item.entries:
                    self.problem(
                        self.signature.titles[report_id],
                        f"本期新增了指标“{entry.indicator.name}”，{REDOWNLOAD}后再提交",
                        item.report.task.title,
                    )
