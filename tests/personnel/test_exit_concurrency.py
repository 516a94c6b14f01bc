"""Two officers acting on the same exit at the same moment: exactly one wins (rule P10).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer,
PostgreSQL's row locks (select_for_update) and the compare-and-set of the transitions do."""

from datetime import date

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict
from baomi.core.testing.concurrency import race
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.models import ExitCase
from baomi.personnel.services.exit import file_exit, record_exit_talk

from . import test_exit_support as support
from .test_exit_support import approved, file_of

# The shared fixtures of test_exit_support.
people, yf1, post, leaver, make_leaver = (
    support.people, support.yf1, support.post, support.leaver, support.make_leaver)


def outcome(results, kind):
    won = [r for r in results if isinstance(r, kind)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.rule("P10")
@pytest.mark.django_db(transaction=True)
def test_two_filings_of_the_same_exit_one_wins(people, leaver):
    file = file_of(leaver)

    def filing(actor, kind):
        return lambda: file_exit(actor, file, kind=kind, leave_on=date(2026, 1, 31),
                                 reason="辞职")

    results = race(filing(people["office"], ExitKind.LEAVE_UNIT),
                   filing(people["office2"], ExitKind.LEAVE_POST))
    won, lost = outcome(results, ExitCase)
    assert isinstance(lost, Conflict) and lost.code == "illegal_transition"
    assert ExitCase.objects.get().pk == won.pk and won.state == ExitState.PENDING
    assert file_of(leaver).state == FileState.LEAVING
    assert AuditEvent.objects.filter(action="EXIT_FILED").count() == 1
    assert AuditEvent.objects.filter(action="REQUEST_SUBMITTED").count() == 1


@pytest.mark.rule("P10")
@pytest.mark.django_db(transaction=True)
def test_two_talks_recorded_at_once_one_wins(people, leaver):
    case = approved(people, leaver)
    today = timezone.localdate()

    def talk(actor, talkers):
        seen = ExitCase.objects.get(pk=case.pk)  # each officer loaded the page first
        return lambda: record_exit_talk(actor, seen, held_on=today, talkers=talkers)

    results = race(talk(people["office"], ["张保密", "李保密"]),
                   talk(people["office2"], ["王保密", "赵保密"]))
    won, lost = outcome(results, ExitCase)
    assert isinstance(lost, Conflict) and lost.code == "already_recorded"
    assert ExitCase.objects.get(pk=case.pk).talkers == won.talkers
    assert AuditEvent.objects.filter(action="EXIT_TALK_RECORDED").count() == 1
