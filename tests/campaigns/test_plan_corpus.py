"""Real public plans nobody here wrote (tests/campaigns/plan_corpus, sources in its README) read
into the structure a careful reader finds in them: chapters, tasks, each task's 牵头领导 / 配合领导 /
牵头单位 / 责任单位 / 配合单位 / 完成时限, and the paragraphs that must not become tasks.

Pure Python: runs without Django (``-p no:django --noconftest``). A document the parser does not
read right yet is listed in ``NOT_YET`` with what goes wrong; the test then expects the mismatch
(strict xfail), so a fix shows up as an unexpected pass and the entry must be removed.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from campaigns.plan_import import PlanDraft, TaskDraft, parse_plan
from campaigns.plan_import.lines import L1, L2, L3
from campaigns.plan_import.pasted import _pipe_rows
from campaigns.plan_import.text import compact

CORPUS = Path(__file__).resolve().parent / "plan_corpus"
DOCUMENTS = sorted(p.stem for p in CORPUS.glob("*.txt"))

# Documents not read right yet, with the reason (kept in step with the closing notes).
NOT_YET: dict[str, str] = {
    "changzhou-zhonglou-2021-minsheng-shishi-fenjie-biao": "table cells run together, no separators",
    "jiangsu-laodong-baozhang-2007-mubiao-renwu-fenjie": "(2) under 17. is the task, 17. its parent",
    "jilin-minzhengju-zhongdian-gongzuo-jihua": "牵头 / 配合 and a deadline inside a sentence",
    "putian-renshe-2022-buduanban-gongjian-fangan": "labels without their task headings (site dropped them)",
    "xianning-2020-zhengce-cuoshi-zeren-fengong": "a 责任分工 table whose cells arrived one per line",
    "yunnan-youhua-shengyu-zhongdian-renwu-fengong-qingdan": "table cells run together: X牵头;Z配合",
}

FIELDS = ("lead_leaders", "co_leaders", "lead_units", "responsible_units", "cooperating_units")


def expected(slug: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{slug}.json").read_text(encoding="utf-8"))


def draft_of(slug: str) -> PlanDraft:
    return parse_plan((CORPUS / f"{slug}.txt").read_text(encoding="utf-8"))


def _flat(text: str) -> str:
    """Text compared without whitespace and full stops (a title is stored without its "。")."""
    return compact(text).replace("。", "")


def _heading(text: str) -> str:
    """A chapter as the reader names it: without its number ("一、", "（一）", "1.")."""
    flat = compact(text)
    for pattern in (L1, L2, L3):
        if match := pattern.match(flat):
            return flat[match.end() :]
    return flat


def _task_problems(n: int, got: TaskDraft, want: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not _flat(got.title + got.content).startswith(_flat(want["title_start"])):
        problems.append(f"task {n}: title {got.title[:20]!r}, want {want['title_start']!r}")
    for name in FIELDS:
        if [compact(x) for x in getattr(got, name)] != [compact(x) for x in want.get(name, [])]:
            problems.append(f"task {n}: {name} {getattr(got, name)}, want {want.get(name, [])}")
    if compact(got.deadline_text) != compact(want.get("deadline_text", "")):
        problems.append(f"task {n}: 完成时限 {got.deadline_text!r}, want {want['deadline_text']!r}")
    want_date = date.fromisoformat(want["deadline"]) if want.get("deadline") else None
    if got.deadline != want_date:
        problems.append(f"task {n}: deadline {got.deadline}, want {want_date}")
    return problems


def problems_of(slug: str, text: str | None = None) -> list[str]:
    """Where the draft of ``slug`` (or of ``text``, a file made from it) differs from what the
    document says; empty when it agrees."""
    draft = draft_of(slug) if text is None else parse_plan(text)
    want = expected(slug)
    problems: list[str] = []
    tasks = want["tasks"]
    if len(draft.tasks) != len(tasks):
        problems.append(f"{len(draft.tasks)} tasks, want {len(tasks)}")
    for n, (got, task) in enumerate(zip(draft.tasks, tasks, strict=False), start=1):
        problems += _task_problems(n, got, task)
    chapters = [_heading(c) for c in want.get("chapters", [])]
    if chapters and [_heading(c) for c in draft.chapters] != chapters:
        problems.append(f"chapters {draft.chapters}, want {want['chapters']}")
    for start in want.get("not_tasks", []):
        if any(compact(t.title).startswith(compact(start)) for t in draft.tasks):
            problems.append(f"{start!r} became a task")
    return problems


def test_the_corpus_holds_at_least_fifteen_real_plans_with_their_sources():
    assert len(DOCUMENTS) >= 15
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for slug in DOCUMENTS:
        assert expected(slug)["source"].startswith("http"), slug
        assert slug in readme, slug
    assert set(NOT_YET) <= set(DOCUMENTS)


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param(s, marks=pytest.mark.xfail(reason=NOT_YET[s], strict=True))
        if s in NOT_YET
        else s
        for s in DOCUMENTS
    ],
)
def test_a_real_plan_comes_in_as_the_document_says(slug):
    assert problems_of(slug) == []


def test_a_task_table_copied_from_a_browser_with_tabs_reads_like_its_page_text():
    """A browser copies an HTML table as one row a line, cells split by tabs, a cell's own line
    breaks kept inside it; the 谯城区 table must give the same tasks as the page's text."""
    slug = "bozhou-qiaocheng-2025-minzheng-renwu-fenjie"
    page = (CORPUS / f"{slug}.txt").read_text(encoding="utf-8")
    lines = [line for line in page.splitlines() if line.strip()]
    tabbed = "\n".join("\t".join(cell or "" for cell in row) for row in _pipe_rows(lines))
    assert "|" not in tabbed and tabbed.count("\t") >= 20
    draft = parse_plan(tabbed)
    assert [(t.title[:12], t.responsible_units, t.deadline_text) for t in draft.tasks] == [
        (t.title[:12], t.responsible_units, t.deadline_text) for t in draft_of(slug).tasks
    ]
    assert problems_of(slug) == []


