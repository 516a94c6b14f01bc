"""The carriers a person holds, for the exit check of classified personnel (rule C9)."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from baomi.personnel.custody import CustodyItem, register_custody_provider

from .choices import CarrierState, LoanState


def carriers_held(person: Any) -> Iterator[CustodyItem]:
    """rule C9: carriers in the person's custody (not destroyed) and carriers they borrowed
    and have not returned."""
    from .models import Carrier
    from .models.movement import MovementState

    held = Carrier.objects.filter(custodian=person).exclude(state=CarrierState.DESTROYED)
    borrowed = Carrier.objects.filter(loans__borrower=person, loans__state=LoanState.OUT)
    # rules C2, C6: a carrier out of the unit is held by the person carrying it.
    carried = Carrier.objects.filter(movements__carried_by=person,
                                     movements__state=MovementState.OUT)
    for carrier in (held | borrowed | carried).distinct().order_by("number"):
        if carrier.custodian_id == person.pk:
            kind = _("Classified carrier")
        elif carrier.state == CarrierState.OUT:
            kind = _("Classified carrier taken out")
        else:
            kind = _("Borrowed classified carrier")
        yield CustodyItem(kind=str(kind), reference=carrier.number, title=carrier.title,
                          level=carrier.level)


def register() -> None:
    register_custody_provider("carriers", carriers_held)
