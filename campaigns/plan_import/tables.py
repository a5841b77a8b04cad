"""A 任务分解表 (task breakdown table) as the labelled text :func:`parse_plan` reads.

Bureaus often send the plan's tasks as a table: 序号 / 重点任务 / 工作任务 / 具体措施 / 牵头领导 /
责任单位 / 完成时限 …, in any order and with their own names for the columns. Given a table as
rows of cell strings (``None`` for a cell a merge covers, as pdfplumber gives it; python-docx
repeats a merged cell instead), :class:`TaskTables`:

1. finds the header row in the first rows by its column names and maps each column to a field;
   a table with no such row (a layout table, a 指标表 without units) is not taken, and the caller
   reads it as it did before;
2. skips the header where it is repeated (a header row repeated on every page), takes a table
   without a header that follows a task table of the same width as its continuation (a table
   split across pages), and joins a row the page break cut in two;
3. writes one task a row: the 重点任务 as a chapter line ("一、…") whenever it changes, then
   "<序号>.<工作任务 or 工作内容>" and one "label：value" line a non-empty field. A merged
   cell (``None``) repeats the value above it, except for the task's own number and text.

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .text import compact

__all__ = [
    "TaskTables",
    "column_field",
    "header_fields",
    "is_continuation_note",
    "plain_lines",
    "render_task_table",
]

Cell = str | None

# The fields of a task and the column names that stand for them.
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "chapter": ("重点任务", "重点工作", "任务类别", "工作类别", "类别", "工作领域", "领域", "板块"),
    "title": ("工作任务", "主要任务", "任务名称", "任务事项", "工作事项", "任务", "事项"),
    "goal": ("任务目标", "工作目标", "目标任务", "预期目标", "完成目标", "考核指标", "目标"),
    "content": (
        "工作内容",
        "具体措施",
        "主要措施",
        "工作措施",
        "具体内容",
        "任务内容",
        "主要内容",
        "工作举措",
        "推进措施",
        "具体任务",
        "实施步骤",
        "分月序时进度",
        "措施",
    ),
    "leads": ("牵头领导", "牵头局领导", "责任领导", "分管领导", "包保领导", "责任局领导"),
    "co_leads": ("配合领导", "协管领导", "协助领导", "配合局领导"),
    "lead_units": ("牵头单位", "牵头部门", "牵头科室", "牵头处室"),
    "responsible": (
        "责任单位",
        "责任部门",
        "责任科室",
        "责任处室",
        "承办单位",
        "落实单位",
        "实施部门",
        "实施单位",
    ),
    "cooperating": ("配合单位", "配合部门", "配合科室", "协办单位", "协同单位", "参与单位"),
    "deadline": (
        "完成时限",
        "时间节点",
        "完成时间",
        "完成时限要求",
        "时限要求",
        "时间要求",
        "时间安排",
        "进度安排",
        "时限",
    ),
}
# The label each field is written with: the words the parser reads.
LABEL_OF = {
    "goal": "任务目标",
    "content": "工作内容",
    "leads": "牵头领导",
    "co_leads": "配合领导",
    "lead_units": "牵头单位",
    "responsible": "责任单位",
    "cooperating": "配合单位",
    "deadline": "完成时限",
}
_NAME_FIELDS = ("leads", "co_leads", "lead_units", "responsible", "cooperating")
# What a merged cell (None) takes from the row above; a task's number and text are its own.
_INHERITED = ("chapter", *_NAME_FIELDS, "deadline")
_WORDS = sorted(
    ((word, name) for name, words in COLUMN_WORDS.items() for word in words),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_HEADER_ROWS = 4  # the header is among the first rows (a title row or two may come first)
_CHAPTER_MARK = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[）)])"
)
_NUMBER = re.compile(r"^(\d{1,3})[.．、]?$")
_NUMBERED_TEXT = re.compile(r"^(\d{1,3})\s*[.．、](?![\d．.])\s*")
_CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?[）)]?[:：]?$")


def is_continuation_note(text: str) -> bool:
    """A line such as "续表" or "（续）" that sits between the halves of a split table."""
    return bool(_CONTINUED.match(compact(text)))


def column_field(cell: Cell) -> str | None:
    """The field a header cell names ("责任科室（单位）" → responsible), or None."""
    name = _BRACKETS.sub("", compact(cell or "")).strip("：:*＊")
    if not name or len(name) > 12:
        return None
    for word, field_name in _WORDS:
        if name == word or (len(word) > 1 and word in name):
            return field_name
    return None


def header_fields(row: Sequence[Cell]) -> dict[int, str] | None:
    """Column → field when ``row`` is a task table's header, else None.

    A header names the task's text (工作任务, 工作内容 or 重点任务) and who carries it (a leader or
    a unit); a 指标表 of names, figures and deadlines without units is no task table.
    """
    columns = {i: f for i, cell in enumerate(row) if (f := column_field(cell)) is not None}
    found = set(columns.values())
    if not found & {"title", "content", "chapter", "goal"} or not found & set(_NAME_FIELDS):
        return None
    if "title" not in found and "content" not in found:
        # a lone 重点任务 column is the task itself, not its chapter
        columns = {i: "title" if f == "chapter" else f for i, f in columns.items()}
    return columns


def _cell_text(cell: Cell, field_name: str) -> str:
    """A cell's lines as one line: names joined by "、", text by a space (the parser's
    whitespace rule drops it next to Chinese)."""
    lines = [line.strip() for line in (cell or "").splitlines() if line.strip()]
    if field_name in _NAME_FIELDS:
        return "、".join(line.strip("、，,；;") for line in lines)
    return " ".join(lines)


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


@dataclass
class _Layout:
    width: int
    columns: dict[int, str]
    header: list[str]


@dataclass
class TaskTables:
    """The task tables of one document, in order: :meth:`feed` each table, :meth:`flush` the text.

    State carries from one table to the next (the chapter, the running number, the layout a
    headerless continuation uses); :meth:`end_run` says that text came between two tables, so
    the next table without a header is not a continuation.
    """

    layout: _Layout | None = None
    chapter: str = ""
    chapters: int = 0
    number: int = 0
    pending: dict[str, str] | None = None
    above: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    fresh: bool = False

    def feed(self, rows: Sequence[Sequence[Cell]]) -> bool:
        """Take ``rows`` when they are a task table or its continuation; False leaves them."""
        start = self._start(rows)
        if start is None:
            return False
        self.fresh = start == 0  # a continuation: its first row may be the rest of the last one
        for row in rows[start:]:
            self._row(list(row))
        return True

    def accepts(self, rows: Sequence[Sequence[Cell]]) -> bool:
        """Whether :meth:`feed` would take ``rows``, writing nothing (a first pass over a PDF's
        tables); a header's layout is kept for the tables that continue it."""
        taken = self._start(rows) is not None
        self.lines.clear()
        self.pending = None
        return taken

    def flush(self) -> str:
        """The text of the rows taken since the last flush."""
        self._emit()
        text = "\n".join(self.lines)
        self.lines = []
        return text

    def end_run(self) -> None:
        self.layout = None

    def _start(self, rows: Sequence[Sequence[Cell]]) -> int | None:
        """Where the data rows begin (after the header), or None when the table is not taken."""
        for index, row in enumerate(rows[:_HEADER_ROWS]):
            columns = header_fields(row)
            if (
                columns is not None
                and self.layout is not None
                and self._flat(row) == self.layout.header
            ):
                return 0  # the header repeated on the next page: the table goes on
            if columns is not None:
                self._emit()
                self.layout = _Layout(len(row), columns, self._flat(row))
                for before in rows[:index]:
                    self._plain(before)
                return index + 1
        width = max((len(row) for row in rows), default=0)
        if self.layout is not None and rows and width == self.layout.width:
            return 0
        return None

    @staticmethod
    def _flat(row: Sequence[Cell]) -> list[str]:
        return [compact(cell or "") for cell in row]

    def _plain(self, row: Sequence[Cell]) -> None:
        """A row above the header (the table's title): its distinct texts as lines."""
        seen: list[str] = []
        for cell in row:
            text = _cell_text(cell, "title")
            if text and text not in seen:
                seen.append(text)
        self.lines.extend(seen)

    def _row(self, row: list[Cell]) -> None:
        assert self.layout is not None
        flat = self._flat(row)
        if flat == self.layout.header or not any(flat):
            return  # the header repeated on a new page, or an empty row
        section = self._section(row, flat)
        if section:
            self._emit()
            self._set_chapter(section)
            return
        values = self._values(row)
        first, self.fresh = self.fresh, False
        if first and self.pending is not None and self._cut_in_two(values):
            for name, text in values.items():
                if text:
                    self.pending[name] = f"{self.pending.get(name, '')} {text}".strip()
            return
        self._emit()
        self.pending = values

    def _section(self, row: list[Cell], flat: list[str]) -> str:
        """The text of a row that is one merged cell across the table (a chapter), else ""."""
        texts = {text for text in flat if text}
        if len(row) < 3 or len(texts) != 1:
            return ""
        text = texts.pop()
        if all(cell == text for cell in flat) or (
            flat[0] == text and all(cell is None for cell in row[1:])
        ):
            return _cell_text(row[0], "chapter")
        return ""

    def _values(self, row: list[Cell]) -> dict[str, str]:
        assert self.layout is not None
        values: dict[str, str] = {}
        for index, name in self.layout.columns.items():
            cell = row[index] if index < len(row) else None
            if cell is None and name in _INHERITED:
                text = self.above.get(name, "")
            else:
                text = _cell_text(cell, name)
            if text and values.get(name) and text not in values[name]:
                text = f"{values[name]}、{text}"  # two columns of one field
            values[name] = text or values.get(name, "")
        self.above = {name: values.get(name, "") for name in _INHERITED}
        return values

    def _cut_in_two(self, values: dict[str, str]) -> bool:
        """Whether the first row of a continued table is the rest of the row a page cut."""
        assert self.layout is not None
        has_number = "number" in self.layout.columns.values()
        return has_number and not values.get("number") and any(values.values())

    def _task_text(self, values: dict[str, str]) -> str:
        """The task's own text: its 任务 column, else the leftmost of its 内容 and 目标 columns
        (a table of 考核指标 then 实施步骤 names the task by the first)."""
        if values.get("title"):
            return values["title"]
        columns = self.layout.columns if self.layout is not None else {}
        order = sorted((i, name) for i, name in columns.items() if name in ("content", "goal"))
        return next((values[name] for _, name in order if values.get(name)), "")

    def _set_chapter(self, text: str) -> None:
        if compact(text) == compact(self.chapter):
            return
        self.chapter = text
        if _CHAPTER_MARK.match(text):
            self.lines.append(text)
        else:
            self.chapters += 1
            self.lines.append(f"{_chinese_number(self.chapters)}、{text}")

    def _emit(self) -> None:
        """Write the pending row: its chapter when it changed, the task line and its labels."""
        values, self.pending = self.pending, None
        if values is None:
            return
        if values.get("chapter"):
            self._set_chapter(values["chapter"])
        text = self._task_text(values)
        if not text:
            return
        source = text  # the cell the task's line is written from is not repeated as a label
        written = values.get("number", "")
        if numbered := _NUMBERED_TEXT.match(text):  # "1.提升…" in the text cell itself
            written, text = written or numbered[1], text[numbered.end() :]
        space = (
            " " if text[:1].isascii() and text[:1].isdigit() else ""
        )  # "3.2020 年…" would not read as item 3
        self.lines.append(f"{self._number(written)}.{space}{text}")
        for name, label in LABEL_OF.items():
            value = values.get(name, "")
            if value and value != source and not (name == "content" and not values.get("title")):
                self.lines.append(f"{label}：{value}")

    def _number(self, written: str) -> str:
        match = _NUMBER.match(compact(written))
        self.number = int(match[1]) if match else self.number + 1
        return str(self.number)


def plain_lines(rows: Sequence[Sequence[Cell]]) -> list[str]:
    """A table that is no task table as lines: each row's distinct cell texts, in order."""
    lines: list[str] = []
    for row in rows:
        seen: list[str] = []
        for cell in row:
            text = (cell or "").strip()
            if text and text not in seen:
                seen.append(text)
        lines.extend(seen)
    return lines


def render_task_table(rows: Sequence[Sequence[Cell]]) -> str | None:
    """One table on its own as labelled text, or None when it is no task table."""
    tables = TaskTables()
    if not tables.feed(rows):
        return None
    return tables.flush()
