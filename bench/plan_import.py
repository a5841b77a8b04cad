"""A 50-page plan through services.importing.plan_file_text and plan_import.parse_plan: the seed 000
plan repeated to 50 pages as a .docx and as a PDF printed from it by LibreOffice, and its
任务分解表 repeated to 50 pages (.docx, PDF); the best of 3 runs each. The goal is under 2 seconds.

    .venv/bin/python bench/plan_import.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

from _common import emit, note, setup_django

RUNS = 3
PAGES = 50


def best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def pages_of(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def grow(make: Callable[[int], bytes], copies: int) -> tuple[bytes, bytes, int]:
    """The .docx `make` builds, grown until its PDF has at least PAGES pages."""
    from tests.campaigns import plan_files

    while True:
        docx = make(copies)
        pdf = plan_files.to_pdf(docx)
        pages = pages_of(pdf)
        if pages >= PAGES:
            return docx, pdf, pages
        copies = copies * PAGES // pages + 1


def main() -> None:
    setup_django(1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigns.plan_import import parse_plan
    from campaigns.services.importing import plan_file_text
    from tests.campaigns import plan_files

    if not plan_files.has_soffice():
        note("LibreOffice (soffice) is not installed: the PDFs cannot be printed")
        return
    plans = {
        "plan": lambda copies: plan_files.plan_docx(plan_files.lanshan_lines() * copies),
        "task_table": lambda copies: plan_files.task_table_docx(copies=copies),
    }
    for label, make in plans.items():
        docx, pdf, pages = grow(make, 6)
        emit(f"plan_import_{label}_pages", pages, "pages")
        for ext, data in ((".docx", docx), (".pdf", pdf)):
            tasks: list[int] = []

            def run(ext: str = ext, data: bytes = data, tasks: list[int] = tasks) -> None:
                text = plan_file_text(SimpleUploadedFile(f"plan{ext}", data))
                tasks.append(len(parse_plan(text).tasks))

            seconds = best(run)
            emit(f"plan_import_{label}_{ext[1:]}_tasks", tasks[-1], "tasks")
            emit(f"plan_import_{label}_{ext[1:]}", seconds, "s")


if __name__ == "__main__":
    main()
