"""Figure: the carrier ledger (涉密载体台帐) page and API list with 1,000,000 carriers.

One unit, 20 departments, 1,000,000 carriers (bulk-created, see carriers_common.py). For the
保密办 (sees everything up to 绝密) and for an ordinary user (机密 clearance: the visibility
filter keeps the few hundred carriers they hold or whose item they are in scope of): 200
requests each of the ledger page and of the API list filtered by level, state and department,
and beside them the same ledger query run as raw SQL through the database cursor. Prints
median and p99; the last line is the figure. Target: median ≤ 100 ms on SQLite.

    .venv/bin/python bench/carriers_ledger.py [--carriers 1000000] [--requests 200]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from carriers_common import populate  # noqa: E402
from common import bench_database, median, percentile  # noqa: E402


def timed(client: object, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        began = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def raw_sql(user: object, choices: list[tuple[int, int, str]]) -> list[float]:
    """The ledger's first page as the selector builds it, executed as raw SQL."""
    from django.db import connection

    from baomi.carriers.views.filters import ledger_carriers, ledger_filters

    times = []
    for department, level, state in choices:
        filters = ledger_filters({"department": department, "level": level, "state": state})
        query = ledger_carriers(user, filters).order_by("-id")[:51].query
        sql, params = query.sql_with_params()
        with connection.cursor() as cursor:
            began = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append((time.perf_counter() - began) * 1000)
    return times


def summary(times: list[float]) -> str:
    return f"median {median(times):.1f} ms, p99 {percentile(times, 99):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        began = time.perf_counter()
        ledger = populate(args.carriers)
        print(f"populated {args.carriers} carriers in {time.perf_counter() - began:.1f} s")
        rng = random.Random(11)
        choices = [(rng.choice(ledger.departments), rng.choice((1, 2)),
                    rng.choice(("in_store", "on_loan"))) for _ in range(args.requests)]
        query = "department={0}&level={1}&state={2}"
        results = {}
        for who, user in (("office", ledger.office), ("user", ledger.user)):
            client = Client()
            client.force_login(user)
            pages = [f"/carriers/?{query.format(*c)}" for c in choices]
            apis = [f"/api/v1/carriers/carriers?{query.format(*c)}" for c in choices]
            timed(client, pages[:5] + apis[:5])  # warm up
            results[who] = (timed(client, pages), timed(client, apis), raw_sql(user, choices))
            page, api, sql = results[who]
            print(f"{who}: page {summary(page)}; api {summary(api)}; raw SQL {summary(sql)}")
        figure = "; ".join(
            f"{who} page median {median(page):.1f} ms p99 {percentile(page, 99):.1f} ms, api "
            f"median {median(api):.1f} ms, raw SQL median {median(sql):.1f} ms"
            for who, (page, api, sql) in results.items())
        print(f"carriers_ledger: {figure} ({args.carriers} carriers, {vendor})")


if __name__ == "__main__":
    main()
