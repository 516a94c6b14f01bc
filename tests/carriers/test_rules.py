"""The obligation `carriers.loan_overdue` (rule C5): a carrier handed out is due back on its
due date — a warning on the day, critical from the day after — for its borrower, at the
carrier's level (rule L5; 工作秘密 and 商业秘密 at 0, rule L4)."""

import datetime

import pytest

from baomi.carriers import services
from baomi.carriers.models import Loan
from baomi.carriers.rules import loan_overdue
from baomi.core.labels import Level, Scheme
from baomi.obligations.models import Obligation
from baomi.obligations.registry import Severity, get_rule
from baomi.obligations.services import run_sweep

from . import service_support as support
from .service_support import approved_loan, make_item, today

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)

DAY = datetime.timedelta(days=1)


def out_loan(people, carrier, borrower="reader"):
    return services.hand_out(people["office"], approved_loan(people, carrier, borrower))


def rows(day):
    return list(loan_overdue(day))


@pytest.mark.rule("C5")
def test_the_rule_is_registered():
    rule = get_rule("carriers.loan_overdue")
    assert rule is not None and rule.rule_id == "C5"


@pytest.mark.rule("C5")
def test_a_loan_due_today_is_a_warning_and_the_day_after_critical(people, item, register):
    carrier = register(secret_item=item, level=Level.CONFIDENTIAL)
    loan = out_loan(people, carrier)
    assert loan.due_on == today()
    assert rows(today() - DAY) == []  # not due yet: nothing to do
    [row] = rows(today())
    assert row == {
        "subject_type": "carriers.loan", "subject_id": loan.pk,
        "subject_label": f"{carrier.number} {carrier.title}", "unit_id": carrier.unit_id,
        "responsible_id": people["reader"].pk, "due_date": today(),
        "severity": Severity.WARNING, "level": Level.CONFIDENTIAL,
    }
    [row] = rows(today() + DAY)
    assert (row["severity"], row["due_date"]) == (Severity.CRITICAL, today())


@pytest.mark.rule("C5")
def test_a_loan_due_in_three_days_waits(people, unit, item, register):
    unit.policy_overrides = {"carriers.borrow_days": 3}
    unit.save(update_fields=["policy_overrides"])
    out_loan(people, register(secret_item=item))
    assert rows(today() + 2 * DAY) == []
    assert [r["severity"] for r in rows(today() + 3 * DAY)] == [Severity.WARNING]
    assert [r["severity"] for r in rows(today() + 4 * DAY)] == [Severity.CRITICAL]


@pytest.mark.rule("C5")
def test_returned_and_approved_loans_are_no_obligation(people, item, register):
    loan = out_loan(people, register(secret_item=item))
    services.return_loan(people["office"], loan)
    approved_loan(people, register(secret_item=item))  # approved, not handed out
    assert Loan.objects.count() == 2
    assert rows(today() + DAY) == []


@pytest.mark.rule("L4")
def test_other_schemes_are_no_state_level(people, unit, register):
    work = make_item(unit, people, scheme=Scheme.WORK, level=Level.SECRET, scope=("reader",))
    out_loan(people, register(secret_item=work, scheme=Scheme.WORK, level=Level.SECRET))
    assert [r["level"] for r in rows(today())] == [0]


@pytest.mark.rule("C5")
def test_the_sweep_opens_and_closes_the_obligation(people, item, register):
    loan = out_loan(people, register(secret_item=item))
    run_sweep(today() + DAY)
    obligation = Obligation.objects.get(rule_code="carriers.loan_overdue")
    assert (obligation.subject_id, obligation.responsible_id, obligation.severity) == (
        loan.pk, people["reader"].pk, Severity.CRITICAL)
    services.return_loan(people["office"], loan)
    run_sweep(today() + DAY)
    obligation.refresh_from_db()
    assert obligation.state != Obligation.State.OPEN
