"""Pages of 要害部门部位 (rule M1) and 涉密会议 (rule M2).

Key places: the register of the unit for its 保密办 and leaders (only the 保密办 registers and
edits a place and names the people allowed in). Classified meetings: the meetings the user
sees (the 保密办, the organiser, the attendees, up to their clearance); the 保密办 and the
organiser plan one and run its records on the meeting page — attendees and sign-in, the
measures, the documents issued and collected back, closing — and print the 签到表 and the
会议文件发放回收登记表. A refusal of a service shows on the form, with its status.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.carriers.selectors import carriers_visible_to
from baomi.core.access import unit_perimeter
from baomi.core.downloads import XLSX, download, require_business
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import docx_places, exports_places
from . import services_places as sp
from .forms_places import (
    AttendeeForm,
    DocumentForm,
    GrantForm,
    KeyPlaceForm,
    MeasuresForm,
    MeetingForm,
)
from .models import ClassifiedMeeting, KeyPlace
from .selectors_places import (
    PLACE_READERS,
    attendee_for,
    document_for,
    grant_for,
    meeting_attendees,
    meeting_documents,
    meeting_for,
    meetings_visible_to,
    place_for,
    place_people,
    places_visible_to,
)


def is_office(user: Any, unit_id: int) -> bool:
    return unit_id in unit_perimeter(user, {Role.SECRECY_OFFICE})


def can_run(user: Any, meeting: ClassifiedMeeting) -> bool:
    """The 保密办 of the unit or the organiser runs the meeting's records."""
    return bool(user.pk == meeting.organiser_id or is_office(user, meeting.unit_id))


def _visible_place(request: HttpRequest, pk: Any) -> KeyPlace:
    require_business(request)
    try:
        return place_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _visible_meeting(request: HttpRequest, pk: Any) -> ClassifiedMeeting:
    require_business(request)
    try:
        return meeting_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _own_unit(request: HttpRequest) -> Unit:
    user: Any = request.user
    unit: Unit = user.person.unit
    return unit


# --- key places (rule M1) ---------------------------------------------------------------------

class KeyPlaceListView(LoginRequiredMixin, View):
    """The register of key departments and parts; the 保密办 registers one below."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        return self._render(request, KeyPlaceForm(unit=_own_unit(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        unit = _own_unit(request)
        if not is_office(request.user, unit.pk):
            raise Http404
        form = KeyPlaceForm(request.POST, unit=unit)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            place = sp.register_key_place(request.user, unit=unit, **form.place_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The key place was registered."))
        return HttpResponseRedirect(reverse("compliance:place_detail", args=[place.pk]))

    def _render(self, request: HttpRequest, form: KeyPlaceForm, status: int = 200
                ) -> HttpResponse:
        user: Any = request.user
        if not unit_perimeter(user, PLACE_READERS):  # the 保密办 and the leaders
            raise Http404
        page = keyset_page(places_visible_to(user), request)
        return render(request, "compliance/places_list.html", {
            "page": page, "form": form, "office": is_office(user, user.person.unit_id)},
            status=status)


class KeyPlaceDetailView(LoginRequiredMixin, View):
    """One key place: its approval, measures and the people allowed in; the 保密办 edits it,
    allows people in and revokes them."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        place = _visible_place(request, pk)
        form = KeyPlaceForm(initial=KeyPlaceForm.initial_of(place), unit=place.unit)
        return self._render(request, place, form, GrantForm(unit=place.unit))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        place = _visible_place(request, pk)
        grant_form = GrantForm(unit=place.unit)
        form = KeyPlaceForm(request.POST, unit=place.unit)
        if not form.is_valid():
            return self._render(request, place, form, grant_form, 400)
        try:
            sp.update_key_place(request.user, place, **form.place_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, place, form, grant_form, exc.status)
        messages.success(request, _("The key place was saved."))
        return HttpResponseRedirect(reverse("compliance:place_detail", args=[place.pk]))

    @staticmethod
    def _render(request: HttpRequest, place: KeyPlace, form: KeyPlaceForm,
                grant_form: GrantForm, status: int = 200, error: str = "") -> HttpResponse:
        return render(request, "compliance/places_detail.html", {
            "place": place, "form": form, "grant_form": grant_form, "error": error,
            "people": place_people(place), "office": is_office(request.user, place.unit_id)},
            status=status)


