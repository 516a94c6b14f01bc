"""The demo copies and print log (rules C4, C10, S8): on the demo ledger, one copy order made
with its two copies on the ledger, one awaiting the department head, four printouts logged
(one kept as a carrier); a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.accounts.models import User
from baomi.approvals.selectors import inbox_for
from baomi.carriers import demo_copying
from baomi.carriers.choices import CarrierOrigin
from baomi.carriers.models import Carrier, CopyOrder, CopyStamp, PrintRecord
from baomi.carriers.models.copying import CopyState
from baomi.core.demo import DemoContext
from baomi.core.labels import Level
from baomi.secrets.models import KnowledgeRecord


def load() -> DemoContext:
    context = DemoContext(out=StringIO())
    context.users.update({u.username: u for u in User.objects.all()})
    demo_copying.load(context)
    return context


@pytest.mark.rule("C4")
@pytest.mark.rule("C10")
@pytest.mark.django_db(transaction=True)
def test_demo_copies_and_print_log_load_once():
    call_command("demo", stdout=StringIO())
    knowledge = KnowledgeRecord.objects.count()
    load()
    made = CopyOrder.objects.get(state=CopyState.MADE)
    assert made.carrier.number == demo_copying.MADE and made.copies == 2
    copies = Carrier.objects.filter(original=made.carrier).order_by("number")
    assert [c.number for c in copies] == [f"{demo_copying.MADE}-F1", f"{demo_copying.MADE}-F2"]
    assert all(c.origin == CarrierOrigin.COPIED and c.level == Level.CONFIDENTIAL
               and c.secret_item_id == made.carrier.secret_item_id for c in copies)
    assert CopyStamp.objects.filter(order=made).count() == 2
    # rule S8: 孙立新's contact with the copied item, recorded once (`baomi demo` loaded it)
    assert KnowledgeRecord.objects.count() == knowledge
    assert KnowledgeRecord.objects.filter(item_id=made.carrier.secret_item_id,
                                          person__name="孙立新",
                                          source__startswith="复制载体").count() == 1
    pending = CopyOrder.objects.get(state=CopyState.REQUESTED)
    assert pending.carrier.number == demo_copying.PENDING
    assert pending.request in inbox_for(User.objects.get(username="bumen"))
    assert PrintRecord.objects.count() == 4
    kept = PrintRecord.objects.get(carrier__isnull=False)
    assert kept.carrier.number == demo_copying.KEPT_PRINT

    counts = [model.objects.count() for model in (CopyOrder, Carrier, PrintRecord)]
    load()
    assert [model.objects.count() for model in (CopyOrder, Carrier, PrintRecord)] == counts
