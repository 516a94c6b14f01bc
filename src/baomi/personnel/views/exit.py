"""Pages of the exit of classified personnel (离岗/离职, rule P10) and of the 脱密期 (rules
P11–P14): filing an exit from the person's file, one exit with its formalities, return visits
and release, the 保密办's list, and the two printable forms.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.roles import Role
from baomi.core.downloads import DOCX
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from ..choices import ExitState, FileState
from ..docx_exit import build_exit_commitment_docx, build_visit_record_docx
from ..forms_exit import (
    CommitmentForm,
    DoorAccessForm,
    ExitForm,
    ExtendForm,
    ReleaseForm,
    TalkForm,
    VisitForm,
)
from ..models import ExitCase, PersonnelFile
from ..selectors.exit import (
    LIST_STATES,
    custody_of,
    days_left,
    declassification_list,
    exit_for,
    exits_of,
    may_file_exit,
    may_manage_exit,
    visits_of,
)
from ..selectors.people import file_for, managed_units
from ..services import exit as services


def _visible_file(request: HttpRequest, pk: int) -> PersonnelFile:
    try:
        return file_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _visible_exit(request: HttpRequest, pk: int) -> ExitCase:
    try:
        return exit_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def role_labels(codes: list[str]) -> list[str]:
    """Role codes as people read them."""
    return [str(Role(code).label) if code in Role.values else code for code in codes]


class ExitNewView(LoginRequiredMixin, View):
    """The 保密办 files a 离岗 or 离职 of a person in post (rule P10); the person's earlier
    exits and what they still hold (rule C9) are shown beside the form."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = _visible_file(request, pk)
        today = timezone.localdate()
        return self._render(request, file, ExitForm(initial={"leave_on": today}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = _visible_file(request, pk)
        if not may_manage_exit(request.user, file):
            raise Http404
        form = ExitForm(request.POST)
        if not form.is_valid():
            return self._render(request, file, form, 400)
        try:
            case = services.file_exit(request.user, file, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, file, form, exc.status)
        messages.success(request, _("The exit was submitted for approval."))
        return HttpResponseRedirect(reverse("personnel:exit_detail", args=[case.pk]))

    def _render(self, request: HttpRequest, file: PersonnelFile, form: ExitForm,
                status: int = 200) -> HttpResponse:
        # a refused filing keeps the form: the service says why (state, concurrent exit)
        shown = may_file_exit(request.user, file) or (status != 200 and may_manage_exit(
            request.user, file))
        return render(request, "personnel/exit_new.html", {
            "file": file, "exits": exits_of(file)[:50], "custody": custody_of(file),
            "form": form if shown else None,
        }, status=status)


ACTIONS: dict[str, type[forms.Form]] = {
    "commitment": CommitmentForm, "talk": TalkForm, "door": DoorAccessForm,
    "visit": VisitForm, "extend": ExtendForm, "release": ReleaseForm,
}
DATE_FIELDS = ("signed_on", "held_on", "revoked_on", "visited_on", "withdrawn_on")


def in_declassification(case: ExitCase) -> bool:
    return case.state == ExitState.APPROVED and case.file.state == FileState.DECLASSIFYING


def release_possible_on(case: ExitCase) -> date | None:
    """rule P14: the first day the 撤销备案 may be recorded (the day after the period)."""
    return case.ends_on + timedelta(days=1) if case.ends_on else None


def available_actions(case: ExitCase, today: date) -> list[str]:
    """The forms the exit's state offers (the services check again)."""
    if not in_declassification(case):
        return []
    actions = [name for name, done in (("commitment", case.committed_on),
                                       ("talk", case.talk_on),
                                       ("door", case.door_access_revoked_on)) if done is None]
    actions += ["visit", "extend"]
    possible = release_possible_on(case)
    if possible is not None and today >= possible:
        actions.append("release")
    return actions


def _form(action: str, case: ExitCase, data: Any = None) -> forms.Form:
    initial: dict[str, Any] = {}
    if data is None:
        initial = {name: timezone.localdate() for name in DATE_FIELDS}
        if action == "extend" and case.period_months:
            initial["months"] = case.period_months + 12
    return ACTIONS[action](data, prefix=action, initial=initial)


def _perform(request: HttpRequest, case: ExitCase, action: str, data: dict[str, Any]) -> None:
    user = request.user
    if action == "commitment":
        services.record_exit_commitment(user, case, signed_on=data["signed_on"],
                                        text_version=data["text_version"])
    elif action == "talk":
        services.record_exit_talk(user, case, held_on=data["held_on"],
                                  talkers=data["talkers"], notes=data["notes"])
    elif action == "door":
        services.record_door_access_revoked(user, case, revoked_on=data["revoked_on"])
    elif action == "visit":
        services.record_declassification_visit(
            user, case, visited_on=data["visited_on"], method=data["method"],
            visitors=data["visitors"], current_employer=data["current_employer"],
            restrictions_kept=data["restrictions_kept"], findings=data["findings"])
    elif action == "extend":
        services.extend_declassification(user, case, months=data["months"],
                                          reason=data["reason"])
    else:
        services.release_from_declassification(user, case, withdrawn_on=data["withdrawn_on"],
                                               reference=data["reference"])


class ExitDetailView(LoginRequiredMixin, View):
    """One exit: the decision, what is still held while pending, the 脱密期 with the access
    withdrawn, the formalities, the restrictions, the return visits and the release; the
    forms to the 保密办 of the unit only."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _visible_exit(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = _visible_exit(request, pk)
        action = request.POST.get("action", "")
        if not may_manage_exit(request.user, case.file) or action not in ACTIONS:
            raise Http404
        form = _form(action, case, request.POST)
        if not form.is_valid():
            return self._render(request, case, {action: form}, 400)
        try:
            _perform(request, case, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, case, {action: form}, exc.status)
        messages.success(request, _("Recorded."))
        return HttpResponseRedirect(reverse("personnel:exit_detail", args=[case.pk]))

    def _render(self, request: HttpRequest, case: ExitCase,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        shown: dict[str, forms.Form] = {}
        if may_manage_exit(request.user, case.file):
            names = available_actions(case, today)
            names += [name for name in (bound or {}) if name not in names]
            shown = {name: (bound or {}).get(name) or _form(name, case) for name in names}
        access = case.access_withdrawn or {}
        return render(request, "personnel/exit_detail.html", {
            "case": case, "file": case.file, "forms": shown, "today": today,
            "manages": may_manage_exit(request.user, case.file),
            "custody": custody_of(case.file) if case.state == ExitState.PENDING else [],
            "declassifying": in_declassification(case),
            "days_left": days_left(case, today),
            "missing": services.missing_formalities(case),
            "visits": visits_of(case)[:200],
            "release_possible_on": release_possible_on(case),
            "access": access, "roles_removed": role_labels(access.get("roles_removed", [])),
        }, status=status)


@dataclass
class ExitRow:
    case: ExitCase
    days_left: int | None
    missing: list[str]


class ExitListView(LoginRequiredMixin, View):
    """The 保密办's list of exits being decided, people in 脱密期 and people released."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not managed_units(request.user):
            raise Http404
        state = request.GET.get("state", "")
        state = state if state in LIST_STATES else ""
        overdue = request.GET.get("overdue") == "1"
        page = keyset_page(declassification_list(request.user, state=state,
                                                 visit_overdue=overdue), request)
        today = timezone.localdate()
        rows = [ExitRow(case, days_left(case, today),
                        services.missing_formalities(case) if case.approved_on else [])
                for case in page.items]
        return render(request, "personnel/exit_list.html", {
            "page": page, "rows": rows, "state": state, "overdue": overdue, "today": today,
            "states": [(s.value, s.label) for s in LIST_STATES]})


def _docx(content: bytes, title: str, case: ExitCase) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    filename = f"{title}-{case.file.person.name}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ExitCommitmentDocxView(LoginRequiredMixin, View):
    """离岗离职保密承诺书 (.docx) to print and sign."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = _visible_exit(request, pk)
        return _docx(build_exit_commitment_docx(case), "离岗离职保密承诺书", case)


class ExitVisitDocxView(LoginRequiredMixin, View):
    """脱密期回访记录表 (.docx) with the visits recorded so far."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = _visible_exit(request, pk)
        return _docx(build_visit_record_docx(case), "脱密期回访记录表", case)
