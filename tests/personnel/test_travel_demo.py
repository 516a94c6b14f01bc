"""The demo trips (rules P8, P9): one closed, one passport overdue, one awaiting the talk."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.personnel.choices import TripState
from baomi.personnel.models import Trip
from baomi.personnel.selectors.travel import overdue_document_q


@pytest.mark.django_db(transaction=True)
def test_demo_trips_load_once():
    call_command("demo", stdout=StringIO())
    states = sorted(Trip.objects.values_list("state", flat=True))
    assert states == sorted([TripState.CLOSED, TripState.RETURNED, TripState.APPROVED])
    assert Trip.objects.filter(overdue_document_q(timezone.localdate())).count() == 1
    call_command("demo", stdout=StringIO())
    assert Trip.objects.count() == 3
