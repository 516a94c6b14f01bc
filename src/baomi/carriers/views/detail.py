"""One carrier: its fields, the mark in large type, its loans, and the actions the viewer may
take — request a loan (anyone who sees it, rule C5); for the 保密办 store it in a container
(rule C3), change the custodian, hand out and take back a loan. Opening a 机密 or 绝密
carrier is audited. The 借阅登记 form of a loan (.docx)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.approvals.selectors import steps_of
from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error

from .. import services
from ..choices import CarrierState
from ..docx_forms import build_loan_docx
from ..forms import CustodianForm, LoanActionForm, LoanForm, StoreForm
from ..models import Carrier
from ..selectors import loans_of, manages_carriers
from ..selectors_movement import movements_of
from .common import (
    actionable_loan,
    download,
    loan_actions,
    perform_loan_action,
    visible_carrier,
    visible_loan,
)
from .display import (
    carrier_mark,
    copies_text,
    level_text,
    loan_overdue,
    place_text,
    source_text,
)

LOAN_BUTTONS = ("hand_out", "return", "withdraw")


def available_actions(user: Any, carrier: Carrier) -> list[str]:
    """The forms shown to `user` on the carrier page (the services check again)."""
    in_store = carrier.state == CarrierState.IN_STORE
    actions = ["loan"] if in_store else []
    if manages_carriers(user, carrier.unit_id):
        actions += ["store"] if in_store else []
        actions += ["custodian"] if carrier.state != CarrierState.DESTROYED else []
    return actions


def _form(action: str, carrier: Carrier, user: Any, data: Any = None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": action, "unit_id": carrier.unit_id}
    if action == "loan":
        return LoanForm(data, office=manages_carriers(user, carrier.unit_id), **kwargs)
    if action == "store":
        return StoreForm(data, initial={"container": carrier.container_id,
                                        "location": carrier.location}, **kwargs)
    return CustodianForm(data, **kwargs)


def _perform(request: HttpRequest, carrier: Carrier, action: str, data: dict[str, Any]) -> str:
    user = request.user
    if action == "loan":
        services.request_loan(user, carrier, kind=data["kind"], purpose=data["purpose"],
                              room=data["room"], borrower=data.get("borrower"))
        return _("The loan request was submitted for approval.")
    if action == "store":
        services.store_carrier(user, carrier, container=data["container"],
                               location=data["location"])
        return _("The carrier was stored.")
    services.change_custodian(user, carrier, custodian=data["custodian"],
                              reason=data["reason"])
    return _("The custodian was changed.")


class CarrierDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        services.record_carrier_read(request.user, carrier)  # audited from 机密 up
        return self._render(request, carrier)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        action = request.POST.get("action", "")
        if action in LOAN_BUTTONS:
            return self._loan_button(request, carrier, action)
        if action not in available_actions(request.user, carrier):
            raise Http404
        form = _form(action, carrier, request.user, request.POST)
        if not form.is_valid():
            return self._render(request, carrier, {action: form}, 400)
        try:
            message = _perform(request, carrier, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, carrier, {action: form}, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("carriers:carrier_detail", args=[carrier.pk]))

    def _loan_button(self, request: HttpRequest, carrier: Carrier, action: str
                     ) -> HttpResponse:
        form = LoanActionForm(request.POST)
        if not form.is_valid():
            raise Http404
        loan = actionable_loan(request, form.cleaned_data["loan"], action)
        if loan.carrier_id != carrier.pk:
            raise Http404
        try:
            message = perform_loan_action(request, loan, action)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, carrier, {"loan-button": form}, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("carriers:carrier_detail", args=[carrier.pk]))

    def _render(self, request: HttpRequest, carrier: Carrier,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        user = request.user
        shown = [(action, (bound or {}).get(action) or _form(action, carrier, user))
                 for action in available_actions(user, carrier)]
        office = manages_carriers(user, carrier.unit_id)
        loans = [{"loan": loan, "overdue": loan_overdue(loan),
                  "actions": loan_actions(user, loan)}
                 for loan in loans_of(carrier)[:200]]
        return render(request, "carriers/carrier_detail.html", {
            "carrier": carrier, "mark": carrier_mark(carrier), "forms": shown,
            "level": level_text(carrier.scheme, carrier.level),
            "source": source_text(carrier), "copies": copies_text(carrier),
            "place": place_text(carrier), "loans": loans, "office": office,
            "button_error": (bound or {}).get("loan-button"),
            "audited": services.read_is_audited(carrier),
            "movements": list(movements_of(carrier)[:20]),
        }, status=status)


class LoanDocxView(LoginRequiredMixin, View):
    """借阅登记 (.docx): the carrier, the borrower, purpose, room, the approvals with their
    opinions, the times handed out and returned, signature lines."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        loan = visible_loan(request, pk)
        steps = steps_of(loan.request) if loan.request_id and loan.request else []
        return download(build_loan_docx(loan, steps),
                        f"涉密载体借阅登记-{loan.carrier.number}.docx")