def test_a_real_task_table_made_into_a_word_table_reads_as_the_document_says():
    """谯城区's 任务分解表 as the Word table a bureau would send, header repeated on page two."""
    from docx import Document

    from campaigns.plan_import import read_docx_text

    slug = "bozhou-qiaocheng-2025-minzheng-renwu-fenjie"
    page = (CORPUS / f"{slug}.txt").read_text(encoding="utf-8")
    title, header, *rows = _pipe_rows([line for line in page.splitlines() if line.strip()])
    document = Document()
    document.add_paragraph(title[0])
    table = document.add_table(rows=0, cols=len(header))
    for cells in [header, rows[0], header, *rows[1:]]:  # the header again after a page break
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text or ""
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_docx_text(io.BytesIO(buffer.getvalue()))
    assert "|" not in text
    assert problems_of(slug) == [] and problems_of(slug, text) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice prints the PDF")
def test_a_real_plan_printed_to_pdf_with_page_numbers_reads_as_the_document_says():
    """嘉鱼县's 责任分解 printed from Word, each chapter on a page of its own with a running header
    and "— N —" page numbers: the PDF reader drops them and the tasks come in as written."""
    from campaigns.plan_import.pdf import read_pdf_text
    from tests.campaigns import plan_files

    slug = "jiayu-2021-zhengfu-gongzuo-baogao-zeren-fenjie"
    lines = [line for line in (CORPUS / f"{slug}.txt").read_text(encoding="utf-8").splitlines()]
    docx = plan_files.plan_docx(
        [line for line in lines if line.strip()], header="嘉鱼县人民政府办公室", break_at="附件1"
    )
    text = read_pdf_text(plan_files.to_pdf(docx))
    assert "— 1 —" not in text and "— 2 —" not in text
    assert problems_of(slug, text) == []


def test_a_task_table_whose_cells_arrived_one_a_line_reads_as_the_document_says():
    """The same 谯城区 table copied from a page that gives one cell a line and no bars: the
    header's cells (监督方式 among them, a column nobody reads) then each row from its number."""
    slug = "bozhou-qiaocheng-2025-minzheng-renwu-fenjie"
    page = (CORPUS / f"{slug}.txt").read_text(encoding="utf-8")
    one_a_line = "\n".join(line.strip().strip("|").strip() for line in page.splitlines())
    assert "|" not in one_a_line and "\n序号\n责任单位\n考核指标\n" in one_a_line
    assert problems_of(slug, one_a_line) == []
