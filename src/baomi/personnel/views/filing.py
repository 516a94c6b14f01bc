"""Pages of the 保密津贴 sheet (rule P15) and the 备案 (rule P16), with their .xlsx exports.
The 保密办 only: anyone else gets 403 (AccessDenied from `filing.filing_units`)."""

from datetime import date
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error

from .. import filing
from ..exports_filing import write_allowance, write_filing
from ..services.filing import record_filing_export
from .people import XLSX, PersonnelView


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=7,
                            widget=forms.TextInput(attrs={"type": "month"}))


class RangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def month_of(request: HttpRequest) -> tuple[MonthForm, date | None]:
    """The month asked for (default: this one); None with the form's error when invalid."""
    data = request.GET if "month" in request.GET else {
        "month": f"{timezone.localdate():%Y-%m}"}
    form = MonthForm(data)
    if not form.is_valid():
        return form, None
    try:
        return form, filing.parse_month(form.cleaned_data["month"])
    except DomainError as exc:
        add_domain_error(form, exc)
        return form, None


def range_of(request: HttpRequest) -> tuple[RangeForm, tuple[date, date] | None]:
    """The date range asked for (default: this year); None with the form's error."""
    start, end = filing.this_year()
    data = request.GET if request.GET else {"date_from": start, "date_to": end}
    form = RangeForm(data)
    if not form.is_valid():
        return form, None
    chosen = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    try:
        filing.check_range(*chosen)
    except DomainError as exc:
        add_domain_error(form, exc)
        return form, None
    return form, chosen


class AllowanceView(PersonnelView):
    """保密津贴 for one month: a row per person in post, pro-rated, with the total."""

    template_name = "personnel/filing_allowance.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        filing.filing_units(request.user)
        form, month = month_of(request)
        sheet = filing.allowance(request.user, month) if month else None
        return render(request, self.template_name, {"form": form, "sheet": sheet},
                      status=200 if sheet else 400)


class AllowanceExportView(PersonnelView):
    """The month's sheet as .xlsx for payroll, audited."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        filing.filing_units(request.user)
        form, month = month_of(request)
        if month is None:
            return render(request, AllowanceView.template_name, {"form": form, "sheet": None},
                          status=400)
        sheet = filing.allowance(request.user, month)
        record_filing_export(request.user, "allowance", {"month": f"{month:%Y-%m}"},
                             len(sheet.rows))
        return FileResponse(write_allowance(sheet), as_attachment=True, content_type=XLSX,
                            filename=f"allowance-{month:%Y-%m}.xlsx")


class FilingView(PersonnelView):
    """备案: the changes in a date range, the current roster and the people in their
    脱密期."""

    template_name = "personnel/filing_report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        filing.filing_units(request.user)
        form, chosen = range_of(request)
        report = filing.filing(request.user, *chosen) if chosen else None
        return render(request, self.template_name, {
            "form": form, "report": report, "query": request.GET.urlencode(),
        }, status=200 if report else 400)


class FilingExportView(PersonnelView):
    """The 备案 as .xlsx (changes, roster, 脱密期人员), audited."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        filing.filing_units(request.user)
        form, chosen = range_of(request)
        if chosen is None:
            return render(request, FilingView.template_name,
                          {"form": form, "report": None, "query": ""}, status=400)
        report = filing.filing(request.user, *chosen)
        user: Any = request.user
        record_filing_export(user, "filing", {"date_from": chosen[0].isoformat(),
                                              "date_to": chosen[1].isoformat()},
                             len(report.changes) + len(report.roster)
                             + len(report.declassifying))
        name = f"personnel-filing-{chosen[0]:%Y%m%d}-{chosen[1]:%Y%m%d}.xlsx"
        return FileResponse(write_filing(report), as_attachment=True, content_type=XLSX,
                            filename=name)
