"""Outside firms (rules Q8, Q11), services: the 保密办 registers firms and records their
conditions, protocols, changes, yearly reports and contracts; classified work goes only to a
qualified firm (Q11) and, for a subcontractor, one on the 名录 (Q8); a struck-off firm signs
nothing and is reinstated 12 months later at the earliest.

The helpers here (`credit_code`, `firm`, `qualify`, `sign`) serve the other test_firms files."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_firms as services
from baomi.compliance.choices_firms import ContractState, FirmKind, FirmState, ReviewResult
from baomi.compliance.models import Firm, FirmChange, FirmContract
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.concurrency import race
from baomi.core.testing.factories import UnitFactory

DAY = dt.date(2026, 3, 2)


def credit_code(seq: int) -> str:
    """A valid unified social credit code (GB 32100-2015) numbered `seq`."""
    body = f"91110108{seq:09d}"
    total = sum(services.CREDIT_ALPHABET.index(ch) * w
                for ch, w in zip(body, services.CREDIT_WEIGHTS, strict=True))
    return body + services.CREDIT_ALPHABET[(31 - total % 31) % 31]


def firm(actor, unit, seq=1, kind=FirmKind.AUDIT, **conditions):
    data = {"name": f"外协单位{seq}", "credit_code": credit_code(seq), "kind": kind,
            "contact": "王经理 010-12345678", **conditions}
    return services.register_firm(actor, unit=unit, **data)


def qualify(actor, the_firm, on=DAY - dt.timedelta(days=30)):
    """Security review passed and a filed protocol with 保密 clauses (rule Q11)."""
    fields = {name: getattr(the_firm, name) for name in services.FIRM_FIELDS}
    updated = services.update_firm(actor, the_firm, **{**fields, "security_review_passed_on": on})
    services.record_protocol(actor, updated, signed_on=on, filed_on=on, scope="审计业务",
                             secrecy_clauses=True)
    return updated


def sign(actor, the_firm, level=Level.SECRET, on=DAY, scheme=Scheme.STATE, title="年度审计"):
    return services.sign_contract(actor, Firm.objects.get(pk=the_firm.pk), title=title,
                                  level=level, scheme=scheme, work_kind="财务审计",
                                  signed_on=on, responsible=actor.person)


def refusal(actor, the_firm, **kwargs):
    with pytest.raises(RuleViolation) as caught:
        sign(actor, the_firm, **kwargs)
    return caught.value


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


def test_credit_codes_are_checked():
    assert services.credit_code_valid(credit_code(7))
    assert services.credit_code_valid("91350100M000100Y43")  # a published example
    good = credit_code(7)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert not services.credit_code_valid(wrong)
    assert not services.credit_code_valid(good[:-1])
    assert not services.credit_code_valid("I" + good[1:])  # I, O, S, V, Z are not used


def test_register_refuses_a_bad_or_duplicate_credit_code(unit, office):
    firm(office, unit)
    with pytest.raises(Conflict) as dup:
        firm(office, unit)
    assert dup.value.code == "credit_code_exists"
    with pytest.raises(InvalidInput) as bad:
        services.register_firm(office, unit=unit, name="某所", credit_code="123", kind="audit")
    assert bad.value.code == "invalid_credit_code" and "credit_code" in bad.value.fields
    with pytest.raises(InvalidInput):
        services.register_firm(office, unit=unit, name="某所", credit_code=credit_code(2),
                               kind="bank")
    with pytest.raises(InvalidInput) as nul:
        services.register_firm(office, unit=unit, name="某\x00所", credit_code=credit_code(3),
                               kind="audit")
    assert "name" in nul.value.fields
    assert Firm.objects.count() == 1
    assert AuditEvent.objects.filter(action="FIRM_REGISTERED").count() == 1


def test_only_the_office_of_the_unit_writes(unit, office, make_user):
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    with pytest.raises(AccessDenied):
        firm(leader, unit)
    other_office = make_user("other", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())
    the_firm = firm(office, unit)
    with pytest.raises(AccessDenied):
        services.strike_off_firm(other_office, the_firm, struck_off_on=DAY, reason="x")
    assert Firm.objects.get().state == FirmState.ACTIVE


@pytest.mark.rule("Q11")
def test_a_qualified_firm_signs_classified_work(unit, office):
    the_firm = qualify(office, firm(office, unit))
    assert services.q11_unmet(Firm.objects.get(), DAY) == []
    contract = sign(office, the_firm, level=Level.TOP_SECRET)
    assert (contract.level, contract.state) == (Level.TOP_SECRET, ContractState.ACTIVE)
    assert AuditEvent.objects.filter(action="FIRM_CONTRACT_SIGNED").count() == 1


@pytest.mark.rule("Q11")
def test_an_unqualified_firm_is_refused_naming_every_unmet_condition(unit, office):
    the_firm = firm(office, unit, foreign_capital=True)
    error = refusal(office, the_firm)
    assert (error.code, error.rule, error.status) == ("firm_unqualified", "Q11", 422)
    assert len(services.q11_unmet(the_firm, DAY)) == 3  # foreign capital, review, protocol
    for reason in services.q11_unmet(the_firm, DAY):
        assert reason in error.message
    assert FirmContract.objects.count() == 0


@pytest.mark.rule("Q11")
def test_non_classified_work_needs_no_qualification(unit, office):
    the_firm = firm(office, unit, foreign_capital=True)
    assert sign(office, the_firm, level=Level.NONSECRET).level == Level.NONSECRET
    assert sign(office, the_firm, level=Level.NONSECRET, scheme=Scheme.COMMERCIAL).pk


@pytest.mark.rule("Q11")
@pytest.mark.parametrize(("signed_on", "allowed"), [
    (dt.date(2026, 3, 14), False), (dt.date(2026, 3, 15), True)])
def test_no_suspension_in_the_last_twelve_months(unit, office, signed_on, allowed):
    """Suspended on 15 March 2025: classified work again from 15 March 2026, not the 14th."""
    the_firm = qualify(office, firm(office, unit), on=dt.date(2025, 1, 2))
    fields = {name: getattr(the_firm, name) for name in services.FIRM_FIELDS}
    services.update_firm(office, the_firm, **{**fields, "last_suspension_on": dt.date(2025, 3, 15)})
    if allowed:
        assert sign(office, the_firm, on=signed_on).pk
    else:
        assert refusal(office, the_firm, on=signed_on).code == "firm_unqualified"
    from baomi.compliance.selectors_firms import filter_firms
    qualified = filter_firms(Firm.objects.all(), qualified=True, on=signed_on)
    assert qualified.exists() is allowed


@pytest.mark.rule("Q11")
@pytest.mark.parametrize("problem", ["not_filed", "no_clauses", "expired", "review_later"])
def test_the_protocol_counts_filed_with_clauses_until_it_expires(unit, office, problem):
    the_firm = firm(office, unit)
    fields = {name: getattr(the_firm, name) for name in services.FIRM_FIELDS}
    review = DAY + dt.timedelta(days=1) if problem == "review_later" else DAY
    the_firm = services.update_firm(office, the_firm,
                                    **{**fields, "security_review_passed_on": review})
    services.record_protocol(
        office, the_firm, signed_on=dt.date(2025, 1, 1),
        filed_on=None if problem == "not_filed" else dt.date(2025, 1, 5),
        expires_on=DAY - dt.timedelta(days=1) if problem == "expired" else DAY,
        scope="评估", secrecy_clauses=problem != "no_clauses")
    assert refusal(office, the_firm).code == "firm_unqualified"
    assert len(services.q11_unmet(Firm.objects.get(), DAY)) == 1


@pytest.mark.rule("Q11")
def test_a_reported_change_blocks_classified_work_until_it_passes_re_review(unit, office):
    the_firm = qualify(office, firm(office, unit))
    change = services.report_change(office, the_firm, occurred_on=DAY - dt.timedelta(days=3),
                                    reported_on=DAY - dt.timedelta(days=2),
                                    description="控股股东变更")
    assert refusal(office, the_firm).code == "firm_unqualified"
    services.rereview_change(office, change, rereviewed_on=DAY, passed=False)
    assert refusal(office, the_firm).code == "firm_unqualified"
    second = services.report_change(office, the_firm, occurred_on=DAY, reported_on=DAY,
                                    description="注册资本变更")
    with pytest.raises(Conflict) as again:
        services.rereview_change(office, FirmChange.objects.get(pk=change.pk),
                                 rereviewed_on=DAY, passed=True)
    assert again.value.code == "illegal_transition"
    services.rereview_change(office, second, rereviewed_on=DAY, passed=True)
    assert refusal(office, the_firm).code == "firm_unqualified"  # the failed one still counts
    assert FirmChange.objects.get(pk=second.pk).result == ReviewResult.PASSED


@pytest.mark.rule("Q11")
def test_a_re_review_is_not_before_the_report(unit, office):
    change = services.report_change(office, firm(office, unit), occurred_on=DAY,
                                    reported_on=DAY, description="法定代表人变更")
    with pytest.raises(InvalidInput) as early:
        services.rereview_change(office, change, rereviewed_on=DAY - dt.timedelta(days=1),
                                 passed=True)
    assert early.value.code == "date_order"


@pytest.mark.rule("Q8")
@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("on_directory", [True, False])
def test_level_matrix_of_subcontracting(unit, office, level, on_directory):
    """rule Q8: classified work (秘密, 机密, 绝密) goes only to subcontractors on the 名录;
    非密 work to any."""
    extra = {"on_directory": True, "directory_number": "ML-2025-001"} if on_directory else {}
    the_firm = qualify(office, firm(office, unit, kind=FirmKind.SUBCONTRACTOR, **extra))
    if on_directory or level == Level.NONSECRET:
        assert sign(office, the_firm, level=level).level == level
    else:
        error = refusal(office, the_firm, level=level)
        assert (error.code, error.rule) == ("not_on_directory", "Q8")


@pytest.mark.rule("Q8")
def test_the_directory_number_is_required_on_the_directory(unit, office):
    with pytest.raises(InvalidInput) as missing:
        firm(office, unit, kind=FirmKind.SUBCONTRACTOR, on_directory=True)
    assert "directory_number" in missing.value.fields


@pytest.mark.rule("Q11")
@pytest.mark.parametrize("level", list(Level))
def test_a_struck_off_firm_signs_nothing(unit, office, level):
    the_firm = qualify(office, firm(office, unit))
    services.strike_off_firm(office, the_firm, struck_off_on=DAY, reason="提供虚假材料")
    error = refusal(office, the_firm, level=level, on=DAY + dt.timedelta(days=1))
    assert (error.code, error.rule) == ("firm_struck_off", "Q11")
    assert FirmContract.objects.count() == 0


@pytest.mark.rule("Q11")
@pytest.mark.parametrize(("day", "allowed"), [
    (dt.date(2026, 5, 31), False), (dt.date(2026, 6, 1), True)])
def test_reinstatement_twelve_months_after_the_strike_off(unit, office, day, allowed):
    the_firm = firm(office, unit)
    services.strike_off_firm(office, the_firm, struck_off_on=dt.date(2025, 6, 1),
                             reason="发生泄密")
    if allowed:
        services.reinstate_firm(office, Firm.objects.get(), reinstated_on=day)
        stored = Firm.objects.get()
        assert (stored.state, stored.reinstated_on) == (FirmState.ACTIVE, day)
        assert sign(office, stored, level=Level.NONSECRET, on=day).pk
    else:
        with pytest.raises(RuleViolation) as early:
            services.reinstate_firm(office, Firm.objects.get(), reinstated_on=day)
        assert (early.value.code, early.value.rule) == ("reapply_too_soon", "Q11")
        assert Firm.objects.get().state == FirmState.STRUCK_OFF


def test_strike_off_twice_and_reinstating_an_active_firm_are_conflicts(unit, office):
    the_firm = firm(office, unit)
    with pytest.raises(Conflict):
        services.reinstate_firm(office, the_firm, reinstated_on=DAY)
    services.strike_off_firm(office, the_firm, struck_off_on=DAY, reason="逾期未重新审查")
    with pytest.raises(Conflict):
        services.strike_off_firm(office, Firm.objects.get(), struck_off_on=DAY, reason="x")


def test_year_reports_once_per_year(unit, office):
    the_firm = firm(office, unit)
    services.record_year_report(office, the_firm, year=2025, received_on=dt.date(2026, 3, 20))
    with pytest.raises(Conflict) as dup:
        services.record_year_report(office, the_firm, year=2025, received_on=DAY)
    assert dup.value.code == "year_report_exists"
    with pytest.raises(InvalidInput):
        services.record_year_report(office, the_firm, year=2027, received_on=DAY)
    assert services.year_report_due(unit, 2025) == dt.date(2026, 3, 31)


def test_contracts_end_once(unit, office):
    contract = sign(office, firm(office, unit), level=Level.NONSECRET)
    services.end_contract(office, contract, ended_on=DAY)
    with pytest.raises(Conflict):
        services.end_contract(office, FirmContract.objects.get(), ended_on=DAY)
    with pytest.raises(NotFound):
        services.end_contract(office, FirmContract(), ended_on=DAY)


def test_the_responsible_person_is_of_the_unit(unit, office, make_user):
    stranger = make_user("stranger", roles=[Role.STAFF], unit=UnitFactory())
    with pytest.raises(InvalidInput) as bad:
        services.sign_contract(office, firm(office, unit), title="t", level=0, work_kind="w",
                               signed_on=DAY, responsible=stranger.person)
    assert "responsible" in bad.value.fields


@pytest.mark.rule("Q11")
@pytest.mark.django_db(transaction=True)
def test_two_re_reviews_at_once_one_wins(unit, office, make_user):
    second = make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    change = services.report_change(office, firm(office, unit), occurred_on=DAY,
                                    reported_on=DAY, description="主要负责人变更")

    def review(actor, passed):
        return lambda: services.rereview_change(actor, FirmChange.objects.get(pk=change.pk),
                                                rereviewed_on=DAY, passed=passed)

    results = race(review(office, True), review(second, False))
    assert sum(isinstance(r, FirmChange) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert AuditEvent.objects.filter(action="FIRM_CHANGE_REREVIEWED").count() == 1


@pytest.mark.rule("Q11")
@pytest.mark.django_db(transaction=True)
def test_two_strike_offs_at_once_one_wins(unit, office, make_user):
    second = make_user("office_b", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    the_firm = firm(office, unit)

    def strike(actor, reason):
        return lambda: services.strike_off_firm(actor, Firm.objects.get(pk=the_firm.pk),
                                                struck_off_on=DAY, reason=reason)

    results = race(strike(office, "提供虚假材料"), strike(second, "发生泄密"))
    assert sum(isinstance(r, Firm) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert AuditEvent.objects.filter(action="FIRM_STRUCK_OFF").count() == 1
