"""Scored assessments (rules Q2, Q3): the score is the sum of the awarded points, any veto
item not met fails the assessment regardless of the score, it passes at the pass mark; a
completed assessment is locked; importing a standard; who may do what."""

import datetime as dt
from decimal import Decimal

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_assessments as services
from baomi.compliance.choices_assessments import AssessmentState
from baomi.compliance.models import Assessment, AssessmentScore, Standard
from baomi.compliance.selectors_assessments import (
    assessment_result,
    assessment_scores_by_year,
    assessments_summary,
    latest_assessment,
)
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

from .assessments_support import consulting, entries, office, scored, start
from .test_assessments_standards import SMALL

__all__ = ["consulting", "office"]


@pytest.mark.rule("Q2")
def test_installing_the_shipped_standards_twice_stores_them_once(consulting):
    services.install_shipped_standards()
    assert Standard.objects.filter(unit__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="STANDARD_INSTALLED").count() == 1
    assert consulting.total == 100 and consulting.pass_mark == 90


@pytest.mark.rule("Q2")
def test_starting_lists_every_item_unscored(office, consulting):
    assessment = start(office, consulting)
    rows = list(assessment.scores.all())
    assert len(rows) == 24
    assert [r.item_code for r in rows if r.veto] == ["basic.1", "basic.2", "basic.3", "basic.4"]
    assert not any(r.scored for r in rows)
    assert sum(r.max_points for r in rows) == 100
    assert assessment.state == AssessmentState.DRAFT
    assert AuditEvent.objects.filter(action="ASSESSMENT_STARTED").count() == 1


@pytest.mark.rule("Q3")
def test_the_score_is_the_sum_of_the_awarded_points(office, consulting):
    assessment = scored(office, consulting, lose={"org.1": 2.5, "site.2": 4})
    assert (assessment.score, assessment.passed, assessment.vetoed) == (
        Decimal("93.5"), True, False)
    assert assessment.state == AssessmentState.COMPLETED and assessment.completed_at


@pytest.mark.rule("Q3")
def test_a_veto_item_not_met_fails_a_95_point_assessment(office, consulting):
    assessment = scored(office, consulting, lose={"staff.4": 5}, unmet={"basic.2"})
    assert assessment.score == Decimal(95)
    assert (assessment.passed, assessment.vetoed) == (False, True)
    result = assessment_result(assessment)
    assert [row["score"].item_code for row in result.vetoes_failed] == ["basic.2"]


@pytest.mark.rule("Q3")
@pytest.mark.parametrize(("lost", "passed"), [(Decimal("10.5"), False), (Decimal(10), True)])
def test_the_pass_mark_boundary(office, consulting, lost, passed):
    # 89.5 fails, 90 passes
    assessment = scored(office, consulting, lose={"rules.2": 10, "org.1": lost - 10})
    assert assessment.score == 100 - lost
    assert assessment.passed is passed


@pytest.mark.rule("Q3")
@pytest.mark.parametrize("awarded", [Decimal("4.5"), Decimal(-1), Decimal("1.25"), "x", True,
                                     Decimal("NaN"), "1e999"])
def test_points_outside_the_item_are_refused(office, consulting, awarded):
    assessment = start(office, consulting)
    with pytest.raises(InvalidInput) as caught:
        services.score_items(office, assessment, [
            {"item": "org.1", "awarded": Decimal(3)}, {"item": "org.2", "awarded": awarded}])
    assert caught.value.code == "points_out_of_range"
    assert not AssessmentScore.objects.filter(awarded__isnull=False).exists()  # none written


@pytest.mark.rule("Q3")
def test_half_points_up_to_the_item_are_taken(office, consulting):
    assessment = start(office, consulting)
    services.score_items(office, assessment, [
        {"item": "org.1", "awarded": Decimal("3.5"), "note": "分工文件未更新"},
        {"item": "org.2", "awarded": 3}, {"item": "basic.1", "met": True}])
    rows = {r.item_code: r for r in assessment.scores.all()}
    assert (rows["org.1"].awarded, rows["org.1"].note) == (Decimal("3.5"), "分工文件未更新")
    assert rows["org.2"].awarded == 3 and rows["basic.1"].met is True


@pytest.mark.parametrize("entry", [
    {"item": "nope", "awarded": 1}, {"item": "org.1", "met": True},
    {"item": "basic.1", "met": "yes"}, {"item": "basic.1", "awarded": 1}, "org.1",
    {"item": "org.1", "awarded": 1, "note": "a\x00b"}, {"item": ["org.1"]}])
def test_bad_entries_are_refused(office, consulting, entry):
    assessment = start(office, consulting)
    with pytest.raises(InvalidInput):
        services.score_items(office, assessment, [entry])


def test_an_item_twice_is_refused(office, consulting):
    assessment = start(office, consulting)
    with pytest.raises(InvalidInput) as caught:
        services.score_items(office, assessment, [{"item": "org.1", "awarded": 1},
                                                  {"item": "org.1", "awarded": 2}])
    assert caught.value.code == "unknown_item"


@pytest.mark.rule("Q3")
def test_completing_with_items_unscored_is_refused(office, consulting):
    assessment = start(office, consulting)
    rows = [e for e in entries(assessment) if e["item"] != "equipment.5"]
    services.score_items(office, assessment, rows)
    with pytest.raises(RuleViolation) as caught:
        services.complete_assessment(office, assessment)
    assert caught.value.code == "items_unscored" and "equipment.5" in caught.value.message
    assert Assessment.objects.get().state == AssessmentState.DRAFT


