"""What is wrong with an uploaded file: each problem with its sheet, cell and fix."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils.cell import coordinate_to_tuple


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is (sheet, cell, what the cell holds) and the fix."""

    message: str
    sheet: str = ""
    cell: str = ""
    label: str = ""

    @property
    def place(self) -> str:
        if not self.cell:
            return self.sheet
        return f"{self.sheet}!{self.cell}" + (f"（{self.label}）" if self.label else "")

    def __str__(self) -> str:
        return f"{self.place}：{self.message}" if self.place else self.message

    def sort_key(self) -> tuple[int, int]:
        try:
            return coordinate_to_tuple(self.cell) if self.cell else (0, 0)
        except (ValueError, TypeError):
            return (0, 0)


class Refused(Exception):
    """The file is refused; nothing was saved."""

    def __init__(self, problems: list[Problem], unit: str = "") -> None:
        super().__init__("；".join(str(p) for p in problems))
        self.problems = sorted(problems, key=Problem.sort_key)
        self.unit = unit  # the unit the file is for, once its signature was read


def refuse(message: str) -> Refused:
    """A whole-file problem: no cell to name."""
    return Refused([Problem(message)])
