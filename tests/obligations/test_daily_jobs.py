"""Daily jobs (registry.daily_job) run in `baomi sweep` before the rules, each in its own
transaction: a failing one is rolled back and counted, the others go on."""

import pytest

from baomi.obligations import registry
from baomi.obligations.services import run_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs():
    codes = []

    def add(code, job):
        registry.daily_job(code, "S6")(job)
        codes.append(code)

    yield add
    for code in codes:
        registry._JOBS.pop(code, None)


def test_jobs_run_and_a_failing_one_is_counted(jobs):
    seen = []
    jobs("test.counts", lambda today, actor: seen.append(today) or 3)

    def fails(today, actor):
        raise RuntimeError("boom")

    jobs("test.fails", fails)
    run = run_sweep()
    assert run.counts["test.counts"] == {"updated": 3, "errors": 0}
    assert run.counts["test.fails"]["errors"] == 1 and "boom" in run.counts["test.fails"]["error"]
    assert seen == [run.today]
