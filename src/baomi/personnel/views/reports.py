"""Pages of 重大事项报告 (rule P7): my reports (file the annual or an ad hoc report), a person's
reports (the 保密办 may file on their behalf), the 保密办's list of the year, one report.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from ..models import MajorMatterReport, PersonnelFile
from ..selectors.onboarding import file_of_user, may_manage
from ..selectors.people import file_for, managed_units
from ..selectors.reports import (
    annual_counts,
    annual_status,
    may_acknowledge,
    report_for,
    reports_of,
    reports_to_acknowledge,
)
from ..services.reports import acknowledge_report, submit_report

Kind = MajorMatterReport.Kind
MATTER_ROWS = 3


class ReportForm(forms.Form):
    """The 涉密人员重大事项报告表: the kind, a 零报告 checkbox, up to three matters."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of report"), choices=Kind.choices,
                             initial=Kind.ANNUAL)
    year = forms.IntegerField(label=gettext_lazy("Year (annual report)"), required=False,
                              min_value=2000, max_value=2100)
    is_zero = forms.BooleanField(
        label=gettext_lazy("Zero report: I have no major personal matter to report this year"),
        required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = [("", "—"), *MajorMatterReport.MatterCategory.choices]
        for index in range(MATTER_ROWS):
            number = index + 1
            self.fields[f"m{index}_category"] = forms.ChoiceField(
                label=_("Matter %(n)d: category") % {"n": number}, choices=categories,
                required=False)
            self.fields[f"m{index}_date"] = forms.DateField(
                label=_("Matter %(n)d: date") % {"n": number}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}))
            self.fields[f"m{index}_description"] = forms.CharField(
                label=_("Matter %(n)d: description") % {"n": number}, required=False,
                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def matters(self) -> list[dict[str, Any]]:
        """The filled rows; a row partly filled is an error on its empty fields."""
        rows = []
        for index in range(MATTER_ROWS):
            values = {name: self.cleaned_data.get(f"m{index}_{name}")
                      for name in ("category", "date", "description")}
            if not any(values.values()):
                continue
            missing = [name for name, value in values.items() if not value]
            for name in missing:
                self.add_error(f"m{index}_{name}", _("This field is required."))
            rows.append(values)
        return rows




def _report_field(name: str) -> str:
    """`matters.1.date` is the form field `m1_date`."""
    parts = name.split(".")
    return f"m{parts[1]}_{parts[2]}" if parts[0] == "matters" and len(parts) == 3 else name


def _submit(request: HttpRequest, file: PersonnelFile, form: ReportForm
            ) -> tuple[int | None, int]:
    """Submit the form: (the new report's id, 302), or (None, the error status) with the
    errors on the form."""
    if not form.is_valid():
        return None, 400
    matters = form.matters()
    if form.errors:
        return None, 400
    data = form.cleaned_data
    year = (data["year"] or timezone.localdate().year) if data["kind"] == Kind.ANNUAL else None
    try:
        report = submit_report(request.user, file, kind=data["kind"], year=year,
                               is_zero=data["is_zero"], matters=matters)
    except DomainError as exc:
        add_domain_error(form, exc, field_of=_report_field)
        return None, exc.status
    return report.pk, 302


class _ReportsPage(LoginRequiredMixin, View):
    """The reports of one file and, to whoever may file, the report form."""

    def file(self, request: HttpRequest, pk: int | None) -> PersonnelFile | None:
        raise NotImplementedError

    def may_file(self, request: HttpRequest, file: PersonnelFile) -> bool:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        file = self.file(request, pk)
        initial = {"kind": Kind.ANNUAL, "year": timezone.localdate().year}
        return self._render(request, file, ReportForm(initial=initial))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        file = self.file(request, pk)
        if file is None or not self.may_file(request, file):
            raise Http404
        form = ReportForm(request.POST)
        report_id, status = _submit(request, file, form)
        if report_id is None:
            return self._render(request, file, form, status)
        messages.success(request, _("The report was filed."))
        return HttpResponseRedirect(reverse("personnel:report_detail", args=[report_id]))

    def _render(self, request: HttpRequest, file: PersonnelFile | None, form: ReportForm,
                status: int = 200) -> HttpResponse:
        return render(request, "personnel/report_person.html", {
            "file": file, "own": pk_is_own(request, file),
            "reports": reports_of(file) if file is not None else [],
            "form": form if file is not None and self.may_file(request, file) else None,
            "year": timezone.localdate().year,
        }, status=status)


def pk_is_own(request: HttpRequest, file: PersonnelFile | None) -> bool:
    return file is not None and file.person_id == getattr(request.user, "person_id", None)


class MyReportsView(_ReportsPage):
    """我的重大事项报告: the person files the annual report (a 零报告 is one checkbox) or an ad
    hoc report, and sees the earlier ones."""

    def file(self, request: HttpRequest, pk: int | None) -> PersonnelFile | None:
        return file_of_user(request.user)

    def may_file(self, request: HttpRequest, file: PersonnelFile) -> bool:
        return True


class FileReportsView(_ReportsPage):
    """The reports of one person; the 保密办 of the unit may file one on their behalf."""

    def file(self, request: HttpRequest, pk: int | None) -> PersonnelFile | None:
        try:
            return file_for(request.user, pk)
        except NotFound:
            raise Http404 from None

    def may_file(self, request: HttpRequest, file: PersonnelFile) -> bool:
        return may_manage(request.user, file) or pk_is_own(request, file)


def _year(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100 \
        else default


class ReportListView(LoginRequiredMixin, View):
    """The 保密办's page: who in post filed the annual report of a year (零报告 or not) and
    who has not, and the reports with matters still to acknowledge."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not managed_units(request.user):
            raise Http404
        this_year = timezone.localdate().year
        year = _year(request.GET.get("year"), this_year)
        page = keyset_page(annual_status(request.user, year), request)
        filed, total = annual_counts(request.user, year)
        return render(request, "personnel/report_list.html", {
            "year": year, "page": page,
            "years": list(range(this_year, this_year - 5, -1)),
            "filed": filed, "total": total,
            "to_acknowledge": reports_to_acknowledge(request.user)[:100],
        })


class ReportDetailView(LoginRequiredMixin, View):
    """One report; the 保密办 of the unit acknowledges it here."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._report(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._report(request, pk)
        try:
            acknowledge_report(request.user, report)
        except DomainError as exc:
            return self._render(request, report, exc.message, exc.status)
        messages.success(request, _("The report was acknowledged."))
        return HttpResponseRedirect(reverse("personnel:report_detail", args=[report.pk]))

    def _report(self, request: HttpRequest, pk: int) -> MajorMatterReport:
        try:
            return report_for(request.user, pk)
        except NotFound:
            raise Http404 from None

    def _render(self, request: HttpRequest, report: MajorMatterReport, error: str = "",
                status: int = 200) -> HttpResponse:
        labels = dict(MajorMatterReport.MatterCategory.choices)
        matters = [{**m, "label": labels.get(m.get("category"), m.get("category")),
                    "date": date.fromisoformat(m["date"]) if m.get("date") else None}
                   for m in report.matters]
        return render(request, "personnel/report_detail.html", {
            "report": report, "matters": matters, "error": error,
            "can_acknowledge": may_acknowledge(request.user, report),
            "own": pk_is_own(request, report.file),
        }, status=status)
