"""Pages of inspections and rectifications (rules Q9, Q10): the list of inspections with the
form that starts one, the inspection sheet (areas and items: result, finding, evidence, the
rectification of a problem, completing), the rectification ledger (整改台帐) with its .xlsx
export, "my rectifications" for their owners, and one rectification's page where the owner
records the measures and the 保密办 re-checks."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.downloads import XLSX, download, require_business
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from . import services_inspections as services
from .choices_inspections import InspectionKind, InspectionState, ItemResult, RectificationState
from .docx_inspections import build_inspection_docx, build_notice_docx, inspection_filename
from .exports_inspections import ledger_filename, write_ledger
from .forms_inspections import (
    CompleteForm,
    EvidenceForm,
    InspectionForm,
    ItemResultForm,
    MeasuresForm,
    RecheckForm,
    RectificationForm,
)
from .models import Inspection, InspectionEvidence, InspectionItem, Rectification
from .selectors_inspections import (
    HANDLERS,
    evidence_for,
    inspection_for,
    inspections_visible_to,
    overdue,
    rectification_for,
    rectifications_visible_to,
)


def handled_unit(request: HttpRequest) -> Unit:
    """The unit whose inspections the user handles (保密办 or leader); 404 for anyone else
    (rule T2: the 三员 open no business data)."""
    user: Any = request.user
    if not sees_business_data(user) or user.person.unit_id not in unit_perimeter(
            user, HANDLERS):
        raise Http404
    unit: Unit = user.person.unit
    return unit


def is_office(request: HttpRequest, unit_id: int) -> bool:
    return unit_id in unit_perimeter(request.user, {Role.SECRECY_OFFICE})


def visible_inspection(request: HttpRequest, pk: Any) -> Inspection:
    try:
        return inspection_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def visible_rectification(request: HttpRequest, pk: Any) -> Rectification:
    require_business(request)
    try:
        return rectification_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _choice(request: HttpRequest, name: str, values: list[str]) -> str:
    value = request.GET.get(name, "")
    return value if value in values else ""


class InspectionListView(LoginRequiredMixin, View):
    """Inspections of the unit (filters: kind, year, state); the 保密办 starts one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = handled_unit(request)
        return self._render(request, unit, InspectionForm(unit=unit))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = handled_unit(request)
        form = InspectionForm(request.POST, unit=unit)
        if not form.is_valid():
            return self._render(request, unit, form, 400)
        try:
            inspection = services.start_inspection(request.user, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, unit, form, exc.status)
        messages.success(request, _("The inspection was started."))
        return HttpResponseRedirect(reverse("compliance:inspection_detail",
                                            args=[inspection.pk]))

    def _render(self, request: HttpRequest, unit: Unit, form: InspectionForm,
                status: int = 200) -> HttpResponse:
        inspections = inspections_visible_to(request.user).annotate(
            problem_count=Count("items", filter=Q(items__result=ItemResult.PROBLEM)))
        filters = {"kind": _choice(request, "kind", InspectionKind.values),
                   "state": _choice(request, "state", InspectionState.values),
                   "year": parse_key(request.GET.get("year"))}
        for field, value in filters.items():
            if value:
                inspections = inspections.filter(**{field: value})
        return render(request, "compliance/inspections_list.html", {
            "page": keyset_page(inspections, request), "form": form, "filters": filters,
            "kinds": InspectionKind.choices, "states": InspectionState.choices,
            "can_start": is_office(request, unit.pk)}, status=status)


