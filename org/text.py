"""The one text rule: which characters a text the product takes may hold, and what a writer drops.

Text reaches the product from forms, Excel cells, plan documents, file names and roster rows,
often pasted from WPS or a PDF viewer with a vertical tab, a form feed or a stray NUL inside.
Such a character cannot be written into .docx or .xlsx (XML 1.0 has no place for it), and a lone
surrogate cannot even be encoded as UTF-8, so one saved character would take every bulletin and
export down. The rule:

- `text_problem(value)` says why a typed text is refused (C0 control characters other than tab,
  line feed and carriage return, DEL and the C1 controls, lone surrogates, non-characters), or
  None; `text_error(label, value)` is the message a page shows, naming the field;
- `clean_text(value)` drops exactly those characters, for an imported document (the import says
  how many it dropped) and for every writer (openpyxl, python-docx, CSV, JSON for the screen),
  so text stored before the rule, or by any other path, can never break a document.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# C0 controls but tab, LF and CR; DEL and C1; lone surrogates; the 66 non-characters.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)

_NAMES = {
    "\x00": "空字符",
    "\x0b": "垂直制表符",
    "\x0c": "换页符",
    "\x1b": "转义符",
    "\x7f": "删除符",
}


def describe(ch: str) -> str:
    """ "垂直制表符（U+000B）": a character a clerk cannot see, named so they can find it."""
    code = f"U+{ord(ch):04X}"
    if "\ud800" <= ch <= "\udfff":
        return f"残缺的字符编码（{code}）"
    if unicodedata.category(ch) == "Cn" or "\ufdd0" <= ch <= "\ufdef":
        return f"非字符（{code}）"
    return f"{_NAMES.get(ch, '控制字符')}（{code}）"


def text_problem(value: str) -> str | None:
    """Why `value` cannot be saved as it is, or None."""
    match = FORBIDDEN.search(value)
    if match is None:
        return None
    count = len(FORBIDDEN.findall(value))
    where = f"第 {match.start() + 1} 个字符是{describe(match.group())}"
    more = f"，共 {count} 处" if count > 1 else ""
    return (
        f"含有看不见的特殊字符（{where}{more}），常见于从 WPS、PDF 或网页复制的文字，"
        "请删除后重新输入"
    )


def text_error(label: str, value: str) -> str | None:
    """The page's message for `value` typed into the field `label`, or None when it may be saved."""
    problem = text_problem(value)
    return f"「{label}」{problem}" if problem else None


def clean_text(value: str) -> str:
    """`value` without the characters no document can hold."""
    return FORBIDDEN.sub("", value)


def clean_document(text: str) -> tuple[str, int]:
    """An imported document's text made writable, and how many characters were dropped.

    A vertical tab (Word's manual line break) and a form feed (a PDF's page break) become line
    breaks; every other forbidden character is dropped and counted, so the import can say so.
    """
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    return FORBIDDEN.sub("", text), len(FORBIDDEN.findall(text))


def clean_value(value: Any) -> Any:
    """Text cleaned; numbers, dates and None as they are (a writer's cell or run)."""
    return clean_text(value) if isinstance(value, str) else value


def clean_json(value: Any) -> Any:
    """A copy of JSON-like data with every string cleaned (keys too): for documents and charts."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_json(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    return value


def screen_json(value: Any) -> str:
    """JSON for a chart or a data- attribute on a page, every string cleaned."""
    return json.dumps(clean_json(value), ensure_ascii=False)
