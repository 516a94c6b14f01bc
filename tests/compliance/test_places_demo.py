"""The demo key places and classified meetings (rules M1, M2): three places with their
measures and people, a closed 机密 review with every document back (one a registered carrier),
a held meeting with a document out (the sweep of `baomi demo` opens the obligation), one
planned; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.compliance.choices_places import MeetingState
from baomi.compliance.models import (
    ClassifiedMeeting,
    KeyPlace,
    KeyPlacePerson,
    MeetingAttendee,
    MeetingDocument,
)
from baomi.core.labels import Level
from baomi.obligations.models import Obligation


def written():
    return tuple(model.objects.count() for model in (
        KeyPlace, KeyPlacePerson, ClassifiedMeeting, MeetingAttendee, MeetingDocument))


@pytest.mark.rule("M2")
@pytest.mark.django_db(transaction=True)
def test_demo_places_and_meetings_load_once():
    call_command("demo", stdout=StringIO())
    places = {place.name: place for place in KeyPlace.objects.filter(unit__code="HX-DZ")}
    assert set(places) == {"机要室", "档案室", "科研处"}
    assert places["机要室"].room is not None and places["机要室"].level == Level.TOP_SECRET
    assert all(place.people.exists() and place.technical_measures for place in places.values())
    meetings = {m.state: m for m in ClassifiedMeeting.objects.filter(unit__code="HX-DZ")}
    assert set(meetings) == {MeetingState.CLOSED, MeetingState.HELD, MeetingState.PLANNED}
    closed = meetings[MeetingState.CLOSED]
    assert closed.level == Level.CONFIDENTIAL and closed.plan
    assert not closed.attendees.filter(signed_in_at__isnull=True).exists()
    assert not closed.documents.filter(returned_at__isnull=True).exists()
    assert closed.documents.filter(carrier__isnull=False).exists()
    held = meetings[MeetingState.HELD]
    assert held.documents.filter(returned_at__isnull=True).count() == 1
    assert Obligation.objects.filter(rule_code="compliance.meeting_documents_out",
                                     subject_id=held.pk, state="open").exists()
    count = written()
    call_command("demo", stdout=StringIO())
    assert written() == count
