"""Requests the carriers app serves through the approvals engine.

`carrier_loan` (借阅/传阅审批, rule C5): someone asks to borrow or circulate a carrier (the
保密办 may ask for someone else); the chain `approvals.chains.carrier_loan` (default 部门负责人
→ 保密办, 绝密 adds 单位领导) decides. The request is at the carrier's level for a state secret
(rule L5), 非密 for 工作秘密 and 商业秘密 (rule L4); its 部门负责人 step is the head of the
borrower's department, and the borrower decides no step of their own loan. Approved: the loan
waits to be handed out; rejected or withdrawn: it is closed (services.conclude_loan,
services.withdraw_loan).
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level, Scheme

from .choices import LoanKind, LoanState
from .models import Loan

MAX_ID = 2**63 - 1


class LoanPayload(BaseModel):
    """What the request carries: the loan, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    loan_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    title: str = Field(default="", max_length=200)
    borrower: str = Field(default="", max_length=100)
    department: str = Field(default="", max_length=100)
    kind: str = Field(pattern="^(borrow|circulate)$")
    due_on: str = Field(default="", max_length=10)


def loan_payload(loan: Loan) -> dict[str, Any]:
    carrier, borrower = loan.carrier, loan.borrower
    department = borrower.department.name if borrower.department else ""
    return {"loan_id": loan.pk, "number": carrier.number[:50], "title": carrier.title[:200],
            "borrower": borrower.name[:100], "department": department[:100],
            "kind": loan.kind, "due_on": loan.due_on.isoformat()}


def _loan_row(payload: dict[str, Any], *fields: str) -> dict[str, Any] | None:
    return Loan.objects.filter(pk=int(payload.get("loan_id") or 0)).values(*fields).first()


class CarrierLoanRequest(RequestType):
    code = "carrier_loan"
    label = gettext_lazy("Loan of a classified carrier")
    payload_schema = LoanPayload

    def describe(self, payload: dict[str, Any]) -> str:
        kind = payload.get("kind", "")
        kind_label = LoanKind(kind).label if kind in LoanKind.values else kind
        return _("%(kind)s of %(number)s %(title)s by %(person)s") % {
            "kind": kind_label, "number": payload.get("number", ""),
            "title": payload.get("title", ""), "person": payload.get("borrower", "")}

    def subject_url(self, request: Any) -> str | None:
        """A loan is shown on its carrier's page."""
        carrier_id = Loan.objects.filter(pk=request.subject_id).values_list(
            "carrier_id", flat=True).first()
        return reverse("carriers:carrier_detail", args=[carrier_id]) if carrier_id else None

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: the carrier's level for a state secret (read from the ledger, not from the
        payload); rule L4: 工作秘密 and 商业秘密 are no state-secret levels."""
        row = _loan_row(payload, "carrier__scheme", "carrier__level")
        if row is None or row["carrier__scheme"] != Scheme.STATE:
            return Level.NONSECRET
        return Level(int(row["carrier__level"]))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is decided by the head of the borrower's department."""
        row = _loan_row(payload, "borrower__department_id")
        return row["borrower__department_id"] if row else None

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """The borrower decides no step of their own loan."""
        row = _loan_row(payload, "borrower_id")
        return row["borrower_id"] if row else None

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import may_borrow_refusal

        assert isinstance(payload, LoanPayload)
        loan = (Loan.objects.select_related("carrier", "carrier__secret_item", "borrower",
                                            "request")
                .filter(pk=payload.loan_id).first())
        if loan is None or loan.created_by_id != getattr(actor, "pk", None):
            message = _("Choose a loan you asked for.")
            raise InvalidInput(message, code="unknown_loan", fields={"loan_id": message})
        # Filed once (request still None); resubmitted only after a return.
        if loan.state != LoanState.REQUESTED or (
                loan.request is not None and loan.request.state != RequestState.RETURNED):
            raise Conflict(_("This loan has already been submitted."), code="already_decided")
        refusal = may_borrow_refusal(loan.carrier, loan.borrower)
        if refusal is not None:  # rule C5, again at every resubmission
            raise refusal

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import conclude_loan

        conclude_loan(actor, self._loan(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services import conclude_loan

        conclude_loan(actor, self._loan(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services import withdraw_loan

        withdraw_loan(actor, self._loan(request))

    def _loan(self, request: Request) -> Loan:
        loan = Loan.objects.filter(pk=request.payload.get("loan_id")).first()
        if loan is None:
            raise Conflict(_("The loan named in the request no longer exists."),
                           code="unknown_loan")
        return loan


register_request_type(CarrierLoanRequest())

from . import (  # noqa: E402
    request_types_copying,  # noqa: F401
    request_types_destruction,  # noqa: F401
    request_types_movement,  # noqa: F401
)
