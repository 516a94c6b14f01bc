"""rule C9: a person leaving a classified post hands back every carrier first. The carriers
app tells `baomi.personnel.custody` what a person keeps (custodian) or borrowed (a loan out);
the last approval of their exit is refused until custody has passed on and the loan came
back."""

from datetime import date

import pytest

from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier
from baomi.core.errors import RuleViolation
from baomi.core.labels import Category, Level
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.custody import outstanding_custody
from baomi.personnel.models import ExitCase, PersonnelFile, Post, PostHolding
from baomi.personnel.services.exit import file_exit

from . import service_support as support
from .service_support import approved_loan

people, yf1, keeper, safe, item, register = (
    support.people, support.yf1, support.keeper, support.safe, support.item, support.register)

IN_POST_SINCE = date(2020, 1, 1)


@pytest.fixture
def leaver_file(people, unit, yf1):
    """`reader` (机密, 重要涉密人员) in post in 研发一部 since 2020."""
    person = people["reader"].person
    post = Post.objects.create(unit=unit, department=yf1, name="设计员", level=Level.CONFIDENTIAL)
    PostHolding.objects.create(post=post, person=person, started_on=IN_POST_SINCE)
    return PersonnelFile.objects.create(person=person, unit=unit, category=Category.IMPORTANT,
                                        state=FileState.IN_POST, in_post_since=IN_POST_SINCE)


@pytest.fixture
def held_and_borrowed(people, item, register):
    """A carrier `reader` keeps, and one they borrowed (handed out, not returned)."""
    kept = register(number="ZT-KEPT", custodian=people["reader"].person)
    borrowed = register(number="ZT-LENT", secret_item=item)
    loan = services.hand_out(people["office"], approved_loan(people, borrowed))
    return kept, loan


@pytest.mark.rule("C9")
def test_the_custody_lists_carriers_kept_and_borrowed(people, keeper, held_and_borrowed):
    items = outstanding_custody(people["reader"].person)
    assert [(i.reference, i.level) for i in items] == [("ZT-KEPT", Level.CONFIDENTIAL),
                                                       ("ZT-LENT", Level.CONFIDENTIAL)]
    assert items[0].kind != items[1].kind  # kept, borrowed
    assert [i.reference for i in outstanding_custody(people["senior"].person)] == []
    # the custodian of the lent carrier still answers for it
    assert [i.reference for i in outstanding_custody(keeper)] == ["ZT-LENT"]


@pytest.mark.rule("C9")
def test_a_destroyed_or_returned_carrier_is_no_longer_held(people, held_and_borrowed):
    kept, loan = held_and_borrowed
    services.return_loan(people["office"], loan)
    Carrier.objects.filter(pk=kept.pk).update(state=CarrierState.DESTROYED)
    assert outstanding_custody(people["reader"].person) == []


@pytest.mark.rule("C9")
def test_the_exit_waits_for_every_carrier(people, leaver_file, held_and_borrowed):
    kept, loan = held_and_borrowed
    case = file_exit(people["office"], leaver_file, kind=ExitKind.LEAVE_UNIT,
                     leave_on=date(2026, 1, 31), reason="辞职")
    request = decide(people["head"], case.request, "approve")
    request = decide(people["office2"], request, "approve")
    with pytest.raises(RuleViolation) as exc:
        decide(people["leader"], request, "approve")
    assert (exc.value.code, exc.value.rule) == ("custody_outstanding", "C9")
    assert "ZT-KEPT" in exc.value.message and "ZT-LENT" in exc.value.message
    services.change_custodian(people["office"], kept, custodian=people["senior"].person,
                              reason="离职交接")
    with pytest.raises(RuleViolation):  # the borrowed one is still out
        decide(people["leader"], request, "approve")
    services.return_loan(people["office"], loan)
    decide(people["leader"], request, "approve")
    case = ExitCase.objects.select_related("file").get(pk=case.pk)
    assert case.state == ExitState.APPROVED and case.file.state == FileState.DECLASSIFYING
