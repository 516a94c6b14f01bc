"""What the carrier pages share: who may open what, downloads, and the loan actions of the
保密办 (hand out, take back) offered on the carrier page and the loan list."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from baomi.core.access import sees_business_data
from baomi.core.downloads import DOCX as DOCX  # re-exported for the pages
from baomi.core.downloads import XLSX as XLSX
from baomi.core.downloads import download as download
from baomi.core.downloads import require_business
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from .. import services
from ..choices import LoanState
from ..models import Carrier, Loan
from ..selectors import carrier_for, loans_visible_to, manages_carriers


def office_unit(request: HttpRequest) -> Any:
    """The unit whose ledger the user keeps as its 保密办; 404 for anyone else."""
    require_business(request)
    user: Any = request.user
    if not manages_carriers(user, user.person.unit_id):
        raise Http404
    return user.person.unit


def is_office(request: HttpRequest) -> bool:
    user: Any = request.user
    return sees_business_data(user) and manages_carriers(user, user.person.unit_id)


def visible_carrier(request: HttpRequest, pk: Any) -> Carrier:
    """A carrier the user sees (rule L5); 404 otherwise, never telling whether it exists."""
    require_business(request)
    try:
        return carrier_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def visible_loan(request: HttpRequest, pk: Any) -> Loan:
    require_business(request)
    key = parse_key(pk)
    loan = (loans_visible_to(request.user).select_related("carrier__unit", "carrier__custodian",
                                                          "carrier__container", "created_by")
            .filter(pk=key).first() if key else None)
    if loan is None:
        raise Http404
    return loan


def loan_actions(user: Any, loan: Loan) -> list[str]:
    """The buttons `user` gets on `loan` (the services check again): the 保密办 hands out an
    approved loan or cancels it when not collected, and takes back one out (rule C5); the
    requester withdraws a loan not yet handed out."""
    if manages_carriers(user, loan.carrier.unit_id):
        return {LoanState.APPROVED: ["hand_out", "withdraw"],
                LoanState.OUT: ["return"]}.get(LoanState(loan.state), [])
    if loan.created_by_id == user.pk and loan.state in (LoanState.REQUESTED,
                                                        LoanState.APPROVED):
        return ["withdraw"]
    return []


def actionable_loan(request: HttpRequest, pk: Any, action: str) -> Loan:
    """A visible loan on which `action` is offered to the user; 404 otherwise."""
    loan = visible_loan(request, pk)
    if action not in loan_actions(request.user, loan):
        raise Http404
    return loan


def perform_loan_action(request: HttpRequest, loan: Loan, action: str) -> str:
    """Hand out, take back or withdraw `loan` (rule C5); DomainError when the service
    refuses."""
    if action == "hand_out":
        services.hand_out(request.user, loan)
        return _("The carrier was handed out.")
    if action == "return":
        services.return_loan(request.user, loan)
        return _("The carrier was taken back into store.")
    services.withdraw_loan(request.user, loan)
    return _("The loan was withdrawn.")

