"""Two officers closing one incident at the same moment: exactly one wins (rule I2).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the incident's row lock and the compare-and-set on its state do."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_incidents as handling
from baomi.compliance.choices import IncidentState
from baomi.compliance.models import Incident
from baomi.core.errors import Conflict
from baomi.core.labels import Category
from baomi.core.testing.concurrency import race

from . import incidents_support as support

people, other_unit, reported, handled = (
    support.people, support.other_unit, support.reported, support.handled)


@pytest.mark.rule("I2")
@pytest.mark.django_db(transaction=True)
def test_two_closes_at_once(people, handled, make_user):
    incident = handled()
    second = make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)

    def close(actor):
        return lambda: handling.close_incident(actor, Incident.objects.get(pk=incident.pk))

    results = race(close(people["office"]), close(second))
    won = [r for r in results if isinstance(r, Incident)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].code in ("closed", "concurrent_change")
    assert Incident.objects.get(pk=incident.pk).state == IncidentState.CLOSED
    assert AuditEvent.objects.filter(action="INCIDENT_CLOSED").count() == 1


@pytest.mark.rule("I2")
def test_the_state_change_is_a_compare_and_set(handled):
    incident = handled()
    stale = Incident.objects.get(pk=incident.pk)
    Incident.objects.filter(pk=incident.pk).update(state=IncidentState.CLOSED)
    with pytest.raises(Conflict) as caught:
        handling.INCIDENT_FLOW.apply(stale, IncidentState.CLOSED)
    assert caught.value.code == "concurrent_change"