class InspectionDetailView(LoginRequiredMixin, View):
    """The inspection sheet: every area with its items; on a draft the 保密办 records each
    item's result, opens the rectification of a problem, attaches evidence and completes."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return render_sheet(request, visible_inspection(request, pk))


def render_sheet(request: HttpRequest, inspection: Inspection,
                 errors: dict[int | str, Any] | None = None,
                 forms_: dict[str, forms.Form] | None = None,
                 status: int = 200) -> HttpResponse:
    errors = errors or {}
    editable = inspection.state == InspectionState.DRAFT and is_office(request,
                                                                       inspection.unit_id)
    items = list(inspection.items.prefetch_related(
        Prefetch("evidence", queryset=InspectionEvidence.objects.order_by("id"))))
    rectifications = {r.item_id: r for r in Rectification.objects.filter(
        item__inspection=inspection).select_related("owner__person")}
    rectification_form = RectificationForm(unit=inspection.unit)
    areas: list[dict[str, Any]] = []
    for item in items:
        if not areas or areas[-1]["code"] != item.area_code:
            areas.append({"code": item.area_code, "title": item.area_title, "rows": []})
        areas[-1]["rows"].append({"item": item, "rectification": rectifications.get(item.pk),
                                  "error": errors.get(item.pk)})
    counts = {result: sum(1 for item in items if item.result == result)
              for result in ItemResult.values}
    return render(request, "compliance/inspections_detail.html", {
        "inspection": inspection, "areas": areas, "editable": editable, "counts": counts,
        "results": ItemResult.choices, "rectification_form": rectification_form,
        "complete_form": (forms_ or {}).get("complete") or CompleteForm(),
        "sheet_error": errors.get("sheet")}, status=status)


class InspectionItemActionView(LoginRequiredMixin, View):
    """POST on an item of a draft inspection: `result`, `rectification` or `evidence`."""

    def post(self, request: HttpRequest, pk: Any, item_pk: Any, action: str) -> HttpResponse:
        inspection = visible_inspection(request, pk)
        item = InspectionItem.objects.filter(pk=parse_key(item_pk) or 0,
                                             inspection=inspection).first()
        if item is None or action not in ("result", "rectification", "evidence"):
            raise Http404
        form = self._form(request, inspection, action)
        if not form.is_valid():
            message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
            return render_sheet(request, inspection, {item.pk: message}, status=400)
        try:
            self._perform(request, item, action, form.cleaned_data)
        except DomainError as exc:
            return render_sheet(request, inspection, {item.pk: exc.message}, status=exc.status)
        return HttpResponseRedirect(
            reverse("compliance:inspection_detail", args=[inspection.pk]) + f"#item-{item.pk}")

    @staticmethod
    def _form(request: HttpRequest, inspection: Inspection, action: str) -> forms.Form:
        if action == "result":
            return ItemResultForm(request.POST)
        if action == "rectification":
            return RectificationForm(request.POST, unit=inspection.unit)
        return EvidenceForm(request.POST, request.FILES)

    @staticmethod
    def _perform(request: HttpRequest, item: InspectionItem, action: str,
                 data: dict[str, Any]) -> None:
        if action == "result":
            services.record_item_result(request.user, item, **data)
        elif action == "rectification":
            services.open_rectification(request.user, item, **data)
        else:
            services.add_evidence(request.user, item, title=data["title"],
                                  uploaded_file=data["file"])


class InspectionCompleteView(LoginRequiredMixin, View):
    """Complete a draft inspection (rule Q10: refused while a problem lacks its
    rectification)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        inspection = visible_inspection(request, pk)
        form = CompleteForm(request.POST)
        if not form.is_valid():
            return render_sheet(request, inspection, forms_={"complete": form}, status=400)
        try:
            services.complete_inspection(request.user, inspection, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_sheet(request, inspection, forms_={"complete": form},
                                status=exc.status)
        messages.success(request, _("The inspection was completed."))
        return HttpResponseRedirect(reverse("compliance:inspection_detail",
                                            args=[inspection.pk]))


class InspectionDocxView(LoginRequiredMixin, View):
    """The printed 自查自评表 / 检查记录表 of an inspection."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        inspection = visible_inspection(request, pk)
        return download(build_inspection_docx(inspection), inspection_filename(inspection))


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file of an inspection the user sees, as a download."""

    def get(self, request: HttpRequest, pk: Any) -> FileResponse:
        try:
            evidence = evidence_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        name = f"{evidence.title}.{services.file_extension(str(evidence.file.name or ''))}"
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)


