"""The text of an uploaded .docx plan, for :func:`campaigns.plan_import.parse_plan`.

Paragraphs and tables are read in document order; a table gives one line per cell (row by row,
merged cells once), so "责任单位 | 民政局" in a table reads like the labels of a typed document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

__all__ = ["read_docx_text"]


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


def read_docx_text(fileobj: Any) -> str:
    """All text of the .docx in ``fileobj``, one line a paragraph or table cell.

    ``fileobj`` is a path or a binary file object (an uploaded file, a ``BytesIO``); python-docx
    raises on a file that is not a .docx, and the caller turns that into a message.
    """
    document = Document(fileobj)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(_cell_lines(block))
    return "\n".join(lines)
