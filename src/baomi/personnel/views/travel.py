"""Pages of 出国(境) (rules P8, P9): the 保密办's trip list and custody ledger, a person's
trips with the application form, one trip with its timeline and the next action.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from typing import Any
from urllib.parse import quote

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

from baomi.accounts.models import Person
from baomi.approvals.selectors import steps_of
from baomi.core.downloads import DOCX, XLSX
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page
from baomi.personnel.exports import write_documents

from ..choices import DocumentKind, DocumentState, TripPurpose, TripState
from ..docx_forms import build_trip_docx
from ..models import PersonnelFile, TravelDocument, Trip
from ..selectors.people import file_for, managed_units
from ..selectors.travel import (
    document_holders,
    document_list,
    issuable_documents,
    may_apply_for,
    may_manage_trip,
    overdue_document_q,
    trip_for,
    trip_list,
    trips_of,
)
from ..services import travel as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _names(raw: str) -> list[str]:
    return [name.strip() for name in raw.replace("，", ",").replace("\n", ",").split(",")
            if name.strip()]


class TripForm(forms.Form):
    """The 出国(境)审批表."""

    purpose_kind = forms.ChoiceField(label=gettext_lazy("Official or private"),
                                     choices=TripPurpose.choices)
    destinations = forms.CharField(label=gettext_lazy("Countries or regions"), max_length=200)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    depart_on = forms.DateField(label=gettext_lazy("Planned departure"), widget=DATE)
    return_on = forms.DateField(label=gettext_lazy("Planned return"), widget=DATE)
    companions = forms.CharField(label=gettext_lazy("Companions"), max_length=200,
                                 required=False)


class TalkForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Talk held on"), widget=DATE)
    talkers = forms.CharField(label=gettext_lazy("Held by (at least two, comma-separated)"),
                              max_length=500)
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class CommitmentForm(forms.Form):
    signed_on = forms.DateField(label=gettext_lazy("Commitment signed on"), widget=DATE)


class IssueForm(forms.Form):
    document = forms.ModelChoiceField(label=gettext_lazy("Travel document"),
                                      queryset=TravelDocument.objects.none())
    issued_on = forms.DateField(label=gettext_lazy("Issued on"), widget=DATE)

    def __init__(self, *args: Any, file: PersonnelFile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["document"]
        field.queryset = issuable_documents(file)


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=gettext_lazy("Actual return"), widget=DATE)


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Document handed back on"), widget=DATE)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=DATE)
    visitors = forms.CharField(label=gettext_lazy("Visited by (comma-separated)"),
                               max_length=500)
    findings = forms.CharField(label=gettext_lazy("Findings"), max_length=2000,
                               required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class DocumentForm(forms.Form):
    """A passport or permit entering custody."""

    person: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=gettext_lazy("Holder"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentKind.choices)
    number = forms.CharField(label=gettext_lazy("Document number"), max_length=30)
    issued_on = forms.DateField(label=gettext_lazy("Date of issue"), widget=DATE)
    expires_on = forms.DateField(label=gettext_lazy("Expiry date"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = document_holders(user)




def _require_office(request: HttpRequest) -> None:
    if not managed_units(request.user):
        raise Http404


class TripListView(LoginRequiredMixin, View):
    """The 保密办's list of trips with their state and deadlines."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_office(request)
        state = request.GET.get("state", "")
        overdue = request.GET.get("overdue") == "1"
        page = keyset_page(trip_list(request.user, state=state, overdue=overdue), request)
        return render(request, "personnel/travel_list.html", {
            "page": page, "state": state, "overdue": overdue, "states": TripState.choices,
            "today": timezone.localdate()})


