"""Carriers leaving the unit: sent out through 机要 channels and signed for (rule C2), taken
out or abroad and brought back (rule C6).

- movement_new: ask, from a carrier the user sees, with the carrier's earlier movements;
- movement_detail: one movement — its request, who carries it, the withdrawal, and the
  保密办's hand-over, return and receipt;
- movement_list: the 保密办 the unit's movements, anyone else their own; filters by state,
  kind and overdue;
- movement_docx: the printed 外发 / 携带外出 / 携带出境审批单.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.approvals.selectors import steps_of
from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from .. import services
from ..choices import CarrierState
from ..docx_movement import build_movement_docx, movement_title
from ..forms_movement import HandOverForm, MovementForm, ReceiptForm, ReturnForm
from ..models import Carrier, Movement
from ..models.movement import MovementKind, MovementState
from ..rules_movement import RECEIPT_DAYS, overdue_q
from ..selectors import manages_carriers
from ..selectors_movement import movements_of, movements_visible_to
from .common import download, is_office, require_business, visible_carrier
from .display import carrier_mark, level_text

M = MovementState
# The actions that take a form on the movement page (withdraw is a plain button).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "hand_over": HandOverForm, "return": ReturnForm, "receipt": ReceiptForm}


def visible_movement(request: HttpRequest, pk: Any) -> Movement:
    """A movement the user sees (rule L5: never one of a carrier above their clearance); 404
    otherwise, never telling whether it exists."""
    require_business(request)
    key = parse_key(pk)
    movement = (movements_visible_to(request.user)
                .select_related("carrier__secret_item", "carrier__unit",
                                "carried_by__department", "created_by__person",
                                "handed_over_by__person")
                .filter(pk=key).first() if key else None)
    if movement is None:
        raise Http404
    return movement


def movement_actions(user: Any, movement: Movement) -> list[str]:
    """What `user` may do on `movement` (the services check again): the 保密办 hands over an
    approved movement, then records the return of a carrier taken out or abroad, or the
    receipt of one sent out (rule C2); the requester withdraws a movement not yet handed
    over, the 保密办 an approved one."""
    office = manages_carriers(user, movement.carrier.unit_id)
    actions = []
    if office and movement.state == M.APPROVED:
        actions.append("hand_over")
    if office and movement.state == M.OUT:
        actions.append("return" if movement.comes_back else "receipt")
    own = movement.created_by_id == user.pk
    if (movement.state == M.REQUESTED and own) or (
            movement.state == M.APPROVED and (own or office)):
        actions.append("withdraw")
    return actions


def is_overdue(movement: Movement, today: date) -> bool:
    """`overdue_q` for one movement already loaded."""
    if movement.state != M.OUT:
        return False
    if movement.comes_back:
        return movement.due_back_on is not None and movement.due_back_on < today
    if movement.out_at is None:
        return False
    sent_on = timezone.localtime(movement.out_at).date()
    return sent_on + timedelta(days=RECEIPT_DAYS) < today


def list_filters(params: Any) -> dict[str, Any]:
    """The valid filters in the query string; anything else is dropped."""
    state = str(params.get("state") or "")
    kind = str(params.get("kind") or "")
    return {"state": state if state in M.values else "",
            "kind": kind if kind in MovementKind.values else "",
            "overdue": params.get("overdue") == "1"}


def movement_list(user: Any, *, office: bool, filters: dict[str, Any]) -> QuerySet[Movement]:
    """The office's movements of its unit, or the user's own — asked for or carrying
    (rule L5: never of a carrier above the user's clearance)."""
    movements = movements_visible_to(user)
    if office:
        movements = movements.filter(carrier__unit_id=user.person.unit_id)
    else:
        movements = movements.filter(Q(created_by_id=user.pk) | Q(carried_by_id=user.person_id))
    if filters["state"]:
        movements = movements.filter(state=filters["state"])
    if filters["kind"]:
        movements = movements.filter(kind=filters["kind"])
    if filters["overdue"]:
        movements = movements.filter(overdue_q(timezone.localdate()))
    return movements.select_related("carrier__secret_item", "carried_by")


def _perform(user: Any, movement: Movement, action: str, data: dict[str, Any]) -> str:
    if action == "hand_over":
        services.hand_over(user, movement, out_at=data.get("out_at"))
        return _("The carrier was handed over and is out of the unit.")
    if action == "return":
        services.record_return(user, movement, returned_at=data.get("returned_at"))
        return _("The carrier is back in store.")
    services.record_receipt(user, movement, signed_by_name=data["signed_by_name"],
                            received_on=data["received_on"])
    return _("The receipt was recorded.")


class MovementNewView(LoginRequiredMixin, View):
    """Ask to send out, take out or take abroad a carrier (rules C2, C6)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        return self._render(request, carrier, self._form(request, carrier))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        form = self._form(request, carrier, request.POST)
        if not form.is_valid():
            return self._render(request, carrier, form, 400)
        data = form.cleaned_data
        try:
            movement = services.request_movement(
                request.user, carrier, kind=data["kind"], destination=data["destination"],
                purpose=data["purpose"], channel=data["channel"], escorts=data["escorts"],
                carried_by=data.get("carried_by"), due_back_on=data["due_back_on"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, carrier, form, exc.status)
        messages.success(request, _("The request was submitted for approval."))
        return HttpResponseRedirect(reverse("carriers:movement_detail", args=[movement.pk]))

    def _form(self, request: HttpRequest, carrier: Carrier, data: Any = None) -> MovementForm:
        return MovementForm(data, unit_id=carrier.unit_id,
                            office=manages_carriers(request.user, carrier.unit_id))

    def _render(self, request: HttpRequest, carrier: Carrier, form: MovementForm,
                status: int = 200) -> HttpResponse:
        return render(request, "carriers/movement_new.html", {
            "carrier": carrier, "mark": carrier_mark(carrier), "form": form,
            "in_store": carrier.state == CarrierState.IN_STORE,
            "movements": movements_of(carrier)[:200],
        }, status=status)


class MovementDetailView(LoginRequiredMixin, View):
    """One movement: what, where, who, its request and state; withdrawal, hand-over, return
    and receipt."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, visible_movement(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        movement = visible_movement(request, pk)
        action = request.POST.get("action", "")
        if action not in movement_actions(request.user, movement):
            raise Http404
        if action == "withdraw":
            return self._withdraw(request, movement)
        form = ACTION_FORMS[action](request.POST)
        if not form.is_valid():
            return self._render(request, movement, form, 400)
        try:
            message = _perform(request.user, movement, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, movement, form, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("carriers:movement_detail", args=[movement.pk]))

    def _withdraw(self, request: HttpRequest, movement: Movement) -> HttpResponse:
        try:
            services.withdraw_movement(request.user, movement)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, movement, status=exc.status)
        messages.success(request, _("The movement was withdrawn."))
        return HttpResponseRedirect(reverse("carriers:movement_detail", args=[movement.pk]))

    def _render(self, request: HttpRequest, movement: Movement,
                form: forms.Form | None = None, status: int = 200) -> HttpResponse:
        actions = movement_actions(request.user, movement)
        action = next((name for name in actions if name in ACTION_FORMS), "")
        if form is None and action:
            initial = {"received_on": timezone.localdate()} if action == "receipt" else {}
            form = ACTION_FORMS[action](initial=initial)
        carrier = movement.carrier
        return render(request, "carriers/movement_detail.html", {
            "movement": movement, "carrier": carrier, "mark": carrier_mark(carrier),
            "level": level_text(carrier.scheme, carrier.level), "actions": actions,
            "action": action, "action_form": form if action else None,
            "overdue": is_overdue(movement, timezone.localdate()),
        }, status=status)


class MovementListView(LoginRequiredMixin, View):
    """Carriers out of the unit: the 保密办 the unit's movements, anyone else their own."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        office = is_office(request)
        filters = list_filters(request.GET)
        page = keyset_page(movement_list(request.user, office=office, filters=filters),
                           request)
        today = timezone.localdate()
        rows = [{"movement": movement, "mark": carrier_mark(movement.carrier),
                 "overdue": is_overdue(movement, today)} for movement in page.items]
        return render(request, "carriers/movement_list.html", {
            "page": page, "rows": rows, "office": office, "filters": filters,
            "states": M.choices, "kinds": MovementKind.choices, "receipt_days": RECEIPT_DAYS,
        })


class MovementDocxView(LoginRequiredMixin, View):
    """外发 / 携带外出 / 携带出境审批单 (.docx) with the approval opinions, the hand-over and
    the return or the receipt."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        movement = visible_movement(request, pk)
        steps = steps_of(movement.request) if movement.request_id and movement.request else []
        return download(build_movement_docx(movement, steps),
                        f"{movement_title(movement)}-{movement.carrier.number}.docx")
