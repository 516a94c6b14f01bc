"""Pages of maintenance (rule D7) and retirement (rule D8).

- maintenance_new / device_retirement_new / medium_retirement_new: ask, from the device's or
  medium's page (its responsible person, the head of its department or the 保密办);
- maintenance_detail: one maintenance — its request, the 保密办's steps (disk removed, sent
  out, repaired), the withdrawal and the printed form;
- retirement_detail: one retirement — its request, the clearing and the hand-over for
  destruction, the withdrawal and the printed form;
- maintenance_list / retirement_list: what the user sees, filtered by state.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.approvals.selectors import steps_of
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from .. import services
from ..choices import MaintenanceMode, MaintenanceState, RetirementState
from ..docx_lifecycle import build_maintenance_docx, build_retirement_docx, maintenance_title
from ..forms_lifecycle import (
    ClearingForm,
    DestructionForm,
    DiskRemovedForm,
    MaintenanceForm,
    RepairedForm,
    RetirementForm,
    SendOutForm,
)
from ..models import Device, Maintenance, Medium, Retirement
from ..selectors import manages_devices
from ..selectors_lifecycle import (
    maintenance_for,
    maintenance_list,
    maintenances_of,
    may_ask_for,
    retirement_for,
    retirement_list,
)
from .common import download, require_business, visible_device, visible_medium

MS, RS = MaintenanceState, RetirementState
MAINTENANCE_FORMS: dict[str, type[forms.Form]] = {
    "disk_removed": DiskRemovedForm, "send_out": SendOutForm, "repaired": RepairedForm}
RETIREMENT_FORMS: dict[str, type[forms.Form]] = {
    "clearing": ClearingForm, "destruction": DestructionForm}


def _found(lookup: Any, request: HttpRequest, pk: Any) -> Any:
    """A visible object (rule L5); 404 otherwise, never telling whether it exists."""
    require_business(request)
    try:
        return lookup(request.user, pk)
    except NotFound:
        raise Http404 from None


# --- what may be done ---------------------------------------------------------------------------


def maintenance_actions(user: Any, maintenance: Maintenance) -> list[str]:
    """What `user` may do on `maintenance` (the services check again): the 保密办 records the
    disk removed, the device sent out (rule D7) and the repair done; the requester withdraws
    it before approval, the requester or the 保密办 once approved."""
    office = manages_devices(user, maintenance.device.unit_id)
    sent_out = maintenance.mode == MaintenanceMode.SENT_OUT
    actions = []
    if office and maintenance.state == MS.APPROVED and sent_out:
        actions.append("send_out" if maintenance.disk_removed_on else "disk_removed")
    if office and ((maintenance.state == MS.APPROVED and not sent_out)
                   or maintenance.state == MS.AWAY):
        actions.append("repaired")
    own = maintenance.created_by_id == user.pk
    if (maintenance.state == MS.REQUESTED and own) or (
            maintenance.state == MS.APPROVED and (own or office)):
        actions.append("withdraw")
    return actions


def retirement_actions(user: Any, retirement: Retirement) -> list[str]:
    """The 保密办 records the clearing, then the hand-over (rule D8); the requester withdraws
    it while it awaits approval."""
    subject = retirement.device or retirement.medium
    office = subject is not None and manages_devices(user, subject.unit_id)
    actions = []
    if office and retirement.state == RS.APPROVED:
        actions.append("clearing")
    if office and retirement.state == RS.CLEARED:
        actions.append("destruction")
    if retirement.state == RS.REQUESTED and retirement.created_by_id == user.pk:
        actions.append("withdraw")
    return actions


def _perform_maintenance(user: Any, maintenance: Maintenance, action: str,
                         data: dict[str, Any]) -> str:
    if action == "disk_removed":
        services.record_disk_removed(user, maintenance, removed_on=data["removed_on"],
                                     kept_at=data["kept_at"])
        return _("The removal of the disk was recorded.")
    if action == "send_out":
        services.send_out(user, maintenance, left_on=data["left_on"])
        return _("The device left the unit for repair.")
    services.record_repaired(user, maintenance, done_on=data["done_on"], result=data["result"],
                             back_on=data.get("back_on"))
    return _("The repair was recorded.")


def _perform_retirement(user: Any, retirement: Retirement, action: str,
                        data: dict[str, Any]) -> str:
    if action == "clearing":
        services.record_clearing(user, retirement, cleared_on=data["cleared_on"],
                                 method=data["method"], cleared_by=data["cleared_by"])
        return _("The clearing of the information was recorded.")
    services.record_destruction(user, retirement, destruction_body=data["destruction_body"],
                                handed_over_on=data["handed_over_on"],
                                certificate_no=data["certificate_no"])
    return _("The hand-over for destruction was recorded.")


def _initial(action: str, retirement: Retirement | None = None) -> dict[str, Any]:
    """Today for the dates of a step; the designated destruction body, when there is one."""
    today = timezone.localdate()
    initial: dict[str, Any] = {name: today for name in (
        "removed_on", "left_on", "done_on", "cleared_on", "handed_over_on")}
    if action == "destruction" and retirement is not None:
        subject = retirement.device or retirement.medium
        if subject is not None:
            initial["destruction_body"] = services.designated_body(subject.unit)
    return initial


# --- asking -------------------------------------------------------------------------------------


def _askable(request: HttpRequest, obj: Device | Medium) -> None:
    """Only those who may ask, and never for a retired device or medium (rule D8)."""
    if not may_ask_for(request.user, obj) or services.is_locked(obj):
        raise Http404


class MaintenanceNewView(LoginRequiredMixin, View):
    """Ask for the repair of a device (rule D7)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = visible_device(request, pk)
        _askable(request, device)
        return self._render(request, device, MaintenanceForm(unit_id=device.unit_id))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = visible_device(request, pk)
        _askable(request, device)
        form = MaintenanceForm(request.POST, unit_id=device.unit_id)
        if not form.is_valid():
            return self._render(request, device, form, 400)
        data = form.cleaned_data
        try:
            maintenance = services.request_maintenance(
                request.user, device, mode=data["mode"], fault=data["fault"],
                repairer=data["repairer"], supervisor=data.get("supervisor"))
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, device, form, exc.status)
        messages.success(request, _("The request was submitted for approval."))
        return HttpResponseRedirect(reverse("devices:maintenance_detail",
                                            args=[maintenance.pk]))

    def _render(self, request: HttpRequest, device: Device, form: MaintenanceForm,
                status: int = 200) -> HttpResponse:
        return render(request, "devices/maintenance_new.html", {
            "device": device, "form": form, "maintenances": maintenances_of(device)[:50]},
            status=status)


