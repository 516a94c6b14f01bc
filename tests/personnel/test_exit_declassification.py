"""The 脱密期 after an approved exit: its length by policy profile and category (rule P11),
extension, return visits (P13, P12), the 撤销备案 that releases the person (P14), and travel
abroad during and after it (P8, P12). "Today" of the approval is fixed with `on_day`."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.accounts.services import set_policy_profile
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.errors import Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Category
from baomi.personnel.choices import ExitKind, FileState, TripState, VisitMethod
from baomi.personnel.models import DeclassificationVisit, ExitCase, PersonnelFile
from baomi.personnel.selectors.exit import days_left, declassification_list, visits_of
from baomi.personnel.services.exit import (
    extend_declassification,
    period_end,
    record_declassification_visit,
    record_exit_commitment,
    release_from_declassification,
)
from baomi.personnel.services.travel import apply_for_trip

from . import test_exit_support as support
from .test_exit_support import approved, file_of, filed

pytestmark = pytest.mark.django_db

# The shared fixtures of test_exit_support.
people, yf1, post, leaver, make_leaver = (
    support.people, support.yf1, support.post, support.leaver, support.make_leaver)

APPROVED_ON = date(2026, 1, 15)
VISITORS = ["保密办干事"]


def reload(case):
    return ExitCase.objects.select_related("file").get(pk=case.pk)


def visit(people, case, day, **kwargs):
    return record_declassification_visit(people["office"], case, visited_on=day,
                                         method=VisitMethod.PHONE, visitors=VISITORS,
                                         **kwargs)


@pytest.fixture
def company_general(people, leaver, unit):
    """A 一般 person of a unit on the company template (6 months), approved on 15 Jan 2026:
    the 脱密期 runs to 14 July 2026."""
    set_policy_profile(None, unit, "company-template")
    return approved(people, leaver, day=APPROVED_ON)


# --- the length of the period (rule P11) -------------------------------------------------------


@pytest.mark.rule("P11")
@pytest.mark.parametrize(("profile", "category", "months", "ends_on"), [
    ("law-commentary", Category.CORE, 36, date(2029, 1, 14)),
    ("law-commentary", Category.IMPORTANT, 24, date(2028, 1, 14)),
    ("law-commentary", Category.GENERAL, 12, date(2027, 1, 14)),
    ("consulting-unit", Category.CORE, 36, date(2029, 1, 14)),
    ("consulting-unit", Category.IMPORTANT, 24, date(2028, 1, 14)),
    ("consulting-unit", Category.GENERAL, 12, date(2027, 1, 14)),
    ("company-template", Category.CORE, 36, date(2029, 1, 14)),
    ("company-template", Category.IMPORTANT, 12, date(2027, 1, 14)),
    ("company-template", Category.GENERAL, 6, date(2026, 7, 14)),
])
def test_period_by_profile_and_category(people, make_leaver, unit, profile, category, months,
                                        ends_on):
    set_policy_profile(None, unit, profile)
    user = make_leaver(category=category)
    case = approved(people, user, day=APPROVED_ON)
    assert (case.approved_on, case.period_months, case.ends_on) == (APPROVED_ON, months,
                                                                    ends_on)
    assert case.file.declassification_ends_on == ends_on
    assert case.file.left_on == APPROVED_ON
    assert days_left(case, ends_on) == 1 and days_left(case, ends_on + timedelta(days=1)) == 0


@pytest.mark.rule("P11")
def test_unit_override_of_the_period(people, leaver, unit):
    unit.policy_overrides = {"declassification.period_months.general": 18}
    unit.save(update_fields=["policy_overrides"])
    case = approved(people, leaver, day=APPROVED_ON)
    assert (case.period_months, case.ends_on) == (18, date(2027, 7, 14))


@pytest.mark.rule("P11")
@pytest.mark.parametrize(("start", "months", "last_day"), [
    (date(2026, 1, 15), 6, date(2026, 7, 14)),
    (date(2026, 3, 1), 6, date(2026, 8, 31)),
    (date(2025, 8, 31), 6, date(2026, 2, 28)),   # no 31 February: the month's last day
    (date(2027, 8, 29), 6, date(2028, 2, 28)),   # 29 February 2028 exists
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2026, 12, 31), 12, date(2027, 12, 30)),
])
def test_period_end_counts_the_approval_day(start, months, last_day):
    assert period_end(start, months) == last_day


@pytest.mark.rule("P11")
def test_extension_only_longer(people, company_general):
    case = company_general
    for months in (6, 5):
        with pytest.raises(RuleViolation) as exc:
            extend_declassification(people["office"], case, months=months, reason="知悉较多")
        assert (exc.value.code, exc.value.rule) == ("period_not_longer", "P11")
    assert reload(case).ends_on == date(2026, 7, 14)
    case = extend_declassification(people["office"], case, months=7,
                                   reason="知悉型号核心技术，延长脱密期")
    assert (case.period_months, case.ends_on) == (7, date(2026, 8, 14))
    fresh = reload(case)
    assert (fresh.period_months, fresh.ends_on) == (7, date(2026, 8, 14))
    assert fresh.file.declassification_ends_on == date(2026, 8, 14)
    assert fresh.next_visit_due_on == date(2026, 4, 15)
    assert AuditEvent.objects.filter(action="DECLASSIFICATION_EXTENDED").count() == 1


@pytest.mark.rule("P11")
@pytest.mark.parametrize("months", [0, -1, 601, "7", 7.0, True, None])
def test_extension_input_checked(people, company_general, months):
    with pytest.raises(InvalidInput):
        extend_declassification(people["office"], company_general, months=months, reason="x")


# --- return visits (rules P13, P12) ------------------------------------------------------------


@pytest.mark.rule("P13")
def test_next_visit_three_months_after_start_then_after_each_visit(people, company_general):
    case = company_general
    assert case.next_visit_due_on == date(2026, 4, 15)  # approved 15 Jan + 3 months
    visit(people, case, date(2026, 3, 20), current_employer="某国有企业 行政主管")
    assert reload(case).next_visit_due_on == date(2026, 6, 20)
    visit(people, case, date(2026, 2, 1))  # an earlier visit recorded late moves nothing
    assert reload(case).next_visit_due_on == date(2026, 6, 20)
    visit(people, case, date(2026, 4, 15))
    assert reload(case).next_visit_due_on is None  # 15 July is after the end (14 July)
    assert visits_of(case).count() == 3
    assert AuditEvent.objects.filter(action="DECLASSIFICATION_VISIT_RECORDED").count() == 3


@pytest.mark.rule("P13")
def test_a_visit_on_the_last_possible_day_keeps_the_next_one(people, company_general):
    visit(people, company_general, date(2026, 4, 14))
    assert reload(company_general).next_visit_due_on == date(2026, 7, 14)  # == ends_on


@pytest.mark.rule("P13")
@pytest.mark.parametrize(("day", "code"), [
    (date(2026, 1, 14), "date_too_early"),  # before the approval
    (date(2026, 7, 15), "after_period"),    # after the last day
])
def test_visit_outside_the_period_refused(people, company_general, day, code):
    with pytest.raises(InvalidInput) as exc:
        visit(people, company_general, day)
    assert exc.value.code == code and "visited_on" in exc.value.fields
    assert not DeclassificationVisit.objects.exists()


@pytest.mark.rule("P13")
@pytest.mark.parametrize("day", [date(2026, 1, 15), date(2026, 7, 14)])
def test_visit_on_the_first_and_last_day_accepted(people, company_general, day):
    assert visit(people, company_general, day).visited_on == day


@pytest.mark.rule("P12")
def test_restrictions_broken_needs_findings(people, company_general):
    with pytest.raises(InvalidInput) as exc:
        visit(people, company_general, date(2026, 3, 1), restrictions_kept=False)
    assert exc.value.code == "findings_required" and "findings" in exc.value.fields
    assert not DeclassificationVisit.objects.exists()
    record = visit(people, company_general, date(2026, 3, 1), restrictions_kept=False,
                   findings="在某外资咨询公司兼职，已责令停止并报告保密局")
    assert record.restrictions_kept is False


@pytest.mark.rule("P13")
def test_visit_input_checked(people, company_general):
    for kwargs in ({"method": "email"}, {"visitors": []}, {"visitors": "保密办"}):
        args = {"visited_on": date(2026, 3, 1), "method": VisitMethod.PHONE,
                "visitors": VISITORS, **kwargs}
        with pytest.raises(InvalidInput):
            record_declassification_visit(people["office"], company_general, **args)
    with pytest.raises(InvalidInput) as exc:
        visit(people, company_general, timezone.localdate() + timedelta(days=1))
    assert exc.value.code == "future_date"


@pytest.mark.rule("P13")
def test_visit_not_before_approval(people, leaver):
    case = filed(people, leaver)
    with pytest.raises(Conflict) as exc:
        visit(people, case, date(2026, 3, 1))
    assert exc.value.code == "illegal_transition"


@pytest.mark.rule("P13")
def test_overdue_visits_in_the_list(people, company_general):
    overdue = declassification_list(people["office"], visit_overdue=True)
    assert list(overdue) == [company_general]  # 15 April 2026 is past
    assert list(declassification_list(people["office"], state=FileState.RELEASED)) == []
    assert list(declassification_list(people["head"])) == [company_general]


# --- release: 撤销备案 (rule P14) ----------------------------------------------------------------


@pytest.mark.rule("P14")
def test_release_only_after_the_last_day(people, company_general):
    case = company_general
    with pytest.raises(RuleViolation) as exc:
        release_from_declassification(people["office"], case, withdrawn_on=date(2026, 7, 14),
                                      reference="保密局备〔2026〕7号")
    assert (exc.value.code, exc.value.rule) == ("period_not_over", "P14")
    assert reload(case).file.state == FileState.DECLASSIFYING
    case = release_from_declassification(people["office"], case,
                                         withdrawn_on=date(2026, 7, 15),
                                         reference="保密局备〔2026〕7号")
    fresh = reload(case)
    assert fresh.file.state == FileState.RELEASED
    assert (fresh.filing_withdrawn_on, fresh.filing_reference) == (date(2026, 7, 15),
                                                                   "保密局备〔2026〕7号")
    assert fresh.next_visit_due_on is None
    assert AuditEvent.objects.filter(action="DECLASSIFICATION_RELEASED").count() == 1
    assert list(declassification_list(people["office"], state=FileState.RELEASED)) == [fresh]


@pytest.mark.rule("P14")
def test_nothing_more_after_release(people, company_general):
    case = release_from_declassification(people["office"], company_general,
                                         withdrawn_on=date(2026, 7, 20))
    for action in (
            lambda: visit(people, case, date(2026, 7, 1)),
            lambda: release_from_declassification(people["office"], case,
                                                  withdrawn_on=date(2026, 7, 21)),
            lambda: extend_declassification(people["office"], case, months=12, reason="x"),
            lambda: record_exit_commitment(people["office"], case,
                                           signed_on=timezone.localdate(),
                                           text_version="2026-1")):
        with pytest.raises(Conflict) as exc:
            action()
        assert exc.value.code == "illegal_transition"
    assert not DeclassificationVisit.objects.exists()


@pytest.mark.rule("P14")
def test_release_date_not_in_the_future(people, leaver):
    case = approved(people, leaver)  # today: the period is not over
    with pytest.raises(InvalidInput) as exc:
        release_from_declassification(people["office"], case,
                                      withdrawn_on=case.ends_on + timedelta(days=1))
    assert exc.value.code == "future_date"
    assert file_of(leaver).state == FileState.DECLASSIFYING


# --- travel abroad during and after the period (rules P8, P12) ---------------------------------


def trip_for(people, file):
    today = timezone.localdate()
    return apply_for_trip(people["office"], file, purpose_kind="private", destinations="日本",
                          purpose="探亲", depart_on=today + timedelta(days=30),
                          return_on=today + timedelta(days=37))


@pytest.mark.rule("P12")
@pytest.mark.parametrize("kind", [ExitKind.LEAVE_POST, ExitKind.LEAVE_UNIT])
def test_in_the_period_a_trip_goes_through_the_travel_approval(people, leaver, kind):
    case = approved(people, leaver, kind=kind)
    trip = trip_for(people, PersonnelFile.objects.get(pk=case.file_id))
    assert (trip.state, trip.request.request_type) == (TripState.APPLIED, "travel")
    request = trip.request
    for name in ("head", "office2", "leader"):
        request = decide(people[name], request, "approve")
    trip.refresh_from_db()
    assert trip.state == TripState.APPROVED


@pytest.mark.rule("P8")
def test_a_released_person_does_not_apply_here(people, company_general):
    case = release_from_declassification(people["office"], company_general,
                                         withdrawn_on=date(2026, 7, 15))
    with pytest.raises(Conflict) as exc:
        trip_for(people, PersonnelFile.objects.get(pk=case.file_id))
    assert exc.value.code == "not_in_post"
