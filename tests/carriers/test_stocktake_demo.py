"""The demo stocktakes (rules C1, C8): a closed stocktake of the 研发一部 file cabinet with the
disc not found and now missing (its case open), an older loss already a leak incident, and the
stocktake of the safe in progress; loading again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.accounts.models import User
from baomi.carriers import demo_stocktake
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier, MissingCase, Stocktake, StocktakeLine
from baomi.carriers.models.stocktake import LineResult, MissingState
from baomi.compliance.models import Incident
from baomi.core.demo import DemoContext
from baomi.core.labels import Level


def context():
    return DemoContext(out=StringIO(), users={u.username: u for u in User.objects.all()})


@pytest.mark.rule("C8")
@pytest.mark.django_db(transaction=True)
def test_demo_stocktakes_load_once():
    call_command("demo", stdout=StringIO())
    demo_stocktake.load(context())
    today = timezone.localdate()

    closed = Stocktake.objects.get(container__number=demo_stocktake.CABINET)
    assert closed.state == "closed"
    [line] = closed.lines.filter(result=LineResult.MISSING)
    assert line.carrier.number == demo_stocktake.NOT_FOUND
    assert not closed.lines.filter(result=LineResult.UNCHECKED).exists()
    case = line.missing_case
    assert (case.state, case.discovered_on, case.deadline) == (
        MissingState.OPEN, today, today + timezone.timedelta(days=60))

    lost = MissingCase.objects.get(carrier__number=demo_stocktake.LOST)
    assert lost.state == MissingState.INCIDENT
    assert lost.carrier.level == Level.SECRET
    assert Incident.objects.get(source_type="carriers.carrier") == lost.incident
    assert lost.incident.discovered_on == today - timezone.timedelta(days=70)

    in_progress = Stocktake.objects.get(container__number=demo_stocktake.SAFE)
    assert in_progress.state == "open"
    assert in_progress.lines.filter(result=LineResult.FOUND).count() == 2
    assert in_progress.lines.filter(result=LineResult.UNCHECKED).exists()
    assert Carrier.objects.filter(state=CarrierState.MISSING).count() == 2

    counts = [model.objects.count() for model in (Stocktake, StocktakeLine, MissingCase,
                                                  Incident)]
    demo_stocktake.load(context())
    assert [model.objects.count() for model in (Stocktake, StocktakeLine, MissingCase,
                                                Incident)] == counts
