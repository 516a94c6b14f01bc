"""Stocktakes (清查盘点, rule C1) and missing carriers (下落不明, rule C8), the 保密办's pages.

- the stocktakes with the form that starts one (the unit, a department or a container);
- one stocktake: its list with the results, a scan box that takes a label's QR payload or a
  typed number (a barcode scanner types into it and presses Enter; the box keeps the focus),
  results by hand, closing, and after closing the differences with their deadlines;
- the missing carriers: open cases with their deadlines (red when near or past), found again,
  and a form to report a carrier lost.

Views call selectors and services only; a refusal is shown on its form, never a 500.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key
from baomi.core.policy import policy_of

from .. import services
from ..docx_stocktake import MAX_LIST_ROWS, build_stocktake_docx
from ..forms import ContainerChoice, departments, unit_containers
from ..models import MissingCase, Stocktake, StocktakeLine
from ..models.stocktake import LineResult, MissingState, StocktakeState
from ..selectors import carriers_visible_to
from ..selectors_stocktake import (
    lines_of,
    missing_case_for,
    missing_cases_visible_to,
    stocktake_for,
    stocktakes_visible_to,
)
from ..services.stocktake import CODE_MAX, NOTE_MAX, OTHER_DAYS, TOP_SECRET_DAYS
from .common import download, office_unit
from .display import carrier_mark, level_text, place_text

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEAR_DAYS = 3  # a deadline this close (or past) shows in red


# --- forms -----------------------------------------------------------------------------------


class StartForm(forms.Form):
    """The scope of a new stocktake: the whole unit, or one department and/or container."""

    department = forms.ModelChoiceField(label=gettext_lazy("Department"), required=False,
                                        queryset=departments(0),
                                        empty_label=gettext_lazy("Every department"))
    container = ContainerChoice(label=gettext_lazy("Container"), required=False,
                                queryset=unit_containers(0),
                                empty_label=gettext_lazy("Every container and place"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments(unit_id)  # type: ignore[attr-defined]
        self.fields["container"].queryset = unit_containers(unit_id)  # type: ignore[attr-defined]


class ScanForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Scan a label or type a carrier number"), max_length=CODE_MAX,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                      "spellcheck": "false"}))


class MarkForm(forms.Form):
    line = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=LineResult.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=NOTE_MAX)


class FoundForm(forms.Form):
    case = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    found_on = forms.DateField(label=gettext_lazy("Found on"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Where and how it was found"),
                           max_length=NOTE_MAX)


class ReportForm(forms.Form):
    """rule C8: a carrier lost outside a stocktake, reported at once."""

    number = forms.CharField(label=gettext_lazy("Carrier number"), max_length=50)
    discovered_on = forms.DateField(label=gettext_lazy("Discovered on"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Circumstances"), max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


# --- helpers ---------------------------------------------------------------------------------


def _visible_stocktake(request: HttpRequest, pk: Any) -> Stocktake:
    office_unit(request)
    try:
        return stocktake_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def scope_text(stocktake: Stocktake) -> str:
    parts = [str(stocktake.department.name) if stocktake.department else "",
             str(stocktake.container.number) if stocktake.container else ""]
    return " · ".join(part for part in parts if part) or _("The whole unit")


def result_counts(stocktake: Stocktake) -> dict[str, int]:
    counts = stocktake.lines.aggregate(
        **{result: Count("id", filter=Q(result=result)) for result in LineResult.values})
    return {name: int(value or 0) for name, value in counts.items()}


def line_row(line: StocktakeLine) -> dict[str, Any]:
    carrier = line.carrier
    return {"line": line, "carrier": carrier, "mark": carrier_mark(carrier),
            "level": level_text(carrier.scheme, carrier.level),
            "ledger_place": " ".join(part for part in (
                line.ledger_container.number if line.ledger_container else "",
                line.ledger_location) if part)}


def days_left(case: MissingCase, today: date) -> int:
    return (case.deadline - today).days


# --- the stocktakes --------------------------------------------------------------------------


class StocktakeListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        return self._render(request, StartForm(unit_id=unit.pk))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = StartForm(request.POST, unit_id=unit.pk)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            stocktake = services.start_stocktake(
                request.user, unit=unit, department=data["department"],
                container=data["container"], note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The stocktake was started."))
        return HttpResponseRedirect(reverse("carriers:stocktake_detail", args=[stocktake.pk]))

    def _render(self, request: HttpRequest, form: StartForm, status: int = 200
                ) -> HttpResponse:
        user: Any = request.user
        stocktakes = stocktakes_visible_to(user).filter(unit_id=user.person.unit_id)
        page = keyset_page(stocktakes, request)
        rows = [{"stocktake": s, "scope": scope_text(s), "counts": result_counts(s)}
                for s in page.items]
        return render(request, "carriers/stocktake_list.html", {
            "page": page, "rows": rows, "form": form}, status=status)


class StocktakeDetailView(LoginRequiredMixin, View):
    """One stocktake: scan, mark by hand, close; after closing, the differences (rule C1)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, _visible_stocktake(request, pk))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        stocktake = _visible_stocktake(request, pk)
        action = request.POST.get("action", "")
        if action == "scan":
            return self._scan(request, stocktake)
        if action == "mark":
            return self._mark(request, stocktake)
        if action == "close":
            return self._close(request, stocktake)
        raise Http404

    def _scan(self, request: HttpRequest, stocktake: Stocktake) -> HttpResponse:
        form = ScanForm(request.POST)
        if not form.is_valid():
            return self._render(request, stocktake, scan=form, status=400)
        try:
            line = services.check_carrier(request.user, stocktake,
                                          code=form.cleaned_data["code"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, stocktake, scan=form, status=exc.status)
        messages.success(request, _("Found: %(number)s %(title)s") % {
            "number": line.carrier.number, "title": line.carrier.title})
        return self._back(stocktake)

    def _mark(self, request: HttpRequest, stocktake: Stocktake) -> HttpResponse:
        form = MarkForm(request.POST)
        line = None
        if form.is_valid():
            line = stocktake.lines.filter(pk=form.cleaned_data["line"]).first()
        if line is None:
            raise Http404
        try:
            services.mark_line(request.user, line, result=form.cleaned_data["result"],
                               note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, stocktake, status=exc.status)
        messages.success(request, _("The result was recorded."))
        return self._back(stocktake)

    def _close(self, request: HttpRequest, stocktake: Stocktake) -> HttpResponse:
        try:
            result = services.close_stocktake(request.user, stocktake)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, stocktake, status=exc.status)
        messages.success(request, _("The stocktake was closed: %(found)s found, %(missing)s "
                                    "differences.") % {"found": result.found,
                                                       "missing": len(result.differences)})
        return self._back(stocktake)

    def _back(self, stocktake: Stocktake) -> HttpResponse:
        return HttpResponseRedirect(reverse("carriers:stocktake_detail", args=[stocktake.pk]))

    def _render(self, request: HttpRequest, stocktake: Stocktake, *,
                scan: ScanForm | None = None, status: int = 200) -> HttpResponse:
        stocktake = stocktake_for(request.user, stocktake.pk)  # as it is now
        shown = request.GET.get("result", "")
        lines = lines_of(stocktake)
        if shown in LineResult.values:
            lines = lines.filter(result=shown)
        page = keyset_page(lines, request)
        closed = stocktake.state == StocktakeState.CLOSED
        differences = ([line_row(line) for line in lines_of(stocktake).filter(
            result=LineResult.MISSING).order_by("id")[:500]] if closed else [])
        return render(request, "carriers/stocktake_detail.html", {
            "stocktake": stocktake, "scope": scope_text(stocktake),
            "counts": result_counts(stocktake), "page": page,
            "rows": [line_row(line) for line in page.items], "shown": shown,
            "results": LineResult.choices, "open": not closed, "closed": closed,
            "scan": scan or ScanForm(), "differences": differences,
            "today": timezone.localdate()}, status=status)


