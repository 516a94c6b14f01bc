"""Pages of scored assessments (rules Q2, Q3): the standards (shipped and imported, with the
import form), the unit's assessments (with the form to start one), the scoring sheet, the
result (where points were lost, veto items not met, the comparison with last year) and the
printed 评分表.

The 保密办 and the leaders of the unit open them; only the 保密办 writes (the services refuse
anyone else, shown on the form). Anyone else, and any object of another unit, gets a 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.downloads import XLSX, download
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import services_assessments as services
from .choices_assessments import AssessmentState
from .docx_assessments import score_sheet_docx
from .exports_assessments import write_assessments
from .forms_assessments import AssessmentForm, ScoreSheetForm, StandardImportForm
from .models import Assessment, Standard
from .selectors_assessments import (
    HANDLERS,
    assessment_for,
    assessment_result,
    assessments_visible_to,
    standard_for,
    standards_visible_to,
)
from .standards import StandardInvalid, items_of


def handler_unit(request: HttpRequest) -> Unit:
    """The user's unit when they are its 保密办 or leader; 404 for anyone else (rule T2: the
    三员 through their admin roles open no business data)."""
    user: Any = request.user
    if not sees_business_data(user) or user.person.unit_id not in unit_perimeter(
            user, HANDLERS):
        raise Http404
    unit: Unit = user.person.unit
    return unit


def is_office(request: HttpRequest) -> bool:
    """Whether the user is the 保密办 of their unit: only they see the forms that write."""
    user: Any = request.user
    return user.person.unit_id in unit_perimeter(user, {Role.SECRECY_OFFICE})


def visible_assessment(request: HttpRequest, pk: Any) -> Assessment:
    handler_unit(request)
    try:
        return assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class StandardListView(LoginRequiredMixin, View):
    """The standards the unit assesses against; the form imports one from YAML."""

    def get(self, request: HttpRequest) -> HttpResponse:
        handler_unit(request)
        services.install_shipped_standards()
        return self._render(request, StandardImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = handler_unit(request)
        form = StandardImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            standard = services.import_standard(request.user, unit=unit,
                                                text=form.cleaned_data["definition"])
        except StandardInvalid as exc:
            for error in exc.errors:
                form.add_error("definition", error)
            return self._render(request, form, exc.status)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The standard was imported."))
        return HttpResponseRedirect(reverse("compliance:standard_detail", args=[standard.pk]))

    def _render(self, request: HttpRequest, form: StandardImportForm,
                status: int = 200) -> HttpResponse:
        page = keyset_page(standards_visible_to(request.user).select_related("unit"), request)
        return render(request, "compliance/assessments_standard_list.html",
                      {"page": page, "form": form, "can_write": is_office(request)},
                      status=status)


class StandardDetailView(LoginRequiredMixin, View):
    """One standard: its groups and items with points, criteria and veto items."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        handler_unit(request)
        try:
            standard: Standard = standard_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        return render(request, "compliance/assessments_standard_detail.html", {
            "standard": standard, "groups": standard.definition["groups"],
            "item_count": len(items_of(standard.definition))})


class AssessmentListView(LoginRequiredMixin, View):
    """The unit's assessments with their score and result; the form starts one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = handler_unit(request)
        services.install_shipped_standards()
        return self._render(request, AssessmentForm(unit=unit))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = handler_unit(request)
        form = AssessmentForm(request.POST, unit=unit)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            assessment = services.start_assessment(request.user, unit=unit,
                                                   **form.assessment_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        return HttpResponseRedirect(reverse("compliance:assessment_sheet",
                                            args=[assessment.pk]))

    def _render(self, request: HttpRequest, form: AssessmentForm,
                status: int = 200) -> HttpResponse:
        page = keyset_page(assessments_visible_to(request.user), request)
        return render(request, "compliance/assessments_list.html",
                      {"page": page, "form": form, "can_write": is_office(request)},
                      status=status)


class AssessmentSheetView(LoginRequiredMixin, View):
    """The scoring sheet of a draft; a completed assessment shows its result instead."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        assessment = visible_assessment(request, pk)
        if assessment.state == AssessmentState.COMPLETED:
            return HttpResponseRedirect(reverse("compliance:assessment_result", args=[pk]))
        return self._render(request, assessment, ScoreSheetForm(assessment=assessment))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        assessment = visible_assessment(request, pk)
        form = ScoreSheetForm(request.POST, assessment=assessment)
        if not form.is_valid():
            return self._render(request, assessment, form, 400)
        try:
            services.score_items(request.user, assessment, form.entries())
        except DomainError as exc:
            add_domain_error(form, exc, field_of=form.field_of)
            return self._render(request, assessment, form, exc.status)
        messages.success(request, _("The scores were saved."))
        return HttpResponseRedirect(reverse("compliance:assessment_sheet", args=[pk]))

    def _render(self, request: HttpRequest, assessment: Assessment, form: ScoreSheetForm,
                status: int = 200) -> HttpResponse:
        return render_sheet(request, assessment, form, status)


def render_sheet(request: HttpRequest, assessment: Assessment, form: ScoreSheetForm,
                 status: int = 200, complete_error: str = "") -> HttpResponse:
    """The sheet, group by group, each item with its text, criteria, points and fields."""
    items = {i.code: i for i in items_of(assessment.standard.definition)}
    groups = [{"code": g["code"], "title": g["title"],
               "rows": [dict(r, item=items[r["row"].item_code])
                        for r in form.sheet_rows() if r["row"].group_code == g["code"]]}
              for g in assessment.standard.definition["groups"]]
    return render(request, "compliance/assessments_sheet.html", {
        "assessment": assessment, "form": form, "groups": groups,
        "complete_error": complete_error, "can_write": is_office(request)}, status=status)


class AssessmentCompleteView(LoginRequiredMixin, View):
    """Complete a fully scored assessment (rule Q3); a refusal shows on the sheet."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        assessment = visible_assessment(request, pk)
        try:
            services.complete_assessment(request.user, assessment)
        except DomainError as exc:
            return render_sheet(request, assessment, ScoreSheetForm(assessment=assessment),
                                exc.status, complete_error=exc.message)
        messages.success(request, _("The assessment was completed."))
        return HttpResponseRedirect(reverse("compliance:assessment_result", args=[pk]))


class AssessmentResultView(LoginRequiredMixin, View):
    """The result: total, pass or fail and why, where points were lost, against last year."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        assessment = visible_assessment(request, pk)
        return render(request, "compliance/assessments_result.html", {
            "assessment": assessment, "result": assessment_result(assessment)})


class AssessmentExportView(LoginRequiredMixin, View):
    """The assessments the user sees as .xlsx, streamed and audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        unit = handler_unit(request)
        assessments = assessments_visible_to(request.user).order_by("-id")
        output, rows = write_assessments(assessments.iterator(chunk_size=2000))
        services.record_assessments_export(request.user, unit.pk, rows)
        name = f"assessments-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


class AssessmentDocxView(LoginRequiredMixin, View):
    """The printed 评分表 of an assessment, to sign."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        assessment = visible_assessment(request, pk)
        return download(score_sheet_docx(assessment),
                        f"评分表-{assessment.year}-{assessment.pk}.docx")
