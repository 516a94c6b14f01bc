"""The 保密办's overview of a unit (charts with their tables) and the annual self-inspection
reports (rule Q5): generate the year's report, download it, record it as filed."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import clearance, unit_perimeter
from baomi.core.downloads import download
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from . import services_annual
from .forms_annual import FileReportForm, GenerateReportForm
from .models import AnnualReport
from .overview import overview_charts
from .selectors import annual_report_for, annual_reports_visible_to, handled_units


def chosen_unit(request: HttpRequest) -> Unit:
    """The unit asked for (`?unit=`), else the user's own, among those they oversee; 404 when
    they oversee none (rule T2: the 三员 open no business data)."""
    units = handled_units(request.user)
    key = parse_key(request.GET.get("unit") or request.POST.get("unit"))
    user: Any = request.user
    unit = (units.filter(pk=key).first() if key else
            units.filter(pk=user.person.unit_id).first() or units.first())
    if unit is None:
        raise Http404
    return unit


def is_office(request: HttpRequest, unit: Unit) -> bool:
    return unit.pk in unit_perimeter(request.user, {Role.SECRECY_OFFICE})


class OverviewView(LoginRequiredMixin, View):
    """People by category, carriers by level and state, open obligations by month."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = chosen_unit(request)
        charts = overview_charts(unit, timezone.localdate(), int(clearance(request.user)))
        return render(request, "compliance/overview.html", {
            "unit": unit, "units": handled_units(request.user), "charts": charts})


def visible_report(request: HttpRequest, pk: Any) -> AnnualReport:
    try:
        return annual_report_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class AnnualReportListView(LoginRequiredMixin, View):
    """The unit's reports by year; the 保密办 generates the year's report here."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = chosen_unit(request)
        form = GenerateReportForm(initial={"year": timezone.localdate().year})
        return self._render(request, unit, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = chosen_unit(request)
        form = GenerateReportForm(request.POST)
        if not form.is_valid():
            return self._render(request, unit, form, 400)
        try:
            report = services_annual.generate_annual_report(
                request.user, unit=unit, year=form.cleaned_data["year"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, unit, form, exc.status)
        messages.success(request, _("The report of %(year)s was generated.")
                         % {"year": report.year})
        return HttpResponseRedirect(reverse("compliance:annual_report_list")
                                    + f"?unit={unit.pk}")

    def _render(self, request: HttpRequest, unit: Unit, form: GenerateReportForm,
                status: int = 200) -> HttpResponse:
        reports = annual_reports_visible_to(request.user).filter(unit=unit)
        return render(request, "compliance/annual_report_list.html", {
            "unit": unit, "units": handled_units(request.user), "form": form,
            "office": is_office(request, unit), "page": keyset_page(reports, request),
            "file_form": FileReportForm(initial={"filed_on": timezone.localdate()})},
            status=status)


class AnnualReportDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        report = visible_report(request, pk)
        return download(bytes(report.content), f"{report.unit.name}{report.year}年度保密自查报告.docx")


class AnnualReportFileView(LoginRequiredMixin, View):
    """Record a report as filed with the 保密局; it is archived from then on."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        report = visible_report(request, pk)
        form = FileReportForm(request.POST)
        target = reverse("compliance:annual_report_list") + f"?unit={report.unit_id}"
        if form.is_valid():
            try:
                services_annual.file_annual_report(request.user, report, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(target)
            messages.success(request, _("The report was recorded as filed and archived."))
        else:
            messages.error(request, " ".join(f"{form.fields[name].label}：{error}"
                                             for name, errors in form.errors.items()
                                             for error in errors))
        return HttpResponseRedirect(target)
