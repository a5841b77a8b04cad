"""The documents the product writes: bulletins, quarterly summaries and year-end assessments as
.docx laid out by GB/T 9704-2012 (`official.py`) and as .xlsx (`workbooks.py`).

Every rendering reads the same plain data (`Bulletin.content`, `assessment_table`), so the page,
the workbook and the document never disagree.
"""

from __future__ import annotations

from ..models import Bulletin, BulletinKind
from .assessment import (
    assessable_units,
    assessment_docx,
    assessment_table,
    assessment_workbook,
    get_adjustment_for_user,
)
from .workbooks import bulletin_workbook, workbook_bytes


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """A monthly bulletin, its correction, or a quarterly summary as an official .docx."""
    if bulletin.kind == BulletinKind.QUARTERLY:
        from .quarterly import quarterly_docx

        return quarterly_docx(bulletin)
    from .monthly import monthly_docx

    return monthly_docx(bulletin)


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    return workbook_bytes(bulletin_workbook(bulletin))


def assessment_xlsx(table: dict) -> bytes:
    return workbook_bytes(assessment_workbook(table))


__all__ = [
    "assessable_units",
    "assessment_docx",
    "assessment_table",
    "assessment_xlsx",
    "bulletin_docx",
    "bulletin_xlsx",
    "get_adjustment_for_user",
]
