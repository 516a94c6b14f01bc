"""The demo destruction lists (rule C7): one destroyed with its certificate and two people,
one checked by the 保密办 and waiting in the leader's inbox; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.accounts.models import User
from baomi.approvals.selectors import inbox_for
from baomi.carriers.choices import CarrierState
from baomi.carriers.demo_destruction import load
from baomi.carriers.models import DestructionBatch, DestructionItem
from baomi.carriers.models.destruction import BatchState
from baomi.core.demo import DemoContext


@pytest.mark.rule("C7")
@pytest.mark.django_db(transaction=True)
def test_demo_destruction_lists_load_once():
    call_command("demo", stdout=StringIO())
    context = DemoContext(out=StringIO(), users={u.username: u for u in User.objects.all()})
    load(context)

    destroyed = DestructionBatch.objects.get(state=BatchState.DESTROYED)
    assert destroyed.certificate_no and len(destroyed.executors) >= 2
    assert destroyed.items.count() == 2
    assert {i.carrier.state for i in destroyed.items.select_related("carrier")} == {
        CarrierState.DESTROYED}

    waiting = DestructionBatch.objects.get(state=BatchState.SUBMITTED)
    assert waiting.request in inbox_for(User.objects.get(username="lingdao"))
    assert {i.carrier.state for i in waiting.items.select_related("carrier")} == {
        CarrierState.TO_DESTROY}

    counts = (DestructionBatch.objects.count(), DestructionItem.objects.count())
    load(context)
    assert (DestructionBatch.objects.count(), DestructionItem.objects.count()) == counts
    assert "already loaded" in context.out.getvalue()
