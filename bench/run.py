"""`make bench`: every figure of the Scale issue, one `name value unit` line each, after the
machine's CPU and core count. Seeds (once) and reuses the PostgreSQL databases dalei_bench_n1
and dalei_bench_n10 with seed_scale; progress and seeding output go to stderr.

    .venv/bin/python bench/run.py            # everything
    .venv/bin/python bench/run.py pages docx # some parts
"""

from __future__ import annotations

import sys

from _common import cpu_line, ensure_database, note, run_script

PARTS = ["pages", "dispatch", "excel", "roster", "docx", "hostile", "plans"]


def pages() -> int:
    """The pages at N=1 and N=10, and whether each needs the same queries at both sizes."""
    counts: dict[int, dict[str, str]] = {}
    failed = 0
    for districts in (1, 10):
        code, lines = run_script("pages.py", "--districts", str(districts))
        failed |= code
        counts[districts] = {
            name.removesuffix(f"_n{districts}_queries"): value
            for name, value, _unit in (line.split(" ", 2) for line in lines)
            if name.endswith("_queries")
        }
    same = counts[1] == counts[10] and bool(counts[1])
    print(f"page_queries_same_at_n1_and_n10 {'yes' if same else 'no'} -", flush=True)
    return failed or (0 if same else 1)


def main() -> int:
    wanted = sys.argv[1:] or PARTS
    unknown = set(wanted) - set(PARTS)
    if unknown:
        note(f"unknown parts {sorted(unknown)}; choose from {PARTS}")
        return 2
    print(cpu_line(), flush=True)
    failed = 0
    needs = {1} if set(wanted) <= {"docx", "hostile", "plans"} else {1, 10}
    for districts in sorted(needs):
        note(f"database dalei_bench_n{districts}: migrate and seed_scale --districts {districts}")
        ensure_database(districts)
    scripts = {
        "dispatch": [("dispatch.py", "--districts", "10")],
        "excel": [("excel_upload.py", "--districts", "10")],
        "roster": [("roster.py", "--districts", "10")],
        "docx": [("bulletin_docx.py",)],
        "hostile": [("hostile.py",)],
        "plans": [("plan_import.py",)],
    }
    for part in wanted:
        if part == "pages":
            failed |= pages()
            continue
        for script, *args in scripts[part]:
            code, _lines = run_script(script, *args)
            failed |= code
    return failed


if __name__ == "__main__":
    sys.exit(main())
