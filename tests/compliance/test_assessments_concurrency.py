"""Two officers completing one assessment at the same moment: exactly one wins (rule Q3).

Each thread has its own connection: SQLite's IMMEDIATE transactions queue the second writer;
on PostgreSQL the assessment's row lock and the compare-and-set on its state do."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_assessments as services
from baomi.compliance.choices_assessments import AssessmentState
from baomi.compliance.models import Assessment
from baomi.core.errors import Conflict
from baomi.core.labels import Category
from baomi.core.testing.concurrency import race

from .assessments_support import consulting, entries, office, start

__all__ = ["consulting", "office"]


@pytest.mark.rule("Q3")
@pytest.mark.django_db(transaction=True)
def test_two_completes_at_once_one_wins(office, consulting, make_user):
    second = make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    assessment = start(office, consulting)
    services.score_items(office, assessment, entries(assessment, lose={"org.1": 1}))

    def complete(actor):
        return lambda: services.complete_assessment(actor, Assessment.objects.get(
            pk=assessment.pk))

    results = race(complete(office), complete(second))
    won = [r for r in results if isinstance(r, Assessment)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].code in ("completed", "concurrent_change")
    assert Assessment.objects.get().state == AssessmentState.COMPLETED
    assert AuditEvent.objects.filter(action="ASSESSMENT_COMPLETED").count() == 1


@pytest.mark.rule("Q3")
@pytest.mark.django_db(transaction=True)
def test_scoring_while_completing_never_changes_a_completed_score(office, consulting):
    assessment = start(office, consulting)
    services.score_items(office, assessment, entries(assessment))

    results = race(
        lambda: services.complete_assessment(office, Assessment.objects.get(pk=assessment.pk)),
        lambda: services.score_items(office, Assessment.objects.get(pk=assessment.pk),
                                     [{"item": "org.1", "awarded": 0}]))
    done = Assessment.objects.get()
    awarded = done.scores.get(item_code="org.1").awarded
    assert done.state == AssessmentState.COMPLETED
    assert done.score == 100 - (4 - awarded)  # the score is the sum of what is stored
    assert sum(isinstance(r, Exception) for r in results) <= 1