def _documents(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    return (document_list(request.user, state=state, overdue=overdue),
            {"state": state, "overdue": overdue})


class DocumentListView(LoginRequiredMixin, View):
    """The custody ledger (《涉密人员护照、通行证保管登记表》) and the registration form."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_office(request)
        return self._render(request, DocumentForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_office(request)
        form = DocumentForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            services.register_document(request.user, data["person"], kind=data["kind"],
                                       number=data["number"], issued_on=data["issued_on"],
                                       expires_on=data["expires_on"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The document was registered."))
        return HttpResponseRedirect(reverse("personnel:document_list"))

    def _render(self, request: HttpRequest, form: DocumentForm, status: int = 200
                ) -> HttpResponse:
        documents, filters = _documents(request)
        late = set(Trip.objects.filter(overdue_document_q(timezone.localdate()))
                   .values_list("document_id", flat=True))
        page = keyset_page(documents, request)
        return render(request, "personnel/travel_documents.html", {
            "page": page, "form": form, "late": late, "states": DocumentState.choices,
            **filters}, status=status)




class DocumentExportView(LoginRequiredMixin, View):
    """The filtered custody ledger as .xlsx, audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        _require_office(request)
        documents, filters = _documents(request)
        user: Any = request.user
        services.record_document_export(user, user.person.unit_id, filters)
        output = write_documents(documents.iterator(chunk_size=2000))
        name = f"travel-documents-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


class TripNewView(LoginRequiredMixin, View):
    """A person's trips and the application form (the person, or the 保密办 for them)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._file(request, pk), TripForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = self._file(request, pk)
        if not may_apply_for(request.user, file):
            raise Http404
        form = TripForm(request.POST)
        if not form.is_valid():
            return self._render(request, file, form, 400)
        try:
            trip = services.apply_for_trip(request.user, file, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, file, form, exc.status)
        messages.success(request, _("The application was submitted for approval."))
        return HttpResponseRedirect(reverse("personnel:trip_detail", args=[trip.pk]))

    def _file(self, request: HttpRequest, pk: int) -> PersonnelFile:
        try:
            return file_for(request.user, pk)
        except NotFound:
            raise Http404 from None

    def _render(self, request: HttpRequest, file: PersonnelFile, form: TripForm,
                status: int = 200) -> HttpResponse:
        return render(request, "personnel/travel_person.html", {
            "file": file, "trips": trips_of(file)[:100],
            "form": form if may_apply_for(request.user, file) else None,
        }, status=status)


ACTIONS: dict[str, type[forms.Form]] = {
    "talk": TalkForm, "commitment": CommitmentForm, "issue": IssueForm,
    "return": ReturnForm, "receive": ReceiveForm, "visit": VisitForm, "cancel": CancelForm,
}
CANCELLABLE = (TripState.APPROVED, TripState.TALKED, TripState.COMMITTED, TripState.ISSUED)


def available_actions(trip: Trip) -> list[str]:
    """The actions the trip's state allows (the services check again)."""
    by_state = {TripState.APPROVED: ["talk"], TripState.TALKED: ["commitment"],
                TripState.COMMITTED: ["issue"], TripState.ISSUED: ["return"],
                TripState.RETURNED: ["receive", "visit"], TripState.VISITED: ["receive"],
                TripState.DOCUMENT_BACK: ["visit"]}
    actions = list(by_state.get(TripState(trip.state), []))
    if trip.state == TripState.CANCELLED and trip.document_id and not trip.document_returned_on:
        actions.append("receive")
    if trip.state in CANCELLABLE:
        actions.append("cancel")
    return actions


def _form(action: str, trip: Trip, data: Any = None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": action}
    if action == "issue":
        kwargs["file"] = trip.file
    if data is None:
        kwargs["initial"] = {name: timezone.localdate() for name in
                             ("held_on", "signed_on", "issued_on", "returned_on",
                              "received_on", "visited_on")}
    return ACTIONS[action](data, **kwargs)


def _perform(request: HttpRequest, trip: Trip, action: str, data: dict[str, Any]) -> None:
    user = request.user
    if action == "talk":
        services.record_pre_trip_talk(user, trip, talkers=_names(data["talkers"]),
                                      held_on=data["held_on"], notes=data["notes"])
    elif action == "commitment":
        services.record_travel_commitment(user, trip, signed_on=data["signed_on"])
    elif action == "issue":
        services.issue_document_for_trip(user, trip, document=data["document"],
                                         issued_on=data["issued_on"])
    elif action == "return":
        services.record_return(user, trip, returned_on=data["returned_on"])
    elif action == "receive":
        services.receive_document(user, trip, received_on=data["received_on"])
    elif action == "visit":
        services.record_return_visit(user, trip, visited_on=data["visited_on"],
                                     visitors=_names(data["visitors"]),
                                     findings=data["findings"])
    else:
        services.cancel_trip(user, trip, reason=data["reason"])


class TripDetailView(LoginRequiredMixin, View):
    """One trip: the timeline, and to the 保密办 the form of the next step."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._trip(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        trip = self._trip(request, pk)
        action = request.POST.get("action", "")
        if not may_manage_trip(request.user, trip) or action not in ACTIONS:
            raise Http404
        form = _form(action, trip, request.POST)
        if not form.is_valid():
            return self._render(request, trip, {action: form}, 400)
        try:
            _perform(request, trip, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, trip, {action: form}, exc.status)
        messages.success(request, _("Recorded."))
        return HttpResponseRedirect(reverse("personnel:trip_detail", args=[trip.pk]))

    def _trip(self, request: HttpRequest, pk: int) -> Trip:
        try:
            return trip_for(request.user, pk)
        except NotFound:
            raise Http404 from None

    def _render(self, request: HttpRequest, trip: Trip,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        forms_shown: list[tuple[str, forms.Form]] = []
        if may_manage_trip(request.user, trip):
            forms_shown = [(action, (bound or {}).get(action) or _form(action, trip))
                           for action in available_actions(trip)]
        return render(request, "personnel/travel_detail.html", {
            "trip": trip, "forms": forms_shown, "today": timezone.localdate(),
            "steps": steps_of(trip.request) if trip.request is not None else [],
            "missing": services.missing_before_issue(trip),
            "overdue": Trip.objects.filter(overdue_document_q(timezone.localdate()),
                                           pk=trip.pk).exists(),
        }, status=status)


class TripDocxView(LoginRequiredMixin, View):
    """涉密人员出国(境)审批表 (.docx) with the approval opinions and signature lines."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            trip = trip_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        steps = steps_of(trip.request) if trip.request is not None else []
        response = HttpResponse(build_trip_docx(trip, steps), content_type=DOCX)
        filename = f"涉密人员出国（境）审批表-{trip.file.person.name}.docx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response
