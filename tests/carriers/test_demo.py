"""The demo carrier ledger: containers, twenty carriers of every kind, three loans (overdue,
awaiting the department head, returned), and a carrier held by 杨帆 that blocks the approval
of his exit (rule C9); a second `baomi demo` adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.accounts.models import User
from baomi.approvals.selectors import inbox_for
from baomi.approvals.services import decide
from baomi.carriers.choices import CarrierKind, CarrierOrigin, CarrierState, LoanState
from baomi.carriers.models import Carrier, Container, Loan
from baomi.core.errors import RuleViolation
from baomi.core.labels import Scheme
from baomi.obligations.models import Obligation
from baomi.personnel.models import ExitCase


@pytest.mark.rule("C9")
@pytest.mark.django_db(transaction=True)
def test_demo_ledger_loads_once():
    call_command("demo", stdout=StringIO())
    assert Container.objects.count() == 4
    # the ledger's own 20 carriers; the copying demo adds copies and a kept printout
    assert Carrier.objects.exclude(origin=CarrierOrigin.COPIED).exclude(
        number__startswith="HXDZ-DY-").count() == 20
    assert set(Carrier.objects.values_list("kind", flat=True)) == set(CarrierKind.values)
    assert set(Carrier.objects.values_list("scheme", flat=True)) == set(Scheme.values)
    received = Carrier.objects.get(number="HXDZ-SW-2026-001")
    assert (received.source_unit, received.source_document_no) == ("国防科工局",
                                                                    "科工密〔2026〕15号")
    assert Carrier.objects.filter(secret_item__isnull=False).count() >= 5

    today = timezone.localdate()
    overdue = Loan.objects.get(state=LoanState.OUT)
    assert overdue.due_on < today and overdue.carrier.state == CarrierState.ON_LOAN
    assert Obligation.objects.filter(rule_code="carriers.loan_overdue", subject_id=overdue.pk,
                                     state="open").exists()
    pending = Loan.objects.get(state=LoanState.REQUESTED)
    assert pending.request in inbox_for(User.objects.get(username="bumen"))
    assert Loan.objects.filter(state=LoanState.RETURNED).count() == 1

    exit_case = ExitCase.objects.get(file__person__name="杨帆")
    assert Carrier.objects.filter(custodian=exit_case.file.person).exists()
    with pytest.raises(RuleViolation) as refused:
        decide(User.objects.get(username="lingdao"), exit_case.request, "approve")
    assert refused.value.code == "custody_outstanding"

    counts = [model.objects.count() for model in (Container, Carrier, Loan)]
    call_command("demo", stdout=StringIO())
    assert [model.objects.count() for model in (Container, Carrier, Loan)] == counts
