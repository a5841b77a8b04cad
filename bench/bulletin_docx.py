"""The .docx bulletin with a 500-row and a 1,000-row ranking table: the time of each and their
ratio (about 2 when the table is built in linear time; 4 if it were quadratic).

The bulletin is campaigns.documents.monthly's, from a content of one contest of N units (the
shape dispatch writes); the best of 3 runs each.

    .venv/bin/python bench/bulletin_docx.py
"""

from __future__ import annotations

import argparse
import time

from _common import emit, setup_django

RUNS = 3


def content(rows: int) -> dict:
    lights = ["green", "yellow", "red"]
    return {
        "title": "关于2020年12月份全区民政系统“打擂攻坚”工作调度情况的通报",
        "campaign": "规模测试",
        "addressees": "各镇街道民政办公室，局机关各科室：",
        "issuer": "规模测试01区民政局",
        "period": "2020年12月",
        "issue": "第12期",
        "issued_on": "2021年1月5日",
        "overview": {
            "units": rows,
            "reports": rows,
            "reported_units": rows,
            "submitted": rows,
            "late": [],
            "missing": [],
            "lights": {"green": rows // 3, "yellow": rows // 3, "red": rows - 2 * (rows // 3)},
        },
        "contests": [
            {
                "task_id": 1,
                "task": "特困人员供养水平擂台赛",
                "number": "（一）",
                "indicators": ["集中供养率", "月探访率"],
                "rows": [
                    {
                        "rank": n + 1,
                        "unit": f"第{n + 1}镇街道民政办公室",
                        "score": f"{100 - n * 0.05:.1f}",
                        "completion": f"{100 - n * 0.05:.1f}",
                        "expected": "95.0",
                        "light": lights[n % 3],
                        "reported": True,
                        "rank_change": (n % 5) - 2,
                        "indicators": [
                            {
                                "name": "集中供养率",
                                "value": f"{60 + n % 40:.1f}%",
                                "completion": "90",
                            },
                            {
                                "name": "月探访率",
                                "value": f"{70 + n % 30:.1f}%",
                                "completion": "95",
                            },
                        ],
                    }
                    for n in range(rows)
                ],
            }
        ],
        "pushes": [],
        "red_list": [],
        "risers": [],
        "problems": [],
        "requirements": ["各镇街道要对照排名查找差距。"],
    }


def best_time(rows: int) -> float:
    from campaigns.documents.monthly import monthly_docx
    from campaigns.models import Bulletin, BulletinKind

    bulletin = Bulletin(
        kind=BulletinKind.MONTHLY, number=12, title=content(rows)["title"], content=content(rows)
    )
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        data = monthly_docx(bulletin)
        times.append(time.perf_counter() - started)
    assert data.startswith(b"PK")
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=1)
    args = parser.parse_args()
    setup_django(args.districts)
    best_time(20)  # imports and fonts, once
    small, large = best_time(500), best_time(1000)
    emit("docx_bulletin_500_rows", small, "s")
    emit("docx_bulletin_1000_rows", large, "s")
    emit("docx_bulletin_ratio_1000_500", large / small, "x")


if __name__ == "__main__":
    main()
