"""Two officers acting on one rectification or inspection at the same moment: exactly one
wins (rule Q10). Each thread has its own connection: SQLite's IMMEDIATE transactions queue
the second writer; on PostgreSQL the compare-and-set on the state and the row lock on the
inspection do."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_inspections as services
from baomi.compliance.models import Inspection, Rectification, RectificationCheck
from baomi.core.errors import Conflict
from baomi.core.labels import Category
from baomi.core.testing.concurrency import race

from .inspections_support import (  # noqa: F401
    STARTED_ON,
    check_all,
    inspection,
    items,
    office,
    owner,
)


def one_won(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("Q10")
@pytest.mark.django_db(transaction=True)
def test_two_re_checks_of_one_rectification_at_once(office, owner, inspection, make_user):
    second = make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    check_all(office, inspection, problems={"A02-01"}, rectify_owner=owner)
    rectification = Rectification.objects.get()
    services.record_measures(owner, rectification, measures="制度已修订")

    def recheck(actor, passed):
        return lambda: services.recheck_rectification(
            actor, Rectification.objects.get(pk=rectification.pk), passed=passed,
            new_due_on=None if passed else dt.date.today() + dt.timedelta(days=60))

    won, lost = one_won(race(recheck(office, True), recheck(second, False)),
                        RectificationCheck)
    assert isinstance(lost, Conflict), lost
    assert RectificationCheck.objects.get() == won
    assert Rectification.objects.get().state == ("verified" if won.passed else "open")
    assert AuditEvent.objects.filter(action__in=["RECTIFICATION_VERIFIED",
                                                 "RECTIFICATION_REOPENED"]).count() == 1


@pytest.mark.rule("Q10")
@pytest.mark.django_db(transaction=True)
def test_two_completions_at_once(office, inspection):
    check_all(office, inspection)

    def complete():
        return services.complete_inspection(office, Inspection.objects.get(pk=inspection.pk))

    won, lost = one_won(race(complete, complete), Inspection)
    assert isinstance(lost, Conflict) and won.state == "completed"
    assert AuditEvent.objects.filter(action="INSPECTION_COMPLETED").count() == 1
