"""Two people acting on the same meeting or place at the same moment: exactly one wins (rules
M1, M2). Each thread has its own connection: SQLite queues the second writer; on PostgreSQL
the meeting's row lock, the compare-and-set updates and the unique constraints do."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.compliance import services_places as sp
from baomi.compliance.models import ClassifiedMeeting, KeyPlacePerson, MeetingDocument
from baomi.core.errors import Conflict, RuleViolation
from baomi.core.testing.concurrency import race

from .test_places_support import important, meeting, office, place  # noqa: F401


def outcome(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


def held(meeting, office, important):
    attendee = sp.add_attendee(office, meeting, user=important)
    sp.sign_in_attendee(office, attendee, phone_handed_in=True)
    sp.record_meeting_measures(office, meeting, identity_check=True, phones_collected=True,
                               signal_jammer=True)
    return attendee


@pytest.mark.rule("M2")
@pytest.mark.django_db(transaction=True)
def test_two_closings_at_once_close_once(meeting, office, important):
    held(meeting, office, important)
    first, second = (ClassifiedMeeting.objects.get(pk=meeting.pk) for _ in range(2))
    results = race(lambda: sp.close_meeting(office, first),
                   lambda: sp.close_meeting(office, second))
    _, lost = outcome(results, ClassifiedMeeting)
    assert isinstance(lost, Conflict), lost
    assert AuditEvent.objects.filter(action="MEETING_CLOSED").count() == 1


@pytest.mark.rule("M2")
@pytest.mark.django_db(transaction=True)
def test_a_document_issued_while_closing_either_stops_the_close_or_is_refused(
        meeting, office, important):
    held(meeting, office, important)
    results = race(lambda: sp.close_meeting(office, meeting),
                   lambda: sp.issue_meeting_document(office, meeting, title="临时材料"))
    closed = ClassifiedMeeting.objects.get(pk=meeting.pk).state == "closed"
    out = MeetingDocument.objects.filter(meeting=meeting, returned_at__isnull=True).count()
    # Never a closed meeting with a document out.
    assert (closed, out) in ((True, 0), (False, 1)), results
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict | RuleViolation), results


@pytest.mark.rule("M1")
@pytest.mark.django_db(transaction=True)
def test_two_grants_of_one_person_at_once_grant_once(place, office, important):
    results = race(lambda: sp.grant_place_access(office, place, user=important),
                   lambda: sp.grant_place_access(office, place, user=important))
    _, lost = outcome(results, KeyPlacePerson)
    assert isinstance(lost, Conflict) and lost.code == "already_allowed", lost
    assert KeyPlacePerson.objects.count() == 1
