"""Hostile files (tests/hostile_files.py, by the Hardening issue): how long org.uploads takes
to refuse each and the peak memory Python allocated meanwhile; the goal is under 1 second and
50 MB each. The files are made on the spot; the checks are the upload pages' own. The hostile
workbooks are also given to the roster import's reader (relief.xlsx_rows), which reads sheets
without openpyxl.

    .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

from _common import setup_django


def main() -> None:
    setup_django(1)
    from tests.hostile_files import bench_hostile

    for line in bench_hostile():
        print(line, flush=True)
    roster_reader()


def roster_reader() -> None:
    import time
    import tracemalloc

    from org.uploads import UploadRefused
    from relief.xlsx_rows import check_xlsx, sheet_rows
    from tests.hostile_files import HOSTILE

    for label, make in HOSTILE.items():
        hostile = make()
        if hostile.kind != "workbook":
            continue
        tracemalloc.start()
        started = time.perf_counter()
        try:
            check_xlsx(hostile.data, hostile.name)
            for _row in sheet_rows(hostile.data, max_rows=20_011, message="too many rows"):
                pass
            refused = False
        except UploadRefused:
            refused = True
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert refused, label
        print(f"hostile_{label}_roster_reader_check {seconds * 1000:.1f} ms", flush=True)
        print(f"hostile_{label}_roster_reader_peak_python {peak / 1024 / 1024:.2f} MB", flush=True)


if __name__ == "__main__":
    main()
