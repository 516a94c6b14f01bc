"""Pages of classified information systems (rules D2, D10, L5): the list with the next risk
assessment due, registering a system, and its page with its devices and assessments.

A system is opened only by those who see it (selectors_systems, a 404 otherwise); the forms
are shown to the 保密办 of its unit, and a refusal of a service is shown on its form with the
refusal's status.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from .. import services
from ..forms_systems import AssessmentForm, SystemDeviceForm, SystemForm
from ..models import ClassifiedSystem, RiskAssessment
from ..selectors import devices_visible_to
from ..selectors_systems import may_manage_system, system_for, systems_visible_to, with_status
from ..services.common import today
from .common import is_office, office_unit, require_business


def due_status(system: ClassifiedSystem) -> dict[str, Any]:
    """rule D10: the next assessment's day and whether it is past (the day itself is not)."""
    due = services.next_assessment_due(system)
    return {"system": system, "due_on": due, "overdue": due < today()}


def visible_system(request: HttpRequest, pk: Any) -> ClassifiedSystem:
    """A system the user sees (rule L5); 404 otherwise, never telling whether it exists."""
    require_business(request)
    try:
        return system_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class SystemListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        systems = with_status(systems_visible_to(request.user)).select_related("unit")
        page = keyset_page(systems, request)
        return render(request, "devices/system_list.html", {
            "title": _("Classified information systems"), "page": page,
            "rows": [due_status(system) for system in page.items],
            "can_manage": is_office(request)})


class SystemCreateView(LoginRequiredMixin, View):
    """The 保密办 registers a system; its devices are added on its page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        return self._render(request, SystemForm(unit_id=unit.pk))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = SystemForm(request.POST, unit_id=unit.pk)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            system = services.register_system(request.user, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The system was registered."))
        return HttpResponseRedirect(reverse("devices:system_detail", args=[system.pk]))

    def _render(self, request: HttpRequest, form: SystemForm, status: int = 200) -> HttpResponse:
        return render(request, "devices/system_form.html", {
            "title": _("Register a classified information system"), "form": form},
            status=status)


class SystemDetailView(LoginRequiredMixin, View):
    """The system, its devices and assessments; the 保密办 adds or removes a device and
    records an assessment (`action` = add_device, remove_device or assess)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        system = visible_system(request, pk)
        return self._render(request, system, {})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        system = visible_system(request, pk)
        if not may_manage_system(request.user, system):
            raise Http404
        action = request.POST.get("action")
        form = self._form(request, system, action)
        if form is None:
            raise Http404
        if not form.is_valid():
            return self._render(request, system, {str(action): form}, 400)
        try:
            self._perform(request, system, str(action), form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, system, {str(action): form}, exc.status)
        return HttpResponseRedirect(reverse("devices:system_detail", args=[system.pk]))

    def _form(self, request: HttpRequest, system: ClassifiedSystem,
              action: Any) -> Form | None:
        data = request.POST
        if action == "add_device":
            return SystemDeviceForm(data, prefix=action, devices=self._candidates(request,
                                                                                   system))
        if action == "remove_device":
            return SystemDeviceForm(data, prefix=action, devices=system.devices.all())
        if action == "assess":
            return AssessmentForm(data, prefix=action)
        return None

    def _perform(self, request: HttpRequest, system: ClassifiedSystem, action: str,
                 data: dict[str, Any]) -> None:
        if action == "add_device":
            services.add_system_device(request.user, system, data["device"])
            messages.success(request, _("The device was added to the system."))
        elif action == "remove_device":
            services.remove_system_device(request.user, system, data["device"])
            messages.success(request, _("The device was removed from the system."))
        else:
            services.record_assessment(request.user, system, **data)
            messages.success(request, _("The risk assessment was recorded."))

    def _candidates(self, request: HttpRequest, system: ClassifiedSystem) -> Any:
        """Devices of the unit the user sees, not yet in the system."""
        return (devices_visible_to(request.user).filter(unit_id=system.unit_id)
                .exclude(systems=system).order_by("number", "id"))

    def _render(self, request: HttpRequest, system: ClassifiedSystem, bound: dict[str, Form],
                status: int = 200) -> HttpResponse:
        manage = may_manage_system(request.user, system)
        forms: dict[str, Form] = {}
        if manage:
            forms = {"add_device": SystemDeviceForm(
                         prefix="add_device", devices=self._candidates(request, system)),
                     "assess": AssessmentForm(prefix="assess"), **bound}
        return render(request, "devices/system_detail.html", {
            **due_status(system), "manage": manage, "forms": forms,
            "remove_error": bound.get("remove_device"),
            "devices": system.devices.order_by("number", "id"),
            "assessments": RiskAssessment.objects.filter(system=system),
            "months": services.assessment_months(system)}, status=status)
