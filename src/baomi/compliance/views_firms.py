"""The register of outside firms (外协与中介机构, rules Q8, Q11): the list with its filters and
its .xlsx export, and one firm with whether it is qualified for classified work and why, its
protocols, changes and their re-review, yearly reports and contracts.

The 保密办 and the leaders of the unit read; only the 保密办 sees the forms and acts. Anyone
else gets a 404, and so does a firm of another unit.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.downloads import DOCX, XLSX, download
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import services_firms as services
from .choices_firms import ContractState, FirmState, ReviewResult
from .docx_firms import build_firm_docx, firm_filename
from .exports_firms import write_firms
from .forms_firms import (
    ChangeForm,
    ContractForm,
    EndContractForm,
    FirmFilterForm,
    FirmForm,
    ProtocolForm,
    ReinstateForm,
    RereviewForm,
    StrikeOffForm,
    YearReportForm,
)
from .models import Firm
from .selectors_firms import contracts_visible_to, filter_firms, firm_for, firms_visible_to

# A firm has a handful of protocols, changes and reports; the page shows this many of each.
SHOWN = 100


def reader_unit(request: HttpRequest) -> Unit:
    """The unit whose firms the user reads (保密办 or leader); 404 for anyone else (rule T2)."""
    user: Any = request.user
    if not sees_business_data(user) or user.person.unit_id not in unit_perimeter(
            user, {Role.SECRECY_OFFICE, Role.LEADER}):
        raise Http404
    unit: Unit = user.person.unit
    return unit


def is_office(request: HttpRequest, unit_id: int) -> bool:
    return unit_id in unit_perimeter(request.user, {Role.SECRECY_OFFICE})


def visible_firm(request: HttpRequest, pk: Any) -> Firm:
    reader_unit(request)
    try:
        return firm_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def firm_row(firm: Firm, today: dt.date) -> dict[str, Any]:
    """A firm as the register shows it, with what keeps it from classified work."""
    return {"firm": firm, "shortfalls": services.qualification_shortfalls(firm, today)}


def _query_of(filters: dict[str, Any]) -> dict[str, str]:
    def word(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    return {"kind": filters["kind"], "qualified": word(filters["qualified"]),
            "directory": word(filters["on_directory"])}


class FirmListView(LoginRequiredMixin, View):
    """The register with its filters; the 保密办 registers a firm with the form below it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = reader_unit(request)
        return self._render(request, unit, FirmForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = reader_unit(request)
        form = FirmForm(request.POST)
        if not form.is_valid():
            return self._render(request, unit, form, 400)
        try:
            firm = services.register_firm(request.user, unit=unit, **form.firm_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, unit, form, exc.status)
        messages.success(request, _("The firm was registered."))
        return HttpResponseRedirect(reverse("compliance:firm_detail", args=[firm.pk]))

    def _render(self, request: HttpRequest, unit: Unit, form: FirmForm,
                status: int = 200) -> HttpResponse:
        filters_form = FirmFilterForm(request.GET, auto_id="filter_%s")
        filters = filters_form.filters()
        firms = filter_firms(firms_visible_to(request.user), **filters)
        page = keyset_page(firms, request)
        today = timezone.localdate()
        return render(request, "compliance/firms_list.html", {
            "page": page, "rows": [firm_row(firm, today) for firm in page.items],
            "filters": filters_form,
            "export_query": "&".join(f"{k}={v}" for k, v in _query_of(filters).items() if v),
            "form": form if is_office(request, unit.pk) else None}, status=status)


class FirmExportView(LoginRequiredMixin, View):
    """The filtered register as .xlsx, streamed and audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        unit = reader_unit(request)
        filters = FirmFilterForm(request.GET).filters()
        firms = filter_firms(firms_visible_to(request.user), **filters).order_by("-id")
        output, rows = write_firms(firms.iterator(chunk_size=2000), timezone.localdate())
        services.record_firms_export(request.user, unit.pk, _query_of(filters), rows)
        name = f"firms-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


Perform = Callable[[Any, Firm, dict[str, Any]], Any]


def _rereview(user: Any, firm: Firm, data: dict[str, Any]) -> Any:
    change = firm.changes.filter(pk=data["change"]).first()
    if change is None:
        raise NotFound()
    return services.rereview_change(user, change, rereviewed_on=data["rereviewed_on"],
                                    passed=data["passed"])


def _end_contract(user: Any, firm: Firm, data: dict[str, Any]) -> Any:
    contract = contracts_visible_to(user).filter(firm=firm, pk=data["contract"]).first()
    if contract is None:
        raise NotFound()
    return services.end_contract(user, contract, ended_on=data["ended_on"])


ACTIONS: dict[str, tuple[type[forms.Form], Perform, Any]] = {
    "update": (FirmForm, lambda u, f, d: services.update_firm(u, f, **d),
               gettext_lazy("The firm was saved.")),
    "protocol": (ProtocolForm, lambda u, f, d: services.record_protocol(u, f, **d),
                 gettext_lazy("The protocol was recorded.")),
    "change": (ChangeForm, lambda u, f, d: services.report_change(u, f, **d),
               gettext_lazy("The change was recorded.")),
    "rereview": (RereviewForm, _rereview, gettext_lazy("The re-review was recorded.")),
    "year_report": (YearReportForm, lambda u, f, d: services.record_year_report(u, f, **d),
                    gettext_lazy("The yearly report was recorded.")),
    "contract": (ContractForm, lambda u, f, d: services.sign_contract(u, f, **d),
                 gettext_lazy("The contract was signed.")),
    "end_contract": (EndContractForm, _end_contract, gettext_lazy("The contract was ended.")),
    "strike_off": (StrikeOffForm, lambda u, f, d: services.strike_off_firm(u, f, **d),
                   gettext_lazy("The firm was struck off.")),
    "reinstate": (ReinstateForm, lambda u, f, d: services.reinstate_firm(u, f, **d),
                  gettext_lazy("The firm was reinstated.")),
}


def _form(action: str, firm: Firm, data: Any = None, files: Any = None) -> forms.Form:
    form_class = ACTIONS[action][0]
    kwargs: dict[str, Any] = {"prefix": action}
    if action == "contract":
        kwargs["unit_id"] = firm.unit_id
    if action == "update" and data is None:
        kwargs["initial"] = {name: getattr(firm, name) for name in services.FIRM_FIELDS}
    if action == "protocol":
        return form_class(data, files, **kwargs)
    return form_class(data, **kwargs)


class FirmDetailView(LoginRequiredMixin, View):
    """One firm: its conditions with the box 'qualified for classified work: yes/no and why',
    protocols, changes, yearly reports and contracts (those the reader is cleared for)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, visible_firm(request, pk))

    def _render(self, request: HttpRequest, firm: Firm, failed: forms.Form | None = None,
                failed_action: str = "", status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        office = is_office(request, firm.unit_id)
        action_forms = {}
        if office:
            action_forms = {action: _form(action, firm) for action in ACTIONS}
            if failed is not None:
                action_forms[failed_action] = failed
        changes = list(firm.changes.all()[:SHOWN])
        contracts = keyset_page(contracts_visible_to(request.user).filter(firm=firm), request)
        return render(request, "compliance/firms_detail.html", {
            "firm": firm, "row": firm_row(firm, today), "office": office,
            "forms": action_forms, "protocols": firm.protocols.all()[:SHOWN],
            "changes": [{"change": c, "due": services.change_review_due(c)} for c in changes],
            "reports": firm.year_reports.all()[:SHOWN], "contracts": contracts,
            "reapply_from": services.reapply_from(firm),
            "struck_off": firm.state == FirmState.STRUCK_OFF,
            "pending": ReviewResult.PENDING, "active": ContractState.ACTIVE}, status=status)


class FirmActionView(FirmDetailView):
    """The 保密办 acts on a firm: one form per action; a refusal shows on the form."""

    def post(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        firm = visible_firm(request, pk)
        if action not in ACTIONS or not is_office(request, firm.unit_id):
            raise Http404
        form = _form(action, firm, request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, firm, form, action, 400)
        try:
            ACTIONS[action][1](request.user, firm, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, firm, form, action, exc.status)
        messages.success(request, ACTIONS[action][2])
        return HttpResponseRedirect(reverse("compliance:firm_detail", args=[firm.pk]))


class FirmFormDownloadView(LoginRequiredMixin, View):
    """The printed 外协（中介）单位保密资格审查表 of one firm (.docx), with the contracts the
    reader is cleared for (rule L5)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        firm = visible_firm(request, pk)
        contracts = contracts_visible_to(request.user).filter(firm=firm).order_by("-id")[:SHOWN]
        content = build_firm_docx(firm, contracts, timezone.localdate())
        return download(content, firm_filename(firm), DOCX)