class KeyPlaceGrantView(LoginRequiredMixin, View):
    """Allow a person into the place (rule M1: cleared for its level)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        place = _visible_place(request, pk)
        form = KeyPlaceForm(initial=KeyPlaceForm.initial_of(place), unit=place.unit)
        grant_form = GrantForm(request.POST, unit=place.unit)
        if not grant_form.is_valid():
            return KeyPlaceDetailView._render(request, place, form, grant_form, 400)
        try:
            sp.grant_place_access(request.user, place, **grant_form.cleaned_data)
        except DomainError as exc:
            add_domain_error(grant_form, exc)
            return KeyPlaceDetailView._render(request, place, form, grant_form, exc.status)
        messages.success(request, _("The person is allowed in."))
        return HttpResponseRedirect(reverse("compliance:place_detail", args=[place.pk]))


class KeyPlaceRevokeView(LoginRequiredMixin, View):
    """The person is no longer allowed into the place from today."""

    def post(self, request: HttpRequest, pk: Any, grant_pk: Any) -> HttpResponse:
        place = _visible_place(request, pk)
        try:
            grant = grant_for(request.user, place, grant_pk)
            sp.revoke_place_access(request.user, grant)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            form = KeyPlaceForm(initial=KeyPlaceForm.initial_of(place), unit=place.unit)
            return KeyPlaceDetailView._render(request, place, form, GrantForm(unit=place.unit),
                                              exc.status, error=exc.message)
        messages.success(request, _("The person is no longer allowed in."))
        return HttpResponseRedirect(reverse("compliance:place_detail", args=[place.pk]))


class KeyPlaceExportView(LoginRequiredMixin, View):
    """The register as .xlsx (要害部门部位登记表), for the 保密办 and the leaders."""

    def get(self, request: HttpRequest) -> FileResponse:
        require_business(request)
        if not unit_perimeter(request.user, PLACE_READERS):
            raise Http404
        return FileResponse(exports_places.key_place_register(places_visible_to(request.user)),
                            as_attachment=True, filename="要害部门部位登记表.xlsx",
                            content_type=XLSX)


# --- classified meetings (rule M2) ------------------------------------------------------------

class MeetingListView(LoginRequiredMixin, View):
    """The classified meetings the user sees, newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        page = keyset_page(meetings_visible_to(request.user), request)
        return render(request, "compliance/places_meeting_list.html", {"page": page})


class MeetingNewView(LoginRequiredMixin, View):
    """Plan a classified meeting (rule M2)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        return self._render(request, MeetingForm(unit=_own_unit(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        unit = _own_unit(request)
        form = MeetingForm(request.POST, unit=unit)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            meeting = sp.plan_meeting(request.user, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The meeting was planned."))
        return HttpResponseRedirect(reverse("compliance:meeting_detail", args=[meeting.pk]))

    @staticmethod
    def _render(request: HttpRequest, form: MeetingForm, status: int = 200) -> HttpResponse:
        return render(request, "compliance/places_meeting_new.html", {"form": form},
                      status=status)


def _meeting_forms(meeting: ClassifiedMeeting, data: Any = None,
                   which: str = "") -> dict[str, forms.Form]:
    """The forms of the meeting page; `which` of them bound to `data`."""
    def bound(name: str) -> Any:
        return data if name == which else None

    return {
        "attendee_form": AttendeeForm(bound("attendee"), unit=meeting.unit,
                                      prefix="attendee"),
        "measures_form": MeasuresForm(bound("measures"), prefix="measures", initial={
            "identity_check": meeting.identity_check,
            "phones_collected": meeting.phones_collected,
            "signal_jammer": meeting.signal_jammer}),
        "document_form": DocumentForm(bound("document"), prefix="document",
                                      attendees=meeting_attendees(meeting)),
        "close_form": forms.Form(bound("close")),
    }


def render_meeting(request: HttpRequest, meeting: ClassifiedMeeting,
                   meeting_forms: dict[str, forms.Form] | None = None,
                   status: int = 200, error: str = "") -> HttpResponse:
    return render(request, "compliance/places_meeting_detail.html", {
        "meeting": meeting, "error": error, "attendees": meeting_attendees(meeting),
        "documents": meeting_documents(meeting), "can_run": can_run(request.user, meeting),
        "open": meeting.state != "closed",
        "unrecorded": sp.measures_unrecorded(meeting),
        "jammer_required": sp.jammer_required(meeting.unit, meeting.level),
        **(meeting_forms or _meeting_forms(meeting))}, status=status)


class MeetingDetailView(LoginRequiredMixin, View):
    """The meeting page (reading a 机密 or 绝密 meeting is audited)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = _visible_meeting(request, pk)
        sp.record_meeting_read(request.user, meeting)
        return render_meeting(request, meeting)


