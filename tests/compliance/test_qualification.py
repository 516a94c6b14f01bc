"""The unit's 资质/备案 records, services and obligation rules: a 备案 valid 3 years and its
renewal due 60 working days before expiry (rule Q4), no new application within 6 months of a
failed review (rule Q3), changes of the unit reported within 10 working days (rule Q6)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import rules_qualification as rules
from baomi.compliance import services_qualification as services
from baomi.compliance.choices_qualification import (
    ApplicationKind,
    ApplicationResult,
    QualificationState,
    QualificationType,
    UnitChangeKind,
)
from baomi.compliance.models import Qualification, QualificationApplication, UnitChange
from baomi.compliance.selectors_qualification import qualification_summary
from baomi.core.calendar import is_working_day
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

FILING = QualificationType.CONSULTING_FILING
D = dt.date
FIRST_MARCH_2024 = D(2024, 3, 1)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


def register(actor, unit, type_=FILING, issued_on=FIRST_MARCH_2024, **fields):
    return services.register_qualification(
        actor, unit=unit, type=type_, grade="second", certificate_number="JGBA-2024-0156",
        issuing_authority="国家国防科技工业局", issued_on=issued_on, **fields)


def apply(actor, unit, applied_on, type_=FILING, kind=ApplicationKind.NEW, **fields):
    return services.file_application(actor, unit=unit, type=type_, kind=kind,
                                     applied_on=applied_on, **fields)


def change(actor, unit, occurred_on, kind=UnitChangeKind.ADDRESS):
    return services.record_unit_change(actor, unit=unit, kind=kind, description="注册地址变更",
                                       occurred_on=occurred_on, old_value="科技路18号",
                                       new_value="创新大道66号")


# --- qualifications (rule Q4) -------------------------------------------------------------------

@pytest.mark.rule("Q4")
def test_a_filing_is_valid_three_years_to_the_day_before(unit, office):
    q = register(office, unit)
    stored = Qualification.objects.get(pk=q.pk)
    assert (stored.expires_on, stored.state) == (D(2027, 2, 28), QualificationState.VALID)
    event = AuditEvent.objects.get(action="QUALIFICATION_REGISTERED")
    assert json.loads(event.after)["expires_on"] == "2027-02-28"


@pytest.mark.rule("Q4")
@pytest.mark.parametrize(("expires_on", "code"), [
    (D(2027, 3, 1), "filing_too_long"), (D(2024, 3, 1), "expiry_before_issue")])
def test_a_filing_never_runs_longer_than_three_years(unit, office, expires_on, code):
    with pytest.raises(InvalidInput) as refused:
        register(office, unit, expires_on=expires_on)
    assert refused.value.code == code and "expires_on" in refused.value.fields
    assert not Qualification.objects.exists()


@pytest.mark.rule("Q4")
def test_other_certificates_state_their_own_term(unit, office):
    q = register(office, unit, QualificationType.WEAPONRY, issued_on=D(2022, 5, 1),
                 expires_on=D(2027, 4, 30))
    assert q.expires_on == D(2027, 4, 30)
    assert services.register_qualification(
        office, unit=unit, type=QualificationType.CARRIER_PRINTING, grade="class_a",
        certificate_number="YZ-01", issuing_authority="国家保密局",
        issued_on=D(2020, 1, 10)).state == QualificationState.EXPIRED  # 3 years, long past


@pytest.mark.parametrize(("field", "value"), [
    ("type", "licence"), ("grade", "fourth"), ("certificate_number", ""),
    ("certificate_number", "x\x00y"), ("issued_on", "2024-03-01"),
    ("issued_on", D(2099, 1, 1)), ("colour", "red")])
def test_bad_input_is_refused_and_nothing_written(unit, office, field, value):
    fields = {"type": FILING, "grade": "second", "certificate_number": "A-1",
              "issuing_authority": "国家国防科技工业局", "issued_on": D(2024, 3, 1),
              field: value}
    with pytest.raises(InvalidInput):
        services.register_qualification(office, unit=unit, **fields)
    assert not Qualification.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="QUALIFICATION").exists()


def test_only_the_office_of_the_unit_writes(unit, office, make_user):
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    other_office = make_user("other", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())
    for actor in (leader, other_office, None):
        with pytest.raises(AccessDenied) as refused:
            register(actor, unit)
        assert refused.value.code == "not_secrecy_office"
    q = register(office, unit)
    with pytest.raises(AccessDenied):
        services.record_unit_change(leader, unit=unit, kind="name", description="更名",
                                    occurred_on=D(2026, 1, 5))
    with pytest.raises(AccessDenied):
        services.revoke_qualification(leader, q, reason="撤销")


def test_correcting_and_revoking(unit, office):
    q = register(office, unit)
    fields = {name: getattr(q, name) for name in services.QUALIFICATION_INPUT}
    fixed = services.update_qualification(office, q, **{**fields, "certificate_number": "B-2"})
    assert Qualification.objects.get(pk=q.pk).certificate_number == "B-2"
    services.revoke_qualification(office, fixed, reason="撤出备案")
    assert Qualification.objects.get(pk=q.pk).state == QualificationState.REVOKED
    with pytest.raises(Conflict) as refused:
        services.update_qualification(office, q, **fields)
    assert refused.value.code == "qualification_closed"
    with pytest.raises(Conflict) as again:
        services.revoke_qualification(office, fixed, reason="撤出备案")
    assert again.value.code == "illegal_transition"
    with pytest.raises(Conflict) as stale:  # read before the revocation: compare-and-set
        services.revoke_qualification(office, q, reason="撤出备案")
    assert stale.value.code == "concurrent_change"


@pytest.mark.rule("Q4")
def test_the_daily_job_expires_after_the_last_day(unit, office):
    q = register(office, unit, issued_on=D(2024, 3, 1))
    assert services.expire_qualifications(D(2027, 2, 28)) == 0  # the last day is still valid
    assert services.effective_state(q, D(2027, 2, 28)) == QualificationState.VALID
    assert services.effective_state(q, D(2027, 3, 1)) == QualificationState.EXPIRED
    assert services.expire_qualifications(D(2027, 3, 1)) == 1
    assert Qualification.objects.get(pk=q.pk).state == QualificationState.EXPIRED
    assert AuditEvent.objects.filter(action="QUALIFICATION_EXPIRED").count() == 1


# --- the renewal deadline (rule Q4) -------------------------------------------------------------

@pytest.mark.rule("Q4")
def test_the_renewal_deadline_counts_sixty_working_days_over_national_day(unit, office):
    """Expiry 2026-12-31. Counting back 60 working days by hand: December 1–30 holds 22,
    November 21 (43 so far); October holds 18 — the 国庆节 and 中秋节 week 1–7 October is off
    and Saturday 10 October is a 调休 make-up working day — so from the 30th back: 26–30 (48),
    19–23 (53), 12–16 (58), Sat 10 (59), Fri 9 (60). Due 2026-10-09; Monday–Friday counting
    would have given 2 October, inside the holiday."""
    assert not is_working_day(D(2026, 10, 2)) and is_working_day(D(2026, 10, 10))
    q = register(office, unit, issued_on=D(2024, 1, 1))  # a filing: to 2026-12-31
    assert q.expires_on == D(2026, 12, 31)
    deadline = services.requalification_deadline(q)
    assert (deadline.date, deadline.estimated) == (D(2026, 10, 9), False)


@pytest.mark.rule("Q4")
def test_the_renewal_obligation_opens_thirty_days_before_the_deadline(unit, office):
    q = register(office, unit, issued_on=D(2024, 1, 1))
    assert list(rules.requalification_due(D(2026, 9, 8))) == []  # 31 days before 9 October
    rows = list(rules.requalification_due(D(2026, 9, 9)))
    assert [(r["subject_id"], r["due_date"], r["severity"]) for r in rows] == [
        (q.pk, D(2026, 10, 9), "critical")]


@pytest.mark.rule("Q4")
def test_a_pending_or_passed_renewal_closes_the_obligation_a_failed_one_not(unit, office):
    q = register(office, unit, issued_on=D(2024, 1, 1))
    renewal = apply(office, unit, D(2026, 9, 10), kind=ApplicationKind.RENEWAL, renews=q)
    assert list(rules.requalification_due(D(2026, 9, 20))) == []
    services.record_review(office, renewal, reviewed_on=D(2026, 10, 20), passed=False,
                           score=Decimal("85"))
    assert [r["subject_id"] for r in rules.requalification_due(D(2026, 10, 21))] == [q.pk]


@pytest.mark.rule("Q4")
def test_a_passed_renewal_gets_its_certificate_which_supersedes_the_old(unit, office):
    old = register(office, unit, issued_on=D(2023, 3, 1))
    renewal = apply(office, unit, D(2025, 11, 3), kind=ApplicationKind.RENEWAL, renews=old)
    services.record_review(office, renewal, reviewed_on=D(2026, 1, 15), passed=True,
                           score=Decimal("93.5"))
    new = services.issue_certificate(
        office, renewal, grade="second", certificate_number="JGBA-2026-0001",
        issuing_authority="国家国防科技工业局", issued_on=D(2026, 2, 1))
    assert (new.expires_on, new.state) == (D(2029, 1, 31), QualificationState.VALID)
    assert Qualification.objects.get(pk=old.pk).state == QualificationState.SUPERSEDED
    assert QualificationApplication.objects.get(pk=renewal.pk).certificate_id == new.pk
    with pytest.raises(Conflict) as twice:
        services.issue_certificate(office, renewal, certificate_number="X",
                                   issuing_authority="Y", issued_on=D(2026, 2, 1))
    assert twice.value.code == "not_certifiable"


# --- applications and reviews (rule Q3) ---------------------------------------------------------

@pytest.mark.rule("Q3")
@pytest.mark.parametrize(("reviewed_on", "refused_on", "allowed_on"), [
    (D(2026, 2, 10), D(2026, 8, 9), D(2026, 8, 10)),
    (D(2025, 8, 31), D(2026, 2, 27), D(2026, 2, 28)),  # no 31 February: the month's end
])
def test_no_new_application_within_six_months_of_a_failed_review(
        unit, office, reviewed_on, refused_on, allowed_on):
    failed = apply(office, unit, reviewed_on - dt.timedelta(days=40))
    services.record_review(office, failed, reviewed_on=reviewed_on, passed=False,
                           score=Decimal("86"))
    with pytest.raises(RuleViolation) as refused:
        apply(office, unit, refused_on)
    assert (refused.value.code, refused.value.rule) == ("reapply_too_soon", "Q3")
    assert services.reapply_from(unit, FILING) == allowed_on
    assert apply(office, unit, allowed_on).result == ApplicationResult.PENDING
    apply(office, unit, refused_on, type_=QualificationType.WEAPONRY)  # another type: free


@pytest.mark.rule("Q3")
def test_a_pass_never_scores_below_ninety_a_failure_may_score_anything(unit, office):
    a = apply(office, unit, D(2026, 1, 5))
    with pytest.raises(RuleViolation) as refused:
        services.record_review(office, a, reviewed_on=D(2026, 2, 1), passed=True,
                               score=Decimal("89.99"))
    assert refused.value.code == "score_below_pass"
    services.record_review(office, a, reviewed_on=D(2026, 2, 1), passed=True, score=90)
    b = apply(office, unit, D(2026, 1, 5), type_=QualificationType.WEAPONRY)
    services.record_review(office, b, reviewed_on=D(2026, 2, 1), passed=False, score=95)
    assert QualificationApplication.objects.get(pk=b.pk).score == Decimal("95.00")


@pytest.mark.parametrize("score", [Decimal("100.01"), -1, "abc", True, float("nan")])
def test_a_score_is_from_0_to_100(unit, office, score):
    a = apply(office, unit, D(2026, 1, 5))
    with pytest.raises(InvalidInput):
        services.record_review(office, a, reviewed_on=D(2026, 2, 1), passed=False,
                               score=score)
    assert QualificationApplication.objects.get(pk=a.pk).result == ApplicationResult.PENDING


def test_one_pending_application_per_type_and_a_review_after_the_application(unit, office):
    a = apply(office, unit, D(2026, 1, 5))
    with pytest.raises(Conflict) as pending:
        apply(office, unit, D(2026, 1, 6))
    assert pending.value.code == "application_pending"
    with pytest.raises(InvalidInput) as early:
        services.record_review(office, a, reviewed_on=D(2026, 1, 4), passed=True)
    assert early.value.code == "review_before_application"


def test_of_two_concurrent_reviews_exactly_one_wins(unit, office):
    a = apply(office, unit, D(2026, 1, 5))
    first, second = (QualificationApplication.objects.get(pk=a.pk) for _ in range(2))
    services.record_review(office, first, reviewed_on=D(2026, 2, 1), passed=True, score=92)
    with pytest.raises(Conflict) as lost:
        services.record_review(office, second, reviewed_on=D(2026, 2, 1), passed=False)
    assert lost.value.code == "concurrent_change"
    assert QualificationApplication.objects.get(pk=a.pk).result == ApplicationResult.PASSED
    assert AuditEvent.objects.filter(action="QUALIFICATION_REVIEW_RECORDED").count() == 1


# --- unit changes (rule Q6) ---------------------------------------------------------------------

@pytest.mark.rule("Q6")
@pytest.mark.parametrize(("occurred_on", "due_on", "holiday"), [
    # Thu 5 November: the weekends 7–8 and 14–15 November are skipped.
    (D(2026, 11, 5), D(2026, 11, 19), None),
    # Thu 24 September: 中秋节 (Fri 25 September) and 国庆节 (1–7 October) are skipped,
    # Saturday 10 October is a 调休 working day: 28, 29, 30 Sep, 8, 9, 10, 12, 13, 14, 15 Oct.
    (D(2026, 9, 24), D(2026, 10, 15), "National Day"),
])
def test_a_change_is_reported_within_ten_working_days(unit, office, occurred_on, due_on,
                                                      holiday):
    c = change(office, unit, occurred_on)
    assert (c.report_due_on, c.report_due_estimated) == (due_on, False)
    in_time = services.report_unit_change(office, c, reported_on=due_on,
                                          reported_to="省国防科技工业办公室")
    assert in_time.reported_late is False
    late = change(office, unit, occurred_on)
    next_working_day = due_on + dt.timedelta(days=1)
    while not is_working_day(next_working_day):
        next_working_day += dt.timedelta(days=1)
    services.report_unit_change(office, late, reported_on=next_working_day,
                                reported_to="省国防科技工业办公室")  # the 11th: allowed, late
    assert UnitChange.objects.get(pk=late.pk).reported_late is True


@pytest.mark.rule("Q6")
def test_an_unreported_change_is_an_obligation_until_reported(unit, office):
    c = change(office, unit, D(2026, 11, 5))
    rows = list(rules.change_report_due(D(2026, 11, 6)))
    assert [(r["subject_id"], r["due_date"], r["severity"]) for r in rows] == [
        (c.pk, D(2026, 11, 19), "critical")]
    services.report_unit_change(office, c, reported_on=D(2026, 11, 10), reported_to="省国防科工办")
    assert list(rules.change_report_due(D(2026, 11, 11))) == []


@pytest.mark.rule("Q6")
@pytest.mark.parametrize(("kind", "new_filing", "amended"), [
    (UnitChangeKind.OWNERSHIP, True, False), (UnitChangeKind.REGISTERED_CAPITAL, True, False),
    (UnitChangeKind.LEGAL_REPRESENTATIVE, False, True), (UnitChangeKind.NAME, False, True),
    (UnitChangeKind.ADDRESS, False, True), (UnitChangeKind.OTHER, False, False)])
def test_which_changes_ask_for_a_new_or_amended_filing(unit, office, kind, new_filing,
                                                       amended):
    c = change(office, unit, D(2026, 11, 2), kind=kind)
    assert (c.requires_new_filing, c.requires_filing_amendment) == (new_filing, amended)


def test_a_change_is_reported_once_and_not_before_it_happened(unit, office):
    c = change(office, unit, D(2026, 11, 5))
    with pytest.raises(InvalidInput) as early:
        services.report_unit_change(office, c, reported_on=D(2026, 11, 4), reported_to="x")
    assert early.value.code == "report_before_change"
    stale = UnitChange.objects.get(pk=c.pk)
    services.report_unit_change(office, c, reported_on=D(2026, 11, 9), reported_to="省国防科工办")
    with pytest.raises(Conflict) as twice:
        services.report_unit_change(office, stale, reported_on=D(2026, 11, 10),
                                    reported_to="省国防科工办")
    assert twice.value.code == "already_reported"
    assert AuditEvent.objects.filter(action="UNIT_CHANGE_REPORTED").count() == 1


# --- the year's figures -------------------------------------------------------------------------

def test_qualification_summary_of_a_year(unit, office):
    old = register(office, unit, issued_on=D(2023, 3, 1))
    register(office, unit, QualificationType.WEAPONRY, issued_on=D(2021, 1, 1),
             expires_on=D(2025, 6, 30))
    renewal = apply(office, unit, D(2025, 11, 3), kind=ApplicationKind.RENEWAL, renews=old)
    services.record_review(office, renewal, reviewed_on=D(2025, 12, 1), passed=True, score=95)
    failed = apply(office, unit, D(2025, 4, 1), type_=QualificationType.SYSTEM_INTEGRATION)
    services.record_review(office, failed, reviewed_on=D(2025, 5, 6), passed=False, score=70)
    c = change(office, unit, D(2025, 9, 24))
    services.report_unit_change(office, c, reported_on=D(2025, 10, 30), reported_to="省国防科工办")
    change(office, unit, D(2025, 12, 1), kind=UnitChangeKind.NAME)
    summary = qualification_summary(unit, 2025)
    assert [q["certificate_number"] for q in summary["valid"]] == ["JGBA-2024-0156"]
    assert summary["applications"] == {"filed": 2, "passed": 1, "failed": 1, "pending": 0}
    assert summary["changes"] == {"recorded": 2, "reported": 1, "reported_late": 1,
                                  "unreported": 1}
    assert qualification_summary(unit, 2022)["valid"][0]["type"] == QualificationType.WEAPONRY
