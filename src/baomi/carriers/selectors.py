"""Who sees which carrier (DESIGN.md 'Access model', rule L5).

A state-secret carrier is visible only to someone cleared for its level (a 机密 user never
learns that a 绝密 carrier exists), who is also one of: the 保密办 of its unit, the head of its
department, its custodian, the borrower of an open loan, or someone in the 知悉范围 of the
secret item it carries. 工作秘密 and 商业秘密 carriers (rule L4) carry no state level: the
same duties and scope apply without the clearance condition.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.accounts.roles import Role
from baomi.core.access import clearance, perimeter_query, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.labels import Scheme
from baomi.core.paging import parse_key
from baomi.secrets.models import ScopeEntry

from .choices import LoanState
from .models import Carrier, Container, Loan

OFFICE = frozenset({Role.SECRECY_OFFICE})


def cleared_q(user: Any) -> Q:
    """rule L5: state secrets up to the user's clearance; other schemes carry no state level."""
    return ~Q(scheme=Scheme.STATE) | Q(level__lte=int(clearance(user)))


def duty_q(user: Any) -> Q:
    """SQL over Carrier: the user's management duty or personal custody of the carrier."""
    person = user.person
    duty = Q(unit_id__in=perimeter_query(user, OFFICE)) | Q(custodian_id=person.pk)
    if user.has_role(Role.DEPARTMENT_HEAD) and person.department_id:
        duty |= Q(department_id=person.department_id)
    borrowed = Loan.objects.filter(carrier_id=OuterRef("pk"), borrower_id=person.pk,
                                   state=LoanState.OUT)
    return duty | Q(Exists(borrowed))


def scope_q(user: Any) -> Q:
    """SQL over Carrier: the user is in the 知悉范围 of the carrier's secret item."""
    person = user.person
    entries = ScopeEntry.objects.filter(item_id=OuterRef("secret_item_id"),
                                        removed_on__isnull=True)
    named = Q(person_id=person.pk)
    if person.department_id:
        named |= Q(department_id=person.department_id)
    return Q(secret_item__isnull=False) & Q(Exists(entries.filter(named)))


def carriers_visible_to(user: Any) -> QuerySet[Carrier]:
    if not sees_business_data(user):
        return Carrier.objects.none()
    return Carrier.objects.filter(cleared_q(user) & (duty_q(user) | scope_q(user)))


def carrier_for(user: Any, pk: Any) -> Carrier:
    """One visible carrier by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (carriers_visible_to(user).select_related(
        "unit", "department", "custodian", "container", "secret_item", "original")
        .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def manages_carriers(user: Any, unit_id: int) -> bool:
    """The 保密办 of the unit keeps the ledger: registers, stores, hands out, receives."""
    return unit_id in unit_perimeter(user, OFFICE)


def containers_visible_to(user: Any) -> QuerySet[Container]:
    """Containers of the units where the user is the 保密办 (their ratings are no secret
    inside the office)."""
    if not sees_business_data(user):
        return Container.objects.none()
    return Container.objects.filter(unit_id__in=perimeter_query(user, OFFICE)).select_related(
        "department", "custodian", "room")


def loans_of(carrier: Carrier) -> QuerySet[Loan]:
    """The loans of a carrier the caller already sees, newest first."""
    return carrier.loans.select_related("borrower", "request").order_by("-id")


def loans_visible_to(user: Any) -> QuerySet[Loan]:
    """Loans of visible carriers, and the user's own loans."""
    return Loan.objects.filter(
        Q(carrier__in=carriers_visible_to(user).values("pk")) | Q(borrower_id=user.person_id)
    ).select_related("carrier", "borrower", "request")