class StocktakeDocxView(LoginRequiredMixin, View):
    """涉密载体清查盘点记录表 (.docx): the list with the results, the differences, signatures."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        stocktake = _visible_stocktake(request, pk)
        lines = lines_of(stocktake).order_by("id")
        missing = lines.filter(result=LineResult.MISSING)
        content = build_stocktake_docx(stocktake, result_counts(stocktake),
                                       list(lines[:MAX_LIST_ROWS]), list(missing))
        return download(content,
                        f"涉密载体清查盘点记录表-{stocktake.pk}.docx")


# --- missing carriers (rule C8) --------------------------------------------------------------


class MissingListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        action = request.POST.get("action", "")
        if action == "found":
            return self._found(request)
        if action == "report":
            return self._report(request, unit)
        raise Http404

    def _found(self, request: HttpRequest) -> HttpResponse:
        form = FoundForm(request.POST)
        if not form.is_valid():
            key = parse_key(request.POST.get("case"))
            form.auto_id = f"id_case{key}_%s"
            return self._render(request, found=(key, form), status=400)
        try:
            case = missing_case_for(request.user, form.cleaned_data["case"])
        except NotFound:
            raise Http404 from None
        try:
            services.record_found(request.user, case, found_on=form.cleaned_data["found_on"],
                                  note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
            form.auto_id = f"id_case{case.pk}_%s"
            return self._render(request, found=(case.pk, form), status=exc.status)
        messages.success(request, _("%(number)s is back in store.") % {
            "number": case.carrier.number})
        return HttpResponseRedirect(reverse("carriers:missing_list"))

    def _report(self, request: HttpRequest, unit: Any) -> HttpResponse:
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self._render(request, report=form, status=400)
        data = form.cleaned_data
        carrier = (carriers_visible_to(request.user).select_related("unit")
                   .filter(unit=unit, number=data["number"].strip()).first())
        if carrier is None:
            form.add_error("number", _("No carrier with this number is on your ledger."))
            return self._render(request, report=form, status=400)
        try:
            case = services.report_missing(request.user, carrier,
                                           discovered_on=data["discovered_on"],
                                           note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, report=form, status=exc.status)
        messages.success(request, _("%(number)s is recorded as missing; trace it by "
                                    "%(deadline)s.") % {"number": carrier.number,
                                                        "deadline": f"{case.deadline:%Y-%m-%d}"})
        return HttpResponseRedirect(reverse("carriers:missing_list"))

    def _render(self, request: HttpRequest, *, found: tuple[Any, FoundForm] | None = None,
                report: ReportForm | None = None, status: int = 200) -> HttpResponse:
        user: Any = request.user
        state = request.GET.get("state", MissingState.OPEN)
        state = state if state in MissingState.values else MissingState.OPEN
        cases = missing_cases_visible_to(user).filter(unit_id=user.person.unit_id, state=state)
        page = keyset_page(cases, request)
        today = timezone.localdate()
        rows, placed = [], False
        for case in page.items:
            left = days_left(case, today)
            bound = found[1] if found and found[0] == case.pk else None  # its refusal
            placed = placed or bound is not None
            rows.append({"case": case, "mark": carrier_mark(case.carrier),
                         "place": place_text(case.carrier), "days_left": left,
                         "near": case.state == MissingState.OPEN and left <= NEAR_DAYS,
                         "form": bound or FoundForm(initial={"case": case.pk, "found_on": today},
                                                    auto_id=f"id_case{case.pk}_%s")})
        policy = policy_of(user.person.unit)
        return render(request, "carriers/stocktake_missing.html", {
            "page": page, "rows": rows, "state": state, "states": MissingState.choices,
            "top_days": policy[TOP_SECRET_DAYS], "other_days": policy[OTHER_DAYS],
            "report": report or ReportForm(initial={"discovered_on": today}),
            "unplaced": found[1] if found and not placed else None,
        }, status=status)
