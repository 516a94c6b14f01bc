"""Figure: the person ledger (涉密人员台帐) page and API list with 100,000 people.

One unit, ~20 departments, 100,000 people each with a file (bulk-created: the services are
not what is measured). Then 200 requests each, through Django's test Client logged in as the
保密办: the ledger page filtered by department and state, and the API list with the same
filters. Prints median and p99; the last line is the figure. Target: median ≤ 100 ms.

    .venv/bin/python bench/personnel_ledger.py [--people 100000] [--requests 200]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_database, median, percentile  # noqa: E402

DEPARTMENTS = 20
BATCH = 5000


def populate(people: int) -> tuple[object, list[int]]:
    from django.db import transaction

    from baomi.accounts.models import Department, Person, RoleAssignment, Unit, User
    from baomi.accounts.roles import Role
    from baomi.core.labels import Category, Level
    from baomi.personnel.choices import FileState
    from baomi.personnel.models import PersonnelFile, Post, PostHolding

    unit = Unit.objects.create(name="基准单位", code="BENCH")
    departments = Department.objects.bulk_create(
        Department(unit=unit, name=f"部门{i:02d}", code=f"D{i:02d}") for i in range(DEPARTMENTS))
    posts = Post.objects.bulk_create(
        Post(unit=unit, department=d, name=f"岗位{j}", level=level)
        for d in departments for j, level in enumerate((Level.SECRET, Level.CONFIDENTIAL)))
    states = [FileState.IN_POST] * 6 + [FileState.PROPOSED, FileState.REVIEWING,
                                        FileState.TRAINING, FileState.REVIEW_FAILED]
    rng = random.Random(7)
    for start in range(0, people, BATCH):
        with transaction.atomic():
            batch = Person.objects.bulk_create(
                Person(unit=unit, department=departments[n % DEPARTMENTS], name=f"人员{n}",
                       employee_no=f"E{n:06d}", category=Category.GENERAL)
                for n in range(start, min(start + BATCH, people)))
            PersonnelFile.objects.bulk_create(
                PersonnelFile(person=p, unit=unit, state=rng.choice(states),
                              category=Category.GENERAL) for p in batch)
            PostHolding.objects.bulk_create(
                PostHolding(person=p, post=posts[2 * (n % DEPARTMENTS)],
                            started_on="2020-01-01")
                for n, p in enumerate(batch, start=start))
    office_person = Person.objects.create(unit=unit, department=departments[0], name="保密办",
                                          employee_no="OFFICE")
    office = User.objects.create(username="office", person=office_person,
                                 must_change_password=False)
    RoleAssignment.objects.create(user=office, role=Role.SECRECY_OFFICE, unit=unit)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return office, [d.pk for d in departments]


def timed(client: object, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        began = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        began = time.perf_counter()
        office, departments = populate(args.people)
        print(f"populated {args.people} people in {time.perf_counter() - began:.1f} s")
        client = Client()
        client.force_login(office)
        states = ["in_post", "proposed", "training"]
        rng = random.Random(11)
        choices = [(rng.choice(departments), rng.choice(states)) for _ in range(args.requests)]
        page_urls = [f"/personnel/people/?department={d}&state={s}" for d, s in choices]
        api_urls = [f"/api/v1/personnel/people?department_id={d}&state={s}" for d, s in choices]
        timed(client, page_urls[:5] + api_urls[:5])  # warm up
        page = timed(client, page_urls)
        api = timed(client, api_urls)
        print(f"page: median {median(page):.1f} ms, p99 {percentile(page, 99):.1f} ms")
        print(f"api:  median {median(api):.1f} ms, p99 {percentile(api, 99):.1f} ms")
        print(f"personnel_ledger: page median {median(page):.1f} ms p99 "
              f"{percentile(page, 99):.1f} ms; api median {median(api):.1f} ms p99 "
              f"{percentile(api, 99):.1f} ms ({args.people} people, {vendor})")


if __name__ == "__main__":
    main()