class MeetingActionView(LoginRequiredMixin, View):
    """One action of the meeting page: name an attendee, record the measures, issue a
    document, close; a refusal shows on its form."""

    def post(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        meeting = _visible_meeting(request, pk)
        if action not in ("attendee", "measures", "document", "close"):
            raise Http404
        meeting_forms = _meeting_forms(meeting, request.POST, action)
        form = meeting_forms[f"{action}_form"]
        if not form.is_valid():
            return render_meeting(request, meeting, meeting_forms, 400)
        try:
            self._apply(request, meeting, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_meeting(request, meeting, meeting_forms, exc.status)
        return HttpResponseRedirect(reverse("compliance:meeting_detail", args=[meeting.pk]))

    @staticmethod
    def _apply(request: HttpRequest, meeting: ClassifiedMeeting, action: str,
               data: dict[str, Any]) -> None:
        user = request.user
        if action == "attendee":
            sp.add_attendee(user, meeting, **data)
        elif action == "measures":
            sp.record_meeting_measures(user, meeting, **data)
        elif action == "document":
            number = data.pop("carrier_number")
            carrier = None
            if number:
                carrier = carriers_visible_to(user).filter(unit_id=meeting.unit_id,
                                                           number=number).first()
                if carrier is None:
                    message = _("No carrier of this number in the ledger.")
                    raise DomainError(message, code="carrier_not_found",
                                      fields={"carrier_number": message})
            sp.issue_meeting_document(user, meeting, carrier=carrier, **data)
        else:
            sp.close_meeting(user, meeting)
            messages.success(request, _("The meeting was closed."))


class MeetingSignInView(LoginRequiredMixin, View):
    """A named attendee signs in at the door (rule M2)."""

    def post(self, request: HttpRequest, pk: Any, attendee_pk: Any) -> HttpResponse:
        meeting = _visible_meeting(request, pk)
        try:
            attendee = attendee_for(meeting, attendee_pk)
        except NotFound:
            raise Http404 from None
        try:
            sp.sign_in_attendee(request.user, attendee,
                                phone_handed_in=request.POST.get("phone_handed_in") == "on")
        except DomainError as exc:
            return render_meeting(request, meeting, status=exc.status, error=exc.message)
        return HttpResponseRedirect(reverse("compliance:meeting_detail", args=[meeting.pk]))


class MeetingDocumentReturnView(LoginRequiredMixin, View):
    """A document is collected back (rule M2)."""

    def post(self, request: HttpRequest, pk: Any, document_pk: Any) -> HttpResponse:
        meeting = _visible_meeting(request, pk)
        try:
            document = document_for(meeting, document_pk)
        except NotFound:
            raise Http404 from None
        try:
            sp.return_meeting_document(request.user, document)
        except DomainError as exc:
            return render_meeting(request, meeting, status=exc.status, error=exc.message)
        return HttpResponseRedirect(reverse("compliance:meeting_detail", args=[meeting.pk]))


class MeetingSignInSheetView(LoginRequiredMixin, View):
    """The printed 涉密会议签到表."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = _visible_meeting(request, pk)
        return download(docx_places.sign_in_sheet(meeting), f"涉密会议签到表-{meeting.pk}.docx")


class MeetingDocumentSheetView(LoginRequiredMixin, View):
    """The printed 会议文件发放回收登记表."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = _visible_meeting(request, pk)
        return download(docx_places.document_sheet(meeting),
                        f"会议文件发放回收登记表-{meeting.pk}.docx")