def filtered_rectifications(request: HttpRequest,
                            rectifications: QuerySet[Rectification]) -> tuple[
                                QuerySet[Rectification], dict[str, Any]]:
    """The ledger's filters: state, overdue, owner."""
    filters = {"state": _choice(request, "state", RectificationState.values),
               "overdue": request.GET.get("overdue") == "1",
               "owner": parse_key(request.GET.get("owner"))}
    if filters["state"]:
        rectifications = rectifications.filter(state=filters["state"])
    if filters["overdue"]:
        rectifications = overdue(rectifications)
    owner = parse_key(request.GET.get("owner"))
    if owner:
        rectifications = rectifications.filter(owner_id=owner)
    return rectifications, filters


class RectificationListView(LoginRequiredMixin, View):
    """The rectification ledger (整改台帐) of the unit, or the user's own ones (`mine`)."""

    mine = False

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        user: Any = request.user
        if self.mine:
            rectifications = rectifications_visible_to(user).filter(owner_id=int(user.pk))
        else:
            handled_unit(request)
            rectifications = rectifications_visible_to(user).filter(
                unit_id__in=unit_perimeter(user, HANDLERS))
        rectifications, filters = filtered_rectifications(request, rectifications)
        return render(request, "compliance/inspections_rectifications.html", {
            "page": keyset_page(rectifications, request), "filters": filters,
            "states": RectificationState.choices, "mine": self.mine,
            "today": timezone.localdate()})


class RectificationExportView(LoginRequiredMixin, View):
    """The rectification ledger as .xlsx, with the page's filters."""

    def get(self, request: HttpRequest) -> FileResponse:
        handled_unit(request)
        user: Any = request.user
        rectifications, _filters = filtered_rectifications(
            request, rectifications_visible_to(user).filter(
                unit_id__in=unit_perimeter(user, HANDLERS)))
        rows = rectifications.annotate(check_count=Count("checks")).order_by("id")
        output, _count = write_ledger(rows.iterator(chunk_size=2000))
        return FileResponse(output, as_attachment=True, filename=ledger_filename(),
                            content_type=XLSX)


class RectificationDetailView(LoginRequiredMixin, View):
    """One rectification: the owner records the measures, the 保密办 re-checks."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        rectification = visible_rectification(request, pk)
        return self._render(request, rectification, MeasuresForm(), RecheckForm())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        rectification = visible_rectification(request, pk)
        action = request.POST.get("action")
        measures_form = MeasuresForm(request.POST if action == "measures" else None)
        recheck_form = RecheckForm(request.POST if action == "recheck" else None)
        form: forms.Form = measures_form if action == "measures" else recheck_form
        if action not in ("measures", "recheck") or not form.is_valid():
            return self._render(request, rectification, measures_form, recheck_form, 400)
        try:
            if action == "measures":
                services.record_measures(request.user, rectification, **form.cleaned_data)
            else:
                services.recheck_rectification(request.user, rectification,
                                               **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, rectification, measures_form, recheck_form,
                                exc.status)
        messages.success(request, _("The rectification was saved."))
        return HttpResponseRedirect(reverse("compliance:rectification_detail",
                                            args=[rectification.pk]))

    def _render(self, request: HttpRequest, rectification: Rectification,
                measures_form: MeasuresForm, recheck_form: RecheckForm,
                status: int = 200) -> HttpResponse:
        user: Any = request.user
        office = is_office(request, rectification.unit_id)
        state = rectification.state
        return render(request, "compliance/inspections_rectification.html", {
            "rectification": rectification, "checks": rectification.checks.select_related(
                "checked_by__person"),
            "overdue": state == RectificationState.OPEN
            and rectification.due_on < timezone.localdate(),
            "can_record": state == RectificationState.OPEN
            and (office or rectification.owner_id == user.pk),
            "can_recheck": state == RectificationState.DONE and office,
            "can_see_inspection": rectification.item is not None and inspections_visible_to(
                user).filter(pk=rectification.item.inspection_id).exists(),
            "measures_form": measures_form, "recheck_form": recheck_form}, status=status)


class RectificationNoticeView(LoginRequiredMixin, View):
    """The printed 整改通知书 of one rectification."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        rectification = visible_rectification(request, pk)
        return download(build_notice_docx(rectification),
                        f"整改通知书-{rectification.pk}.docx")
