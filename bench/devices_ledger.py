"""Figure (issue 5): the device ledger page and API list with 200,000 devices and 10,000,000
usage-log rows, and one device's usage log for a year.

One unit, 20 departments, 200,000 devices and 10,000,000 usage-log entries (raw bulk inserts,
see devices_common.py: every classified computer in use has last year's closed book and this
year's open one; the entries fill the books of the first 20,000 of them, about 250 a book).
For the 保密办 (sees everything up to 绝密) and for an ordinary user (机密 clearance: the
visibility filter keeps the few hundred devices they answer for or use): `--requests` requests
each of
  - the computer ledger page and the API list, half unfiltered, half filtered by department,
    level and state;
  - one device's usage log for a year (a full book of last year): its page and the API list
    of its entries, half the first page (its reading audited, from 机密 up), half a later
    page.
Prints median and p99 of each; the last line is the figure. Target: median ≤ 100 ms on
SQLite.

    .venv/bin/python bench/devices_ledger.py [--devices 200000] [--usage-rows 10000000]
        [--requests 200]
    scripts/with-postgres.sh .venv/bin/python bench/devices_ledger.py   # on PostgreSQL

A smoke run: --devices 20000 --usage-rows 200000 --requests 20.
"""

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_database, median, percentile  # noqa: E402
from devices_common import Fleet, load  # noqa: E402


def timed(client: Any, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def summary(times: list[float]) -> str:
    return f"median {median(times):.1f} ms, p99 {percentile(times, 99):.1f} ms"


def ledger_queries(fleet: Fleet, rng: random.Random, count: int) -> list[str]:
    """Half the plain computer ledger, half filtered by department, level and state."""
    queries = []
    for index in range(count):
        if index % 2:
            queries.append("family=computer")
        else:
            queries.append(f"family=computer&department={rng.choice(fleet.departments)}"
                           f"&level={rng.choice((1, 2))}&state=in_use")
    return queries


def book_pages(books: list[int], rng: random.Random, count: int) -> list[tuple[int, str]]:
    """(book, query): half the first page of a book, half the page after a random entry."""
    from baomi.devices.models import UsageEntry

    pages = []
    for index in range(count):
        book = rng.choice(books)
        if index % 2:
            ids = list(UsageEntry.objects.filter(book_id=book).values_list("pk", flat=True))
            pages.append((book, f"after={rng.choice(ids)}" if ids else ""))
        else:
            pages.append((book, ""))
    return pages


def measure(who: str, user: Any, fleet: Fleet, books: list[int], requests: int,
            rng: random.Random) -> dict[str, list[float]]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    queries = ledger_queries(fleet, rng, requests)
    pages = book_pages(books, rng, requests)
    urls = {
        "ledger page": [f"/devices/?{q}" for q in queries],
        "ledger api": [f"/api/v1/devices/devices?{q}" for q in queries],
        "log page": [f"/devices/usage-books/{book}/?{q}" for book, q in pages],
        "log api": [f"/api/v1/devices/usage-books/{book}/entries?{q}" for book, q in pages],
    }
    for batch in urls.values():
        timed(client, batch[:5])  # warm up
    results = {name: timed(client, batch) for name, batch in urls.items()}
    print(f"{who}: " + "; ".join(f"{name} {summary(t)}" for name, t in results.items()),
          flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=200_000)
    parser.add_argument("--usage-rows", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.test.utils import setup_test_environment

        from baomi.accounts.models import Unit

        setup_test_environment()
        began = time.perf_counter()
        fleet = load(Unit.objects.create(name="基准单位", code="BENCH"), devices=args.devices,
                     usage_rows=args.usage_rows)
        print(f"loaded {fleet.devices} devices, {fleet.books} books, {fleet.entries} usage-log "
              f"rows in {time.perf_counter() - began:.0f} s", flush=True)
        rng = random.Random(11)
        results = {
            "office": measure("office", fleet.office, fleet, fleet.busy_books, args.requests,
                              rng),
            "user": measure("user", fleet.staff, fleet, fleet.staff_books or fleet.busy_books,
                            args.requests, rng),
        }
        figure = "; ".join(
            f"{who} " + ", ".join(f"{name} median {median(t):.1f} ms p99 "
                                  f"{percentile(t, 99):.1f} ms" for name, t in times.items())
            for who, times in results.items())
        print(f"devices_ledger: {figure} ({fleet.devices} devices, {fleet.entries} usage-log "
              f"rows, {vendor})")


if __name__ == "__main__":
    main()
