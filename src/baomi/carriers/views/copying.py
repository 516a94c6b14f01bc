"""Copying (复制, 摘抄, 加印; rule C4) and the print log (打印输出登记, rule C10).

- copy_new: ask to copy a carrier (anyone who may borrow it), with its earlier copy orders;
- copy_detail: one order — its state and approval request, withdrawal, the 保密办's "make the
  copies" form once approved, and the copies made with their 复制戳记;
- copy_docx: the printed 复制审批单;
- print_list / print_export: the print log — the 保密办 the unit's, anyone else their own —
  with its registration form, and as .xlsx.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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
from ..docx_copying import build_copy_docx
from ..exports_copying import write_prints
from ..forms_copying import CopyForm, MakeCopiesForm, PrintForm
from ..models import Carrier, CopyOrder
from ..models.copying import CopyState
from ..selectors import manages_carriers
from ..selectors_copying import copies_of, copy_orders_of, copy_orders_visible_to, print_list
from .common import XLSX, download, is_office, require_business, visible_carrier
from .display import carrier_mark, level_text


def visible_order(request: HttpRequest, pk: Any) -> CopyOrder:
    """A copy order the user sees (rule L5); 404 otherwise."""
    require_business(request)
    key = parse_key(pk)
    order = copy_orders_visible_to(request.user).filter(pk=key).first() if key else None
    if order is None:
        raise Http404
    return order


def order_actions(user: Any, order: CopyOrder) -> list[str]:
    """What `user` may do on `order` (the services check again): the 保密办 makes the copies
    of an approved order or cancels it; the requester withdraws an order not yet made."""
    actions = []
    office = manages_carriers(user, order.carrier.unit_id)
    if office and order.state == CopyState.APPROVED:
        actions.append("make")
    if order.state in (CopyState.REQUESTED, CopyState.APPROVED) and (
            order.requested_by_id == user.pk or (office and order.state == CopyState.APPROVED)):
        actions.append("withdraw")
    return actions


class CopyNewView(LoginRequiredMixin, View):
    """Ask to copy, extract or reprint a carrier (rule C4)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        return self._render(request, carrier, self._form(carrier))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        form = self._form(carrier, request.POST)
        if not form.is_valid():
            return self._render(request, carrier, form, 400)
        data = form.cleaned_data
        try:
            order = services.request_copy(
                request.user, carrier, kind=data["kind"], copies=data["copies"],
                purpose=data["purpose"], consent_unit=data.get("consent_unit", ""),
                consent_reference=data.get("consent_reference", ""),
                consent_on=data.get("consent_on"))
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, carrier, form, exc.status)
        messages.success(request, _("The copy request was submitted for approval."))
        return HttpResponseRedirect(reverse("carriers:copy_detail", args=[order.pk]))

    def _form(self, carrier: Carrier, data: Any = None) -> CopyForm:
        return CopyForm(data, consent=services.needs_consent(carrier))

    def _render(self, request: HttpRequest, carrier: Carrier, form: CopyForm,
                status: int = 200) -> HttpResponse:
        user: Any = request.user
        return render(request, "carriers/copying_new.html", {
            "carrier": carrier, "mark": carrier_mark(carrier), "form": form,
            "at_hand": services.at_hand(carrier, user.person),
            "consent": services.needs_consent(carrier),
            "orders": copy_orders_of(carrier)[:200],
        }, status=status)


class CopyDetailView(LoginRequiredMixin, View):
    """One copy order: state, request, withdrawal, making the copies, the copies made."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = visible_order(request, pk)
        return self._render(request, order)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = visible_order(request, pk)
        action = request.POST.get("action", "")
        if action not in order_actions(request.user, order):
            raise Http404
        if action == "withdraw":
            return self._withdraw(request, order)
        form = MakeCopiesForm(request.POST, unit_id=order.carrier.unit_id)
        if not form.is_valid():
            return self._render(request, order, form, 400)
        data = form.cleaned_data
        try:
            made = services.make_copies(request.user, order, made_on=data["made_on"],
                                        custodian=data["custodian"],
                                        container=data["container"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, order, form, exc.status)
        messages.success(request, _("%(count)s copies were made and registered.")
                         % {"count": len(made)})
        return HttpResponseRedirect(reverse("carriers:copy_detail", args=[order.pk]))

    def _withdraw(self, request: HttpRequest, order: CopyOrder) -> HttpResponse:
        try:
            services.withdraw_copy(request.user, order)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, order, status=exc.status)
        messages.success(request, _("The copy order was withdrawn."))
        return HttpResponseRedirect(reverse("carriers:copy_detail", args=[order.pk]))

    def _render(self, request: HttpRequest, order: CopyOrder,
                form: forms.Form | None = None, status: int = 200) -> HttpResponse:
        actions = order_actions(request.user, order)
        if form is None and "make" in actions:
            form = MakeCopiesForm(unit_id=order.carrier.unit_id,
                                  initial={"made_on": timezone.localdate()})
        carrier = order.carrier
        return render(request, "carriers/copying_detail.html", {
            "order": order, "carrier": carrier, "mark": carrier_mark(carrier),
            "level": level_text(carrier.scheme, carrier.level), "actions": actions,
            "make_form": form if "make" in actions else None,
            "consent": services.needs_consent(carrier), "copies": list(copies_of(order)),
        }, status=status)


class CopyDocxView(LoginRequiredMixin, View):
    """复制审批单 (.docx) with the approval opinions and the copies made."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = visible_order(request, pk)
        steps = steps_of(order.request) if order.request_id and order.request else []
        return download(build_copy_docx(order, steps, list(copies_of(order))),
                        f"涉密载体复制审批单-{order.carrier.number}.docx")


class PrintListView(LoginRequiredMixin, View):
    """The print log (rule C10) and its registration form."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            services.record_print(
                request.user, title=data["title"], scheme=data["scheme"], level=data["level"],
                pages=data["pages"], copies=data["copies"], device=data["device"],
                printed_at=data["printed_at"], printed_by=data.get("printed_by"),
                department=data["department"], approved_by=data["approved_by"],
                recipient=data["recipient"],
                register_carrier=bool(data.get("register_carrier")),
                number=data.get("number", ""), period_kind=data.get("period_kind", ""),
                period_value=data.get("period_value"), secret_item=data.get("secret_item"),
                container=data.get("container"))
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The printout was logged."))
        return HttpResponseRedirect(reverse("carriers:print_list"))

    def _form(self, request: HttpRequest, data: Any = None) -> PrintForm:
        user: Any = request.user
        return PrintForm(data, user=user, unit_id=user.person.unit_id,
                         office=is_office(request))

    def _render(self, request: HttpRequest, form: PrintForm, status: int = 200
                ) -> HttpResponse:
        office = is_office(request)
        page = keyset_page(print_list(request.user, office=office), request)
        rows = [{"record": record, "level": level_text(record.scheme, record.level)}
                for record in page.items]
        return render(request, "carriers/copying_prints.html", {
            "page": page, "rows": rows, "office": office, "form": form,
        }, status=status)


class PrintExportView(LoginRequiredMixin, View):
    """The print log as .xlsx (the lines the user sees on the page), streamed and audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        require_business(request)
        user: Any = request.user
        records = print_list(user, office=is_office(request)).order_by("-id")
        output, rows = write_prints(records.iterator(chunk_size=2000))
        services.record_prints_export(user, user.person.unit_id, rows)
        name = f"prints-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)
