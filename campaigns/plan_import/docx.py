"""The text of an uploaded .docx plan, for :func:`campaigns.plan_import.parse_plan`.

Paragraphs and tables are read in document order. A task table (任务分解表: a header row of 序号,
重点任务, 工作内容, 牵头领导, 责任单位, 完成时限 …) becomes labelled text, one task a row, through
:mod:`campaigns.plan_import.tables`; its halves across a page break (blank paragraphs or a "续表"
between them) read as one table. Any other table gives one line per cell (row by row, merged
cells once), so "责任单位 | 民政局" in a layout table reads like the labels of a typed document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from .tables import TaskTables, is_continuation_note

__all__ = ["read_docx_text", "table_rows"]


def _cell_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        seen: list[object] = []  # the cells' XML elements; a merged cell repeats in row.cells
        for cell in row.cells:
            if any(cell._tc is element for element in seen):
                continue
            seen.append(cell._tc)
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    yield block.text
                else:
                    yield from _cell_lines(block)


def table_rows(table: Table) -> list[list[str]]:
    """The table as rows of cell texts on its layout grid: a merged cell repeats its text in
    every grid cell it covers (python-docx's rule), a nested table gives its lines."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells = [""] * row.grid_cols_before
        for cell in row.cells:
            lines: list[str] = []
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    lines.append(block.text)
                else:
                    lines.extend(_cell_lines(block))
            cells.append("\n".join(lines))
        rows.append(cells)
    return rows


def read_docx_text(fileobj: Any) -> str:
    """All text of the .docx in ``fileobj``: one line a paragraph, a task table as labelled text,
    any other table one line a cell.

    ``fileobj`` is a path or a binary file object (an uploaded file, a ``BytesIO``); python-docx
    raises on a file that is not a .docx, and the caller turns that into a message.
    """
    document = Document(fileobj)
    lines: list[str] = []
    tables = TaskTables()

    def end_tables() -> None:
        if rendered := tables.flush():
            lines.append(rendered)
        tables.end_run()

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            between = not block.text.strip() or is_continuation_note(block.text)
            if between and tables.layout is not None:
                continue  # a blank line or "续表" between the halves of a split table
            end_tables()
            lines.append(block.text)
        elif not tables.feed(table_rows(block)):
            end_tables()
            lines.extend(_cell_lines(block))
    end_tables()
    return "\n".join(lines)
