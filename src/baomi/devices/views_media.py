"""Pages of removable media in use (rule D4).

The panels on the computer and medium pages (`templatetags/devices_media.py`) post their
forms here: bind a medium to a computer, unbind, check out, take back with the check of what
was written. A refusal is shown on the form, on a page of its own with the refusal's status;
success goes back to the computer or medium page. The check-out list: the 保密办 sees its
unit's, everyone else their own.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.core.access import sees_business_data
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import services
from .choices import MediumLoanState
from .forms_media import BindDeviceForm, BindMediumForm, CheckOutForm, ReturnForm
from .models import Device, Medium, MediumBinding, MediumLoan
from .selectors import device_for, manages_devices, medium_for
from .selectors_media import (
    bindable_devices,
    bindable_media,
    binding_for,
    bindings_of_device,
    bindings_of_medium,
    can_check_out,
    is_overdue,
    loans_of_medium,
    medium_loan_for,
    medium_loan_list,
)

BACK_TO = ("device", "medium", "list")


def _business(request: HttpRequest) -> Any:
    """rule T2: the 三员 through their admin roles open no business data."""
    if not sees_business_data(request.user):
        raise Http404
    return request.user


def _found(lookup: Any, request: HttpRequest, pk: Any) -> Any:
    """A visible object; 404 otherwise, never telling whether it exists."""
    try:
        return lookup(_business(request), pk)
    except NotFound:
        raise Http404 from None


def _require_office(request: HttpRequest, unit_id: int) -> None:
    if not manages_devices(request.user, unit_id):
        raise Http404


def _back_to(request: HttpRequest) -> str:
    """Which page a panel's form came from, kept when a refusal shows the form again."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    return back if back in BACK_TO else ""


def device_url(device_id: int) -> str:
    return reverse("devices:device_detail", args=[device_id])


def medium_url(medium_id: int) -> str:
    return reverse("devices:medium_detail", args=[medium_id])


