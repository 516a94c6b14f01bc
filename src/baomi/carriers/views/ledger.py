"""The carrier ledger (涉密载体台帐, rule C1): the list with its filters, registration (登记 /
收文, rule C2), the .xlsx export and import, and the printed ledger of one department or
person.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Department, Person
from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error
from baomi.core.labels import Scheme
from baomi.core.paging import keyset_page
from baomi.secrets.marks import SCHEME_WORDS

from .. import services
from ..choices import CarrierKind, CarrierState
from ..docx_forms import MAX_LEDGER_ROWS, build_ledger_docx
from ..exports import ledger_title, write_carriers
from ..forms import CarrierForm, ImportForm, departments
from ..imports import COLUMNS, GRADES, KINDS, ORIGINS, PERIOD_EXAMPLES, import_ledger, template_workbook
from .common import XLSX, download, is_office, office_unit, require_business
from .display import carrier_mark, copies_text, level_text, place_text, source_text
from .filters import ledger_carriers, ledger_filters, query_of


def level_choices(scheme: str) -> list[tuple[int, str]]:
    """The grades of the scheme as it words them (rule L4)."""
    return list(SCHEME_WORDS.get(scheme, SCHEME_WORDS[Scheme.STATE]).items())


def ledger_row(carrier: Any) -> dict[str, Any]:
    return {"carrier": carrier, "mark": carrier_mark(carrier), "source": source_text(carrier),
            "copies": copies_text(carrier), "place": place_text(carrier),
            "level": level_text(carrier.scheme, carrier.level)}


class CarrierListView(LoginRequiredMixin, View):
    """The ledger of the carriers the user sees (rule L5), one scheme at a time (rule L4)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = ledger_filters(request.GET)
        page = keyset_page(ledger_carriers(request.user, filters), request)
        user: Any = request.user
        return render(request, "carriers/carrier_list.html", {
            "page": page, "rows": [ledger_row(c) for c in page.items], "filters": filters,
            "schemes": Scheme.choices, "levels": level_choices(filters["scheme"]),
            "states": CarrierState.choices, "kinds": CarrierKind.choices,
            "departments": departments(user.person.unit_id),
            "title": ledger_title(filters["scheme"]), "can_manage": is_office(request),
            "export_query": urlencode(query_of(filters))})


class CarrierNewView(LoginRequiredMixin, View):
    """登记 / 收文 (rule C2) by the 保密办."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        user: Any = request.user
        form = CarrierForm(user=user, unit_id=unit.pk, initial={
            "received_on": timezone.localdate(), "scheme": Scheme.STATE, "copies": 1,
            "custodian": user.person_id, "signed_by": user.person_id})
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = CarrierForm(request.POST, user=request.user, unit_id=unit.pk)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            carrier = services.register_carrier(
                request.user, unit=unit, department=data["department"], number=data["number"],
                title=data["title"], kind=data["kind"], scheme=data["scheme"],
                level=data["level"], period_kind=data["period_kind"],
                period_value=data["period_value"], origin=data["origin"],
                received_on=data["received_on"], custodian=data["custodian"],
                container=data["container"], location=data["location"],
                secret_item=data["secret_item"], source_unit=data["source_unit"],
                source_document_no=data["source_document_no"], pages=data["pages"],
                capacity=data["capacity"], copies=data["copies"], copy_no=data["copy_no"],
                signed_by=data["signed_by"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The carrier was registered."))
        return HttpResponseRedirect(reverse("carriers:carrier_detail", args=[carrier.pk]))

    def _render(self, request: HttpRequest, form: CarrierForm, status: int = 200
                ) -> HttpResponse:
        return render(request, "carriers/carrier_new.html", {"form": form}, status=status)


class CarrierExportView(LoginRequiredMixin, View):
    """The filtered ledger as .xlsx (one scheme per file, rule L4), streamed and audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        require_business(request)
        filters = ledger_filters(request.GET)
        carriers = ledger_carriers(request.user, filters).order_by("-id")
        output, rows = write_carriers(carriers.iterator(chunk_size=2000), filters["scheme"])
        user: Any = request.user
        services.record_carrier_export(user, user.person.unit_id, query_of(filters), rows)
        name = f"carriers-{filters['scheme']}-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


class CarrierImportView(LoginRequiredMixin, View):
    """Upload an existing ledger: all rows or none, with a per-row error list."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, office_unit(request), ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, unit, form, status=400)
        result = import_ledger(request.user, unit, form.cleaned_data["file"])
        if result.errors:
            return self._render(request, unit, form, errors=result.errors, status=400)
        messages.success(request, _("Imported %(count)s carriers.") % {"count": result.created})
        return HttpResponseRedirect(reverse("carriers:carrier_list"))

    def _render(self, request: HttpRequest, unit: Any, form: ImportForm, *,
                errors: Any = None, status: int = 200) -> HttpResponse:
        return render(request, "carriers/carrier_import.html", {
            "unit": unit, "form": form, "columns": COLUMNS, "row_errors": errors,
            "kinds": "、".join(KINDS), "grades": "、".join(GRADES),
            "origins": "、".join(ORIGINS), "periods": PERIOD_EXAMPLES},
            status=status)


class ImportTemplateView(LoginRequiredMixin, View):
    """An empty workbook with the import columns and one example row."""

    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        return download(template_workbook(), "涉密载体台帐导入模板.xlsx", XLSX)


class LedgerDocxView(LoginRequiredMixin, View):
    """涉密载体台帐 (.docx) of one department (`?department=`) or one custodian
    (`?custodian=`), of the carriers the user sees, one scheme; audited as an export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = ledger_filters(request.GET)
        user: Any = request.user
        label, name = self._subject(user, filters)
        carriers = ledger_carriers(user, filters).order_by("number", "id")
        listed = list(carriers[:MAX_LEDGER_ROWS + 1])
        services.record_carrier_export(user, user.person.unit_id,
                                       {**query_of(filters), "format": "docx"},
                                       min(len(listed), MAX_LEDGER_ROWS))
        content = build_ledger_docx(listed, scheme=filters["scheme"], subject=f"{label}：{name}",
                                    unit_name=user.person.unit.name)
        return download(content, f"涉密载体台帐-{name}.docx")

    def _subject(self, user: Any, filters: dict[str, Any]) -> tuple[str, str]:
        """The department's or the person's name, in the user's unit; 404 for anything else."""
        unit_id = user.person.unit_id
        if filters["department"] is not None:
            department = Department.objects.filter(pk=filters["department"],
                                                   unit_id=unit_id).first()
            if department is not None:
                filters["custodian"] = None
                return "部门", str(department.name)
        elif filters["custodian"] is not None:
            person = Person.objects.filter(pk=filters["custodian"], unit_id=unit_id).first()
            if person is not None:
                return "责任人", str(person.name)
        raise Http404
