"""Server time and query count of the pages leaders, sections and townships open most: the
leader's 擂台榜 and home page, the section's and the township's dashboards (their home pages).

Each page is requested 50 times through Django's test client (after 3 warm-up requests) as
district 1's demo login; the figures are the median and the 95th percentile of the server time
and the number of queries of one request. Run on the N=1 and the N=10 database, the query counts
must be the same (no query per unit or per district).

    .venv/bin/python bench/pages.py --districts 10
"""

from __future__ import annotations

import argparse
import time

from _common import emit, median, p95, setup_django

REQUESTS = 50
WARM_UP = 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=1)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()
    setup_django(args.districts)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import Campaign
    from minzheng.scale import bureau_name, username
    from org.models import User

    campaign = Campaign.objects.get(bureau__name=bureau_name(1), bureau__parent=None)
    pages = [
        ("board_leader", "leader", f"/plans/{campaign.pk}/board/"),
        ("home_leader", "leader", "/"),
        ("dashboard_section", "jiuzhu", "/"),
        ("dashboard_township", "t01", "/"),
        ("reports_township", "t01", "/plans/reports/"),
    ]
    suffix = f"_n{args.districts}"
    for name, who, url in pages:
        client = Client()
        client.force_login(User.objects.get(username=username(1, who)))
        for _ in range(WARM_UP):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)  # now: the next request empties the connection's log
        assert response.status_code == 200, url
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        emit(f"{name}{suffix}_median", median(timings), "ms")
        emit(f"{name}{suffix}_p95", p95(timings), "ms")
        emit(f"{name}{suffix}_queries", count, "queries")


if __name__ == "__main__":
    main()