class MediaActionView(LoginRequiredMixin, View):
    """One form of a media action: shown on GET (also where a panel's refused post lands),
    performed on POST."""

    title: Any = ""
    button: Any = ""

    def target(self, request: HttpRequest, pk: int) -> Any:
        raise NotImplementedError

    def make_form(self, target: Any, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def perform(self, request: HttpRequest, target: Any, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def back_url(self, request: HttpRequest, target: Any) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.target(request, pk)
        return self._render(request, target, self.make_form(target))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.target(request, pk)
        form = self.make_form(target, request.POST)
        if not form.is_valid():
            return self._render(request, target, form, 400)
        try:
            message = self.perform(request, target, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, target, form, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(self.back_url(request, target))

    def _render(self, request: HttpRequest, target: Any, form: forms.Form,
                status: int = 200) -> HttpResponse:
        return render(request, "devices/media_action.html", {
            "title": self.title, "button": self.button, "target": target, "form": form,
            "back": self.back_url(request, target),
            "back_to": _back_to(request)}, status=status)


class DeviceBindMediumView(MediaActionView):
    """On a computer: bind one of the unit's media to it (rule D4)."""

    title = gettext_lazy("Bind a medium to this computer")
    button = gettext_lazy("Bind")

    def target(self, request: HttpRequest, pk: int) -> Device:
        device: Device = _found(device_for, request, pk)
        _require_office(request, device.unit_id)
        if not services.takes_media(device):
            raise Http404
        return device

    def make_form(self, target: Device, data: Any = None) -> forms.Form:
        return BindMediumForm(data, media=bindable_media(self.request.user, target),
                              auto_id="bind_%s")

    def perform(self, request: HttpRequest, target: Device, data: dict[str, Any]) -> str:
        services.bind_medium(request.user, data["medium"], target, bound_on=data["bound_on"])
        return _("The medium was bound to the computer.")

    def back_url(self, request: HttpRequest, target: Device) -> str:
        return device_url(target.pk)


class MediumBindView(MediaActionView):
    """On a medium: bind it to one of the unit's computers (rule D4)."""

    title = gettext_lazy("Bind this medium to a computer")
    button = gettext_lazy("Bind")

    def target(self, request: HttpRequest, pk: int) -> Medium:
        medium: Medium = _found(medium_for, request, pk)
        _require_office(request, medium.unit_id)
        return medium

    def make_form(self, target: Medium, data: Any = None) -> forms.Form:
        return BindDeviceForm(data, devices=bindable_devices(self.request.user, target),
                              auto_id="bind_%s")

    def perform(self, request: HttpRequest, target: Medium, data: dict[str, Any]) -> str:
        services.bind_medium(request.user, target, data["device"], bound_on=data["bound_on"])
        return _("The medium was bound to the computer.")

    def back_url(self, request: HttpRequest, target: Medium) -> str:
        return medium_url(target.pk)


class UnbindForm(forms.Form):
    back = forms.ChoiceField(choices=[("device", "device"), ("medium", "medium")],
                             required=False, widget=forms.HiddenInput)


class UnbindView(MediaActionView):
    """End a binding (保密办); back to the page it was ended from."""

    title = gettext_lazy("Unbind the medium from the computer")
    button = gettext_lazy("Unbind")

    def target(self, request: HttpRequest, pk: int) -> MediumBinding:
        binding: MediumBinding = _found(binding_for, request, pk)
        _require_office(request, binding.device.unit_id)
        return binding

    def make_form(self, target: MediumBinding, data: Any = None) -> forms.Form:
        return UnbindForm(data)

    def perform(self, request: HttpRequest, target: MediumBinding, data: dict[str, Any]
                ) -> str:
        services.unbind_medium(request.user, target)
        return _("The medium was unbound from the computer.")

    def back_url(self, request: HttpRequest, target: MediumBinding) -> str:
        if _back_to(request) == "medium":
            return medium_url(target.medium_id)
        return device_url(target.device_id)


class CheckOutView(MediaActionView):
    """Check a medium in store out to a person cleared for it (rule D4)."""

    title = gettext_lazy("Check out the medium")
    button = gettext_lazy("Check out")

    def target(self, request: HttpRequest, pk: int) -> Medium:
        medium: Medium = _found(medium_for, request, pk)
        _require_office(request, medium.unit_id)
        return medium

    def make_form(self, target: Medium, data: Any = None) -> forms.Form:
        return CheckOutForm(data, unit_id=target.unit_id, auto_id="out_%s")

    def perform(self, request: HttpRequest, target: Medium, data: dict[str, Any]) -> str:
        services.check_out_medium(request.user, target, person=data["person"],
                                  purpose=data["purpose"], due_on=data["due_on"])
        return _("The medium was checked out.")

    def back_url(self, request: HttpRequest, target: Medium) -> str:
        return medium_url(target.pk)


class ReturnView(MediaActionView):
    """Take a medium back and record what was written on it (返回信息清除情况, rule D4)."""

    title = gettext_lazy("Take the medium back")
    button = gettext_lazy("Take back")

    def target(self, request: HttpRequest, pk: int) -> MediumLoan:
        loan: MediumLoan = _found(medium_loan_for, request, pk)
        _require_office(request, loan.medium.unit_id)
        return loan

    def make_form(self, target: MediumLoan, data: Any = None) -> forms.Form:
        return ReturnForm(data, auto_id="return_%s")

    def perform(self, request: HttpRequest, target: MediumLoan, data: dict[str, Any]) -> str:
        services.return_medium(request.user, target, content_check=data["content_check"],
                               content_note=data["content_note"])
        return _("The medium was taken back into store.")

    def back_url(self, request: HttpRequest, target: MediumLoan) -> str:
        if _back_to(request) == "list":
            return reverse("devices:medium_loan_list")
        return medium_url(target.medium_id)


class MediumLoanListView(LoginRequiredMixin, View):
    """Check-outs of media: the 保密办 its unit's, others their own; filters out, overdue."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _business(request)
        office = manages_devices(user, user.person.unit_id)
        out = request.GET.get("out") == "1"
        overdue = request.GET.get("overdue") == "1"
        page = keyset_page(medium_loan_list(user, office=office, out=out, overdue=overdue),
                           request)
        rows = [{"loan": loan, "overdue": is_overdue(loan),
                 "can_return": office and loan.state == MediumLoanState.OUT}
                for loan in page.items]
        return render(request, "devices/medium_loan_list.html", {
            "page": page, "rows": rows, "office": office, "out": out, "overdue": overdue})


def device_panel(user: Any, device: Device) -> dict[str, Any]:
    """What the media panel of a computer's page shows `user`."""
    office = manages_devices(user, device.unit_id) and services.takes_media(device)
    return {
        "device": device, "office": office, "takes_media": services.takes_media(device),
        "bindings": list(bindings_of_device(user, device)),
        "bind_form": (BindMediumForm(media=bindable_media(user, device), auto_id="bind_%s")
                      if office and not services.is_locked(device) else None),  # rule D8
    }


def medium_panel(user: Any, medium: Medium) -> dict[str, Any]:
    """What the media panel of a medium's page shows `user`."""
    office = manages_devices(user, medium.unit_id)
    loans = [{"loan": loan, "overdue": is_overdue(loan),
              "return_form": (ReturnForm(auto_id=f"return{loan.pk}_%s")
                              if office and loan.state == MediumLoanState.OUT else None)}
             for loan in loans_of_medium(medium)]
    return {
        "medium": medium, "office": office, "loans": loans,
        "bindings": list(bindings_of_medium(user, medium)),
        "bind_form": (BindDeviceForm(devices=bindable_devices(user, medium), auto_id="bind_%s")
                      if office and not services.is_locked(medium) else None),  # rule D8
        "check_out_form": (CheckOutForm(unit_id=medium.unit_id, auto_id="out_%s")
                           if can_check_out(user, medium) else None),
    }