class RetirementNewView(LoginRequiredMixin, View):
    """Propose a device or a medium for retirement (rule D8)."""

    subject = "device"

    def _target(self, request: HttpRequest, pk: int) -> Device | Medium:
        obj: Device | Medium = (visible_device(request, pk) if self.subject == "device"
                                else visible_medium(request, pk))
        _askable(request, obj)
        return obj

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._target(request, pk), RetirementForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self._target(request, pk)
        form = RetirementForm(request.POST)
        if not form.is_valid():
            return self._render(request, target, form, 400)
        device = target if isinstance(target, Device) else None
        medium = target if isinstance(target, Medium) else None
        try:
            retirement = services.request_retirement(
                request.user, device=device, medium=medium, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, target, form, exc.status)
        messages.success(request, _("The request was submitted for approval."))
        return HttpResponseRedirect(reverse("devices:retirement_detail", args=[retirement.pk]))

    def _render(self, request: HttpRequest, target: Device | Medium, form: RetirementForm,
                status: int = 200) -> HttpResponse:
        back = reverse("devices:device_detail" if self.subject == "device"
                       else "devices:medium_detail", args=[target.pk])
        return render(request, "devices/retirement_new.html", {
            "target": target, "form": form, "back": back}, status=status)


class MediumRetirementNewView(RetirementNewView):
    subject = "medium"


# --- one maintenance, one retirement --------------------------------------------------------------


