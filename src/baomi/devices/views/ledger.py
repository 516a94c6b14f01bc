"""The device ledgers (rules D1, D9): the list of one family with its filters, registration
(逐台备案) by the 保密办, the .xlsx export, and one device with its users, its level and the
actions of the 保密办 (rule D2).

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Person
from baomi.compliance.services import q7_shortfalls
from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error
from baomi.core.labels import Level
from baomi.core.paging import keyset_page

from .. import services
from ..choices import DeviceFamily, DeviceState
from ..exports import ledger_title, write_devices
from ..forms import (
    DeviceForm,
    DeviceLevelForm,
    DeviceUpdateForm,
    DeviceUserForm,
    RemoveUserForm,
    departments,
)
from ..models import Device, DeviceUser
from ..selectors import manages_devices
from .common import XLSX, is_office, office_unit, require_business, visible_device
from .filters import device_filters, ledger_devices, query_of

OFFICE_ACTIONS = ("update", "add_user", "remove_user", "level")


class DeviceListView(LoginRequiredMixin, View):
    """The ledger of the devices the user sees (rule L5), one family at a time (rule D9)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = device_filters(request.GET)
        page = keyset_page(ledger_devices(request.user, filters), request)
        user: Any = request.user
        return render(request, "devices/device_list.html", {
            "page": page, "filters": filters, "families": DeviceFamily.choices,
            "levels": Level.choices, "states": DeviceState.choices,
            "departments": departments(user.person.unit_id),
            "title": ledger_title(filters["family"]), "can_manage": is_office(request),
            "export_query": urlencode(query_of(filters))})


class DeviceNewView(LoginRequiredMixin, View):
    """逐台备案 (rule D1) by the 保密办."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        user: Any = request.user
        form = DeviceForm(unit_id=unit.pk, initial={
            "in_use_on": timezone.localdate(), "responsible": user.person_id,
            "level": int(Level.SECRET)})
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = DeviceForm(request.POST, unit_id=unit.pk)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            device = services.register_device(
                request.user, unit=unit, department=data["department"], number=data["number"],
                kind=data["kind"], level=data["level"], responsible=data["responsible"],
                location=data["location"], in_use_on=data["in_use_on"], model=data["model"],
                serial_no=data["serial_no"], asset_no=data["asset_no"],
                disk_serial=data["disk_serial"], mac=data["mac"], os=data["os"],
                os_installed_on=data["os_installed_on"], phone_line=data["phone_line"],
                room=data["room"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The device was registered."))
        return HttpResponseRedirect(reverse("devices:device_detail", args=[device.pk]))

    def _render(self, request: HttpRequest, form: DeviceForm, status: int = 200
                ) -> HttpResponse:
        return render(request, "devices/device_new.html", {"form": form}, status=status)


class DeviceExportView(LoginRequiredMixin, View):
    """The filtered ledger of one family as .xlsx, streamed and audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        require_business(request)
        filters = device_filters(request.GET)
        devices = ledger_devices(request.user, filters).order_by("-id")
        output, rows = write_devices(devices.iterator(chunk_size=2000), filters["family"])
        user: Any = request.user
        services.record_devices_export(user, user.person.unit_id, query_of(filters), rows)
        name = f"devices-{filters['family']}-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


def _form(action: str, device: Device, data: Any = None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": action}
    if action == "update":
        return DeviceUpdateForm(data, unit_id=device.unit_id, initial={
            "location": device.location, "responsible": device.responsible_id,
            "state": device.state, "room": device.room_id}, **kwargs)
    if action == "add_user":
        return DeviceUserForm(data, unit_id=device.unit_id, **kwargs)
    if action == "remove_user":
        return RemoveUserForm(data, **kwargs)
    return DeviceLevelForm(data, initial={"level": device.level}, **kwargs)


def _perform(request: HttpRequest, device: Device, action: str, data: dict[str, Any]) -> str:
    user = request.user
    if action == "update":
        services.update_device(user, device, location=data["location"],
                               responsible=data["responsible"], state=data["state"],
                               room=data["room"])
        return _("The device was updated.")
    if action == "add_user":
        services.add_device_user(user, device, data["person"])
        return _("The user was added.")
    if action == "remove_user":
        person = Person.objects.filter(pk=data["person"], unit_id=device.unit_id).first()
        if person is None:
            raise Http404
        services.remove_device_user(user, device, person)
        return _("The user was removed.")
    services.change_device_level(user, device, data["level"])
    return _("The level was changed.")


class DeviceDetailView(LoginRequiredMixin, View):
    """One device: every column of the ledger, its users; for the 保密办 the forms to update
    it, add and remove users and change its level (rule D2). Opening a 机密 or 绝密 device is
    audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = visible_device(request, pk)
        services.record_device_read(request.user, device)  # audited from 机密 up
        return self._render(request, device)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = visible_device(request, pk)
        action = request.POST.get("action", "")
        if action not in OFFICE_ACTIONS or not manages_devices(request.user, device.unit_id):
            raise Http404
        form = _form(action, device, request.POST)
        if not form.is_valid():
            return self._render(request, device, {action: form}, 400)
        try:
            message = _perform(request, device, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, device, {action: form}, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("devices:device_detail", args=[device.pk]))

    def _render(self, request: HttpRequest, device: Device,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        # rule D8: a retired device is locked; its page keeps only a refused form's error.
        office = manages_devices(request.user, device.unit_id) \
            and not services.is_locked(device)
        shown = {action: (bound or {}).get(action) or _form(action, device)
                 for action in ("update", "add_user", "level")} if office else {
            action: form for action, form in (bound or {}).items() if action != "remove_user"}
        users = (DeviceUser.objects.filter(device=device).select_related("person__department")
                 .order_by("person__name", "id"))
        return render(request, "devices/device_detail.html", {
            "device": device, "office": office, "forms": shown, "users": users,
            "remove_error": (bound or {}).get("remove_user"),
            "audited": services.read_is_audited(device), **room_status(device)},
            status=status)


def room_status(device: Device) -> dict[str, Any]:
    """The secure room the device stands in and, for a 机密 or 绝密 server, what that room
    lacks to meet rule Q7 (no room at all included)."""
    room = device.room
    needed = services.needs_secure_room(device.kind, device.level)
    shortfalls = q7_shortfalls(room) if room is not None or needed else []
    return {"room": room, "room_needed": needed, "room_shortfalls": shortfalls}
