"""Pages of leak-incident handling (rules I1, I2): reporting a leak or suspected leak (any
business user of the unit), and the detail page where the 保密办 cleared for its level (rule
L5) records the report to the 保密局, the remedial measures and the four items of 四不放过,
and closes it; the printed 泄密事件报告."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.core.access import clearance, sees_business_data
from baomi.core.downloads import DOCX, download
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.labels import Level
from baomi.secrets.marks import level_word

from . import services
from .choices import IncidentState
from .docx_incidents import build_incident_docx, incident_report_filename
from .forms_incidents import (
    BureauReportForm,
    CloseForm,
    InvestigationItemForm,
    MeasureForm,
    ReportIncidentForm,
)
from .models import Incident
from .selectors import incident_for
from .selectors_incidents import close_due, measures_of, report_overdue
from .services_incidents import (
    FOUR_ITEMS,
    add_measure,
    can_handle,
    close_incident,
    close_refusal,
    record_bureau_report,
    record_investigation,
    report_incident,
)

# Where the source of an incident is shown: `source_type` → URL name taking its id.
SOURCE_PAGES = {"carriers.carrier": "carriers:carrier_detail",
                "devices.devicecheck": "devices:check_detail"}
ACTIONS = ("bureau_report", "measure", *FOUR_ITEMS, "close")


def source_url(incident: Incident) -> str | None:
    name = SOURCE_PAGES.get(incident.source_type)
    if name is None or incident.source_id is None:
        return None
    try:
        return reverse(name, args=[incident.source_id])
    except NoReverseMatch:
        return None


def level_text(incident: Incident) -> str:
    """The grade as its scheme words it (rule L4: a 商业秘密 never reads as a state level)."""
    return level_word(incident.scheme, incident.level) or str(Level(incident.level).label)


def require_business(request: HttpRequest) -> None:
    """rule T2: the 三员 through their admin roles open no business data."""
    if not sees_business_data(request.user):
        raise Http404


def visible_incident(request: HttpRequest, pk: Any) -> Incident:
    """An incident the user sees (rule L5); 404 otherwise, never telling whether it exists."""
    require_business(request)
    try:
        return incident_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class ReportIncidentView(LoginRequiredMixin, View):
    """rule I1: any business user reports a leak or suspected leak of their unit."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, form, 400)
        user: Any = request.user
        try:
            incident = report_incident(user, unit=user.person.unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The incident was reported to the secrecy office."))
        if incident_for_or_none(user, incident.pk):
            return HttpResponseRedirect(reverse("compliance:incident_detail",
                                                args=[incident.pk]))
        return HttpResponseRedirect(reverse("compliance:incident_report"))

    @staticmethod
    def _form(request: HttpRequest, data: Any = None) -> ReportIncidentForm:
        return ReportIncidentForm(data, clearance=int(clearance(request.user)),
                                  initial={"discovered_at": timezone.localtime().replace(
                                      second=0, microsecond=0, tzinfo=None)})

    @staticmethod
    def _render(request: HttpRequest, form: ReportIncidentForm,
                status: int = 200) -> HttpResponse:
        return render(request, "compliance/incidents_report.html", {"form": form},
                      status=status)


def incident_for_or_none(user: Any, pk: int) -> Incident | None:
    try:
        return incident_for(user, pk)
    except NotFound:
        return None


class IncidentDetailView(LoginRequiredMixin, View):
    """One incident: its timeline (rule I1), measures, the four items of 四不放过 and closing
    (rule I2); `action` = bureau_report, measure, cause, responsibility, rectification,
    education or close — each for the 保密办 cleared for its level while it is not closed."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        incident = visible_incident(request, pk)
        services.record_incident_read(request.user, incident)  # audited from 机密 up
        return render_detail(request, incident)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        incident = visible_incident(request, pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS or not handles_open(request.user, incident):
            raise Http404
        form = action_form(action, request.POST)
        if not form.is_valid():
            return render_detail(request, incident, {action: form}, 400)
        try:
            message = perform(request.user, incident, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_detail(request, incident, {action: form}, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("compliance:incident_detail", args=[incident.pk]))


def handles_open(user: Any, incident: Incident) -> bool:
    return incident.state != IncidentState.CLOSED and can_handle(user, incident)


def action_form(action: str, data: Any = None) -> forms.Form:
    if action == "bureau_report":
        return BureauReportForm(data, prefix=action)
    if action == "measure":
        return MeasureForm(data, prefix=action)
    if action == "close":
        return CloseForm(data, prefix=action)
    return InvestigationItemForm(data, prefix=action, label=FOUR_ITEMS[action])


def perform(user: Any, incident: Incident, action: str, data: dict[str, Any]) -> str:
    if action == "bureau_report":
        record_bureau_report(user, incident, reported_at=data["reported_at"],
                             reported_to=data["reported_to"])
        return _("The report to the secrecy bureau was recorded.")
    if action == "measure":
        add_measure(user, incident, taken_at=data["taken_at"], measure=data["measure"])
        return _("The remedial measure was recorded.")
    if action == "close":
        close_incident(user, incident)
        return _("The incident was closed.")
    record_investigation(user, incident, on=data["on"], **{action: data["text"]})
    return _("The investigation was recorded.")


def render_detail(request: HttpRequest, incident: Incident,
                  bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    """The detail page; `bound` holds the form that was posted, with its errors."""
    bound = bound or {}
    handles = handles_open(request.user, incident)
    forms_of = {action: bound.get(action) or action_form(action) for action in ACTIONS
                } if handles else {}
    refusal = close_refusal(incident) if handles else None
    items = [{"name": name, "label": label, "text": getattr(incident, name),
              "on": getattr(incident, f"{name}_on"), "form": forms_of.get(name)}
             for name, label in FOUR_ITEMS.items()]
    return render(request, "compliance/incident_detail.html", {
        "incident": incident, "source_url": source_url(incident),
        "level": level_text(incident), "audited": services.read_is_audited(incident),
        "report_overdue": report_overdue(incident), "close_due": close_due(incident),
        "measures": measures_of(incident), "items": items, "forms": forms_of,
        "close_refusal": refusal.message if refusal else None}, status=status)


class IncidentReportDocxView(LoginRequiredMixin, View):
    """The printed 泄密事件报告 of one incident (.docx)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        incident = visible_incident(request, pk)
        services.record_incident_read(request.user, incident)  # audited from 机密 up
        return download(build_incident_docx(incident), incident_report_filename(incident),
                        DOCX)
