"""Reading the form sheet of a signed template against the reports it fills.

Every input cell is read and every problem collected, each naming its cell: a formula, text in
a number cell, an unknown stage, invisible characters, a report locked or changed since the
download. What the values must be (a negative number, a numerator above its denominator, on
submit anything required left empty) is the entry rules' (`rules.entry`), run by the service
that saves the reports; `cell_of` names the cell of each of their problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from org.models import Unit
from org.uploads import iter_rows_capped

from ..models import Entry, Period, Report
from ..rules.entry import (
    EntryError,
    EntryInput,
    EntryProblem,
    read_number,
    read_stage,
    report_problems,
    subject,
)
from ..services.reporting import report_lock_reason
from .problems import Problem
from .signature import FIELD_LABELS, FORM_SHEET, TEXT_FIELDS, CellTarget, Signature
from .values import CellError, is_formula, read_text

REDOWNLOAD = "请在系统“月报”页面重新下载本单位本期的模板"
NUMERIC = ("value", "numerator", "denominator", "stage")  # cells where "=…" cannot be text
MAX_FORM_ROWS = 5000  # a form has a row per indicator and text field; a sheet longer is not ours


@dataclass
class ReportInput:
    report: Report
    entries: dict[int, EntryInput] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    unread: set[str] = field(default_factory=set)  # the texts whose cell could not be read


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
        self.cells_by_target = {target: ref for ref, target in signature.cells.items()}
        self.unread: set[int] = set()  # entries with a cell that could not be read

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
        """What the cells fill, report by report; what cannot be read is in `problems`.

        Only the cells are read here (formulas, numbers, stages, texts, reports locked or changed
        since the download); the values are checked by the entry rules when the reports are
        saved (`report_save`), or by `rule_problems` for a file refused already."""
        self._formulas(cells)
        inputs = self._reports()
        fields: dict[int, dict[str, tuple[str, Any]]] = {}  # entry → field → (cell, value)
        for ref, target in self.signature.cells.items():
            if target.report not in inputs:
                continue
            value, data_type = cells.get(ref, (None, "n"))
            if is_formula(value, data_type, text=target.field not in NUMERIC):
                self._unread(inputs[target.report], target)  # named by `_formulas`
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

    def _unread(self, item: ReportInput, target: CellTarget) -> None:
        """A cell that could not be read: the rules leave its entry or text alone."""
        if target.entry:
            self.unread.add(target.entry)
        else:
            item.unread.add(target.field)

    def _formulas(self, cells: dict[str, tuple[Any, str]]) -> None:
        for ref, (value, data_type) in cells.items():
            target = self.signature.cells.get(ref)
            if is_formula(value, data_type, text=target is None or target.field not in NUMERIC):
                self.problem(ref, "不能使用公式，请直接填写数值或文字", self.label(target))

    def _reports(self) -> dict[int, ReportInput]:
        inputs: dict[int, ReportInput] = {}
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
        return inputs

    def _text(self, item: ReportInput, ref: str, target: CellTarget, value: Any) -> None:
        label = f"{item.report.task.title} {TEXT_FIELDS[target.field]}"
        try:
            item.texts[target.field] = read_text(value, TEXT_FIELDS[target.field])
        except CellError as error:
            self.problem(ref, str(error), label)
            self._unread(item, target)

    def _entry(self, entry: Entry, cell_values: dict[str, tuple[str, Any]]) -> EntryInput:
        indicator = entry.indicator
        data = EntryInput()
        for name, (ref, value) in cell_values.items():
            try:
                if name == "note":
                    data.note = read_text(value, FIELD_LABELS[name]).strip()
                elif name == "stage":
                    stages = list(indicator.stages or [])
                    data.stage = read_stage(value, stages, subject(indicator.name, name))
                else:
                    setattr(data, name, read_number(value, subject(indicator.name, name)))
            except CellError as error:  # org.text's rule, named as the form names the field
                self.problem(ref, str(error), f"{indicator.name} {FIELD_LABELS[name]}")
            except EntryError as error:  # the message names the indicator and the field
                self.problem(ref, error.message)
            else:
                continue
            self.unread.add(entry.pk)
        return data

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

    def rule_problems(self, inputs: list[ReportInput]) -> list[Problem]:
        """The entry rules over what could be read, for a file refused for its cells already:
        every problem at once. Entries with a cell that could not be read are left out (that
        cell is named), and so are those without a cell (`_uncovered` names them)."""
        found = []
        for item in inputs:
            rows = [e for e in item.report.entries.all() if e.pk not in self.unread]
            problems = report_problems(rows, item.entries, item.texts, submit=self.submit)
            for problem in problems:
                if problem.entry == 0 and problem.field in item.unread:
                    continue
                ref = self.cell_of(item.report.pk, problem)
                if ref:
                    found.append(Problem(problem.message, FORM_SHEET, ref))
        return found

    def cell_of(self, report_id: int, problem: EntryProblem) -> str:
        """The cell a rule's problem is about, or "" when the file has none."""
        wanted = CellTarget(report_id, problem.entry, problem.field)
        return self.cells_by_target.get(wanted, "")