@pytest.mark.rule("Q3")
def test_a_completed_assessment_is_locked(office, consulting):
    assessment = scored(office, consulting)
    with pytest.raises(Conflict) as caught:
        services.score_items(office, assessment, [{"item": "org.1", "awarded": 0}])
    assert caught.value.code == "completed"
    with pytest.raises(Conflict) as caught:
        services.complete_assessment(office, assessment)
    assert caught.value.code == "completed"
    assert AssessmentScore.objects.get(assessment=assessment, item_code="org.1").awarded == 4


def test_only_the_office_of_the_unit_writes(office, consulting, make_user):
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    other = UnitFactory(name="另一单位", code="OTHER")
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=other,
                         category=Category.CORE)
    assessment = start(office, consulting)
    for actor in (leader, stranger, None):
        with pytest.raises(AccessDenied):
            services.score_items(actor, assessment, [{"item": "org.1", "awarded": 1}])
        with pytest.raises(AccessDenied):
            services.complete_assessment(actor, assessment)
        with pytest.raises(AccessDenied):
            services.import_standard(actor, unit=office.person.unit, text=SMALL)
    with pytest.raises(AccessDenied):
        services.start_assessment(stranger, unit=office.person.unit, standard=consulting,
                                  year=2026, assessed_on=dt.date(2026, 1, 5))


def test_another_units_standard_cannot_be_used(office, make_user):
    other = UnitFactory(name="另一单位", code="OTHER")
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=other,
                         category=Category.CORE)
    theirs = services.import_standard(stranger, unit=other, text=SMALL)
    with pytest.raises(NotFound):
        start(office, theirs)


@pytest.mark.parametrize(("field", "value"), [("year", 1999), ("year", "2026"),
                                              ("assessed_on", "2026-01-01"), ("kind", "x"),
                                              ("assessor_names", "x" * 301)])
def test_bad_start_values_are_refused(office, consulting, field, value):
    values = {"year": 2026, "assessed_on": dt.date(2026, 1, 5), "kind": "self", field: value}
    with pytest.raises(InvalidInput):
        services.start_assessment(office, unit=office.person.unit, standard=consulting,
                                  **values)
    assert not Assessment.objects.exists()


def test_importing_a_standard_and_a_new_version(office):
    unit = office.person.unit
    first = services.import_standard(office, unit=unit, text=SMALL)
    assert (first.code, first.version, first.unit_id, first.imported_by) == (
        "small", 1, unit.pk, office)
    with pytest.raises(Conflict) as caught:
        services.import_standard(office, unit=unit, text=SMALL)
    assert caught.value.code == "standard_exists"
    second = services.import_standard(office, unit=unit,
                                      text=SMALL.replace("version: 1", "version: 2"))
    assert second.pk != first.pk and second.version == 2
    assert AuditEvent.objects.filter(action="STANDARD_IMPORTED").count() == 2


def test_a_shipped_code_and_version_cannot_be_imported_again(office, consulting):
    text = SMALL.replace("id: small", "id: consulting_unit")
    with pytest.raises(Conflict) as caught:
        services.import_standard(office, unit=office.person.unit, text=text)
    assert caught.value.code == "standard_exists"


def test_an_invalid_standard_writes_nothing(office):
    with pytest.raises(InvalidInput) as caught:
        services.import_standard(office, unit=office.person.unit, text="total: [")
    assert caught.value.code == "invalid_standard"
    assert not Standard.objects.exists()


@pytest.mark.rule("Q3")
def test_the_result_shows_where_points_were_lost_and_compares_with_last_year(
        office, consulting):
    scored(office, consulting, year=2025, lose={"org.1": 4, "site.2": 3})
    this = scored(office, consulting, year=2026, lose={"org.1": 1, "equipment.4": 2},
                  notes={"equipment.4": "检查工具未定期使用"})
    result = assessment_result(this)
    assert result.previous is not None and result.previous.year == 2025
    assert (result.score, result.delta) == (Decimal(97), Decimal(4))
    groups = {g.code: g for g in result.groups}
    assert (groups["org"].awarded, groups["org"].lost, groups["org"].delta) == (
        Decimal(15), Decimal(1), Decimal(3))
    assert groups["site"].delta == Decimal(3)
    assert groups["equipment"].delta == Decimal(-2)
    lost = [(row["score"].item_code, row["lost"], row["score"].note)
            for row in groups["equipment"].items]
    assert lost == [("equipment.4", Decimal(2), "检查工具未定期使用")]
    assert not result.vetoes_failed


def test_figures_by_year_for_the_annual_report(office, consulting):
    unit = office.person.unit
    scored(office, consulting, year=2025, lose={"org.1": 4, "site.2": 3})
    scored(office, consulting, year=2026, unmet={"basic.3"}, lose={"org.1": 5 - 1})
    start(office, consulting, year=2027)  # a draft counts nowhere
    assert assessment_scores_by_year(unit) == [(2025, Decimal(93), True),
                                              (2026, Decimal(96), False)]
    assert latest_assessment(unit, 2026).vetoed is True
    assert latest_assessment(unit, 2027) is None
    summary = assessments_summary(unit, 2025)
    assert (summary["score"], summary["passed"], summary["completed"]) == (
        Decimal(93), True, 1)
