"""Recording a password change of a classified device (rule D6).

The panel on the device page (`templatetags/devices_passwords.py`) posts its form here; a
refusal is shown on the form, on a page of its own with the refusal's status; success goes
back to the device page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error

from .. import services
from ..forms_passwords import PasswordChangeForm
from ..models import Device
from ..services.common import today
from ..services.passwords import is_classified
from .common import visible_device


def password_panel(user: Any, device: Device) -> dict[str, Any]:
    """What the password panel of a device page shows `user`: nothing for a 非密 device."""
    if not is_classified(device):
        return {"device": None}
    rules = services.password_rules(device)
    due_on = services.password_due_on(device, rules["change_days"])
    may_record = services.may_record_password(user, device)
    overdue = device.password_changed_on is None or (due_on is not None and due_on < today())
    return {"device": device, "rules": rules, "due_on": due_on, "overdue": overdue,
            "form": PasswordChangeForm(auto_id="password_%s") if may_record else None}


class DevicePasswordView(LoginRequiredMixin, View):
    """The form recording a password change: shown on GET (also where the panel's refused
    post lands), performed on POST by the 保密办 or the device's responsible person."""

    def _device(self, request: HttpRequest, pk: int) -> Device:
        device = visible_device(request, pk)
        if not is_classified(device) or not services.may_record_password(request.user, device):
            raise Http404
        return device

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self._device(request, pk)
        return self._render(request, device, PasswordChangeForm(auto_id="password_%s"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self._device(request, pk)
        form = PasswordChangeForm(request.POST, auto_id="password_%s")
        if not form.is_valid():
            return self._render(request, device, form, 400)
        try:
            services.record_password_change(request.user, device, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, device, form, exc.status)
        messages.success(request, _("The password change was recorded."))
        return HttpResponseRedirect(reverse("devices:device_detail", args=[device.pk]))

    def _render(self, request: HttpRequest, device: Device, form: PasswordChangeForm,
                status: int = 200) -> HttpResponse:
        return render(request, "devices/device_password_page.html", {
            **password_panel(request.user, device), "form": form}, status=status)