class StepsView(LoginRequiredMixin, View):
    """One maintenance or retirement with the step forms of the 保密办 and the withdrawal."""

    template = ""
    forms_of: dict[str, type[forms.Form]] = {}

    def lookup(self, user: Any, pk: Any) -> Any:
        raise NotImplementedError

    def actions(self, user: Any, obj: Any) -> list[str]:
        raise NotImplementedError

    def perform(self, user: Any, obj: Any, action: str, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def withdraw(self, user: Any, obj: Any) -> str:
        raise NotImplementedError

    def url(self, obj: Any) -> str:
        raise NotImplementedError

    def context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _found(self.lookup, request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _found(self.lookup, request, pk)
        action = request.POST.get("action", "")
        if action not in self.actions(request.user, obj):
            raise Http404
        if action == "withdraw":
            try:
                message = self.withdraw(request.user, obj)
            except DomainError as exc:
                messages.error(request, exc.message)
                return self._render(request, obj, status=exc.status)
            messages.success(request, message)
            return HttpResponseRedirect(self.url(obj))
        form = self.forms_of[action](request.POST)
        if not form.is_valid():
            return self._render(request, obj, form, 400)
        try:
            message = self.perform(request.user, obj, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, obj, form, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(self.url(obj))

    def _render(self, request: HttpRequest, obj: Any, form: forms.Form | None = None,
                status: int = 200) -> HttpResponse:
        actions = self.actions(request.user, obj)
        action = next((name for name in actions if name in self.forms_of), "")
        if form is None and action:
            form = self.forms_of[action](initial=_initial(action, obj if isinstance(
                obj, Retirement) else None))
        return render(request, self.template, {
            "obj": obj, "actions": actions, "action": action,
            "action_form": form if action else None, **self.context(obj)}, status=status)


class MaintenanceDetailView(StepsView):
    template = "devices/maintenance_detail.html"
    forms_of = MAINTENANCE_FORMS

    def lookup(self, user: Any, pk: Any) -> Maintenance:
        return maintenance_for(user, pk)

    def actions(self, user: Any, obj: Maintenance) -> list[str]:
        return maintenance_actions(user, obj)

    def perform(self, user: Any, obj: Maintenance, action: str, data: dict[str, Any]) -> str:
        return _perform_maintenance(user, obj, action, data)

    def withdraw(self, user: Any, obj: Maintenance) -> str:
        services.withdraw_maintenance(user, obj)
        return _("The maintenance was withdrawn.")

    def url(self, obj: Maintenance) -> str:
        return reverse("devices:maintenance_detail", args=[obj.pk])

    def context(self, obj: Maintenance) -> dict[str, Any]:
        return {"maintenance": obj, "device": obj.device,
                "sent_out": obj.mode == MaintenanceMode.SENT_OUT}


class RetirementDetailView(StepsView):
    template = "devices/retirement_detail.html"
    forms_of = RETIREMENT_FORMS

    def lookup(self, user: Any, pk: Any) -> Retirement:
        return retirement_for(user, pk)

    def actions(self, user: Any, obj: Retirement) -> list[str]:
        return retirement_actions(user, obj)

    def perform(self, user: Any, obj: Retirement, action: str, data: dict[str, Any]) -> str:
        return _perform_retirement(user, obj, action, data)

    def withdraw(self, user: Any, obj: Retirement) -> str:
        services.withdraw_retirement(user, obj)
        return _("The retirement was withdrawn.")

    def url(self, obj: Retirement) -> str:
        return reverse("devices:retirement_detail", args=[obj.pk])

    def context(self, obj: Retirement) -> dict[str, Any]:
        subject = obj.device or obj.medium
        url = reverse("devices:device_detail" if obj.device_id else "devices:medium_detail",
                      args=[subject.pk]) if subject else ""
        return {"retirement": obj, "subject": subject, "subject_url": url}


# --- lists and printed forms -------------------------------------------------------------------


class MaintenanceListView(LoginRequiredMixin, View):
    """The maintenances the user sees (the 保密办 its unit's), by state."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        state = str(request.GET.get("state") or "")
        state = state if state in MS.values else ""
        page = keyset_page(maintenance_list(request.user, state), request)
        return render(request, "devices/maintenance_list.html", {
            "page": page, "state": state, "states": MS.choices})


class RetirementListView(LoginRequiredMixin, View):
    """The retirements the user sees, by state and by devices or media."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        state = str(request.GET.get("state") or "")
        state = state if state in RS.values else ""
        subject = str(request.GET.get("subject") or "")
        subject = subject if subject in ("device", "medium") else ""
        page = keyset_page(retirement_list(request.user, state, subject), request)
        return render(request, "devices/retirement_list.html", {
            "page": page, "state": state, "states": RS.choices, "subject": subject})


class MaintenanceDocxView(LoginRequiredMixin, View):
    """涉密设备维修审批表 / 送外维修登记表 (.docx)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        maintenance: Maintenance = _found(maintenance_for, request, pk)
        steps = steps_of(maintenance.request) if maintenance.request else []
        return download(build_maintenance_docx(maintenance, steps),
                        f"{maintenance_title(maintenance)}-{maintenance.device.number}.docx")


class RetirementDocxView(LoginRequiredMixin, View):
    """涉密设备（介质）报废审批表 (.docx)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        retirement: Retirement = _found(retirement_for, request, pk)
        steps = steps_of(retirement.request) if retirement.request else []
        subject = retirement.device or retirement.medium
        number = subject.number if subject else ""
        return download(build_retirement_docx(retirement, steps),
                        f"涉密设备（介质）报废审批表-{number}.docx")


# --- the panel of a device's or medium's page ----------------------------------------------------


def lifecycle_panel(user: Any, obj: Device | Medium) -> dict[str, Any]:
    """What the maintenance and retirement panel of a device's or medium's page shows `user`:
    its maintenances (devices) and retirements, and the links to ask for either — to those
    who may ask, while it is not retired and nothing is open."""
    from ..selectors_lifecycle import retirements_of

    is_device = isinstance(obj, Device)
    maintenances = list(maintenances_of(obj)[:20]) if isinstance(obj, Device) else []
    retirements = list(retirements_of(obj)[:20])
    may_ask = may_ask_for(user, obj) and not services.is_locked(obj)
    busy = any(m.state in (MS.REQUESTED, MS.APPROVED, MS.AWAY) for m in maintenances)
    retiring = any(r.state in (RS.REQUESTED, RS.APPROVED, RS.CLEARED) for r in retirements)
    return {
        "obj": obj, "is_device": is_device, "maintenances": maintenances,
        "retirements": retirements,
        "can_repair": is_device and may_ask and not busy and not retiring,
        "can_retire": may_ask and not busy and not retiring,
        "retire_url": reverse("devices:device_retirement_new" if is_device
                              else "devices:medium_retirement_new", args=[obj.pk]),
    }
