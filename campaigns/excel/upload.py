"""Checking an uploaded report template whole, then saving it all or not at all.

1. Refuse by content what is not a plain .xlsx: random bytes, an old .xls, a workbook with
   macros, a file too large or a zip that expands too far.
2. Read the signature: a file this site did not make, or made for another unit, period or layout
   version, is refused.
3. Read every input cell and collect every problem (formula, text in a number cell, unknown
   stage, invisible characters), each naming its sheet and cell.
4. Save every report of the file in one transaction through `report_save`, whose entry rules
   (`rules.entry`: negative, numerator above denominator, on submit anything required left
   empty) run once, their problems named by cell; one problem anywhere and nothing is saved. A
   file refused at 3 is checked by the same rules then, so it lists every problem at once.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from org.models import Unit, User
from org.uploads import XLSX, UploadRefused, check_size, check_workbook

from ..models import Period, Report
from ..services.reporting import EntryInvalid, ReportConflict, report_lock_reason, report_save
from .access import may_upload
from .problems import Problem, Refused, refuse
from .reader import REDOWNLOAD, FormReader, ReportInput, read_form
from .signature import FORM_SHEET, SIGNATURE_SHEET, OldTemplate, Signature

MAX_BYTES = 5 * 1024 * 1024

__all__ = ["MAX_BYTES", "Problem", "Refused", "upload_apply", "upload_check", "upload_save"]


@dataclass
class Checked:
    """A file that passed every check: what it fills, ready to save."""

    signature: Signature
    period: Period
    unit: Unit
    reports: list[ReportInput]
    reader: FormReader


DAMAGED = XLSX.damaged
# What a damaged workbook raises while openpyxl reads it lazily: refused, never a server error.
DAMAGED_ERRORS = (zlib.error, zipfile.BadZipFile, EOFError, ParseError, DefusedXmlException)


def open_workbook(data: bytes, name: str = "") -> Any:
    """The workbook in read-only mode, or Refused when the bytes are not a plain .xlsx
    (org.uploads: size, old .xls, HTML, macros, zip bombs, DTDs, damage)."""
    try:
        check_size(data, MAX_BYTES)
        return check_workbook(data, name, data_only=False)
    except UploadRefused as refused:
        raise refuse(refused.message) from None


def read_signature(workbook: Any) -> Signature:
    message = f"不是本系统下载的填报模板，{REDOWNLOAD}"
    if SIGNATURE_SHEET not in workbook.sheetnames:
        raise refuse(message)
    if FORM_SHEET not in workbook.sheetnames:
        raise refuse(f"找不到“{FORM_SHEET}”工作表（工作表的名称不能改动），{REDOWNLOAD}")
    parts = []
    for (value,) in workbook[SIGNATURE_SHEET].iter_rows(
        min_row=1, max_row=50, max_col=1, values_only=True
    ):
        if not isinstance(value, str) or not value:
            break
        parts.append(value)
    try:
        return Signature.loads("".join(parts))
    except OldTemplate:
        raise refuse(f"模板格式已更新，这是旧版模板，{REDOWNLOAD}") from None
    except (signing.BadSignature, ValueError, KeyError, TypeError, AttributeError):
        raise refuse(message) from None


def resolve_target(
    signature: Signature, *, period: Period | None, unit: Unit | None
) -> tuple[Period, Unit]:
    """The period and unit the file is for, checked against those it is uploaded to."""
    problems = []
    if unit is not None and signature.unit != unit.pk:
        problems.append(
            f"这是“{signature.unit_name}”的模板，不能上传给“{unit.name}”，请下载本单位的模板"
        )
    if period is not None and signature.period != period.pk:
        other = "另一个工作方案" if signature.campaign != period.campaign_id else ""
        problems.append(
            f"这是{other} {signature.period_label} 的模板，本期是 {period.label}，请下载本期的模板"
        )
    if problems:
        raise Refused([Problem(p) for p in problems])
    found_period = period or (
        Period.objects.select_related("campaign__bureau")
        .filter(pk=signature.period, campaign_id=signature.campaign)
        .first()
    )
    found_unit = unit or Unit.objects.filter(pk=signature.unit).first()
    if found_period is None or found_unit is None:
        raise refuse(f"模板对应的调度期或单位已不存在，{REDOWNLOAD}")
    return found_period, found_unit


def _read_reports(
    workbook: Any, signature: Signature, period: Period, unit: Unit, *, user: User, submit: bool
) -> Prepared:
    if not may_upload(user, unit):
        raise refuse(f"这是“{unit.name}”的模板，您不能为这个单位上传月报")
    try:
        cells = read_form(workbook, signature)
    except UploadRefused as refused:
        raise refuse(refused.message) from None
    except Exception:  # a damaged sheet part shows only when its rows are read
        raise refuse("文件已损坏，打不开，请用 Excel 打开检查后另存为 .xlsx 再上传") from None
    reader = FormReader(signature, period, unit, submit)
    inputs = reader.read(cells)
    if reader.problems:
        # Refused for its cells: the values are checked now, for every problem at once. A file
        # whose cells all read is checked once, by the service that saves it.
        raise Refused(reader.problems + reader.rule_problems(inputs))
    if not inputs:
        reports = Report.objects.filter(period=period, unit=unit).select_related("period__campaign")
        reasons = sorted({reason for r in reports if (reason := report_lock_reason(r))})
        why = "；".join(reasons) if reasons else f"下载之后已重新开放，{REDOWNLOAD}"
        raise refuse(f"这份模板里没有可以修改的月报：{why}")
    return Prepared(reader, inputs)


@dataclass
class Prepared:
    reader: FormReader
    reports: list[ReportInput]


def upload_check(
    data: bytes,
    *,
    user: User,
    submit: bool,
    period: Period | None = None,
    unit: Unit | None = None,
    name: str = "",
) -> Checked:
    """Check the whole file; Refused (with every problem) unless all of it can be saved.

    `period` and `unit` are those the file is uploaded to; left out, they are read from the
    file's signature (the office's bulk upload, the command) and the user must act for the unit.
    """
    workbook = open_workbook(data, name)
    try:
        signature = read_signature(workbook)
        found_period, found_unit = resolve_target(signature, period=period, unit=unit)
        try:
            prepared = _read_reports(
                workbook, signature, found_period, found_unit, user=user, submit=submit
            )
        except Refused as refused:
            refused.unit = found_unit.name
            raise
    except DAMAGED_ERRORS:
        raise refuse(DAMAGED) from None
    finally:
        workbook.close()
    return Checked(signature, found_period, found_unit, prepared.reports, prepared.reader)


def upload_save(checked: Checked, *, user: User, submit: bool) -> int:
    """Save every report of a checked file in one transaction; Refused and nothing saved if any
    report cannot be (someone saved it meanwhile, or the period closed)."""
    problems: list[Problem] = []
    with transaction.atomic():
        for item in checked.reports:
            ref = checked.signature.titles.get(item.report.pk, "")
            label = item.report.task.title
            current = Report.objects.values_list("version", flat=True).get(pk=item.report.pk)
            # The version the file was made from: a web edit since then is not overwritten.
            version = checked.signature.versions.get(item.report.pk, current)
            try:
                report_save(
                    report=item.report,
                    user=user,
                    version=version,
                    entries=item.entries,
                    texts=item.texts,
                    submit=submit,
                )
            except ReportConflict:
                problems.append(
                    Problem(
                        "下载模板之后，这份月报已在网上被修改过；为免覆盖他人填写的内容，"
                        "请重新下载模板，把要改的内容填进新模板再上传",
                        FORM_SHEET,
                        ref,
                        label,
                    )
                )
            except EntryInvalid as invalid:  # the entry rules, named by the cell they concern
                for problem in invalid.problems:
                    cell = checked.reader.cell_of(item.report.pk, problem)
                    problems.append(Problem(problem.message, FORM_SHEET, cell or ref))
            except ValidationError as error:
                problems += [Problem(m, FORM_SHEET, ref, label) for m in error.messages]
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise Refused(problems)
    return len(checked.reports)


def upload_apply(
    data: bytes,
    *,
    user: User,
    submit: bool,
    period: Period | None = None,
    unit: Unit | None = None,
    name: str = "",
) -> Checked:
    """Check a file and, if it is right, save it; Refused with every problem otherwise."""
    checked = upload_check(data, user=user, submit=submit, period=period, unit=unit, name=name)
    upload_save(checked, user=user, submit=submit)
    return checked
