"""The 保密组织机构 pages (rule Q1): the unit's 保密委员会 / 保密工作领导小组 with its members, the
meetings of a year counted against the policy, recording a meeting with its attendance, one
meeting, and the printed minutes and roster.

Read by the 保密办 and the leaders of the unit and by the committee's current members; written
by the 保密办. Anyone else, the 三员 included, gets a 404.
"""

import datetime as dt
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
from baomi.core.access import unit_perimeter
from baomi.core.downloads import XLSX, download, require_business
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import services_org
from .docx_org import minutes_docx, roster_docx
from .exports_org import write_meetings
from .forms_org import CommitteeForm, EndMemberForm, EstablishForm, MeetingForm, MemberForm
from .models import Committee
from .selectors_org import (
    READERS,
    can_manage,
    chair_is_legal_representative,
    committee_of_unit,
    committee_summary,
    current_members,
    former_members,
    is_quorate,
    meeting_attendance,
    meeting_for,
    meetings_in_year,
    member_for,
)

YEARS_BACK = 10


def own_unit(request: HttpRequest) -> Unit:
    require_business(request)
    unit: Unit = request.user.person.unit  # type: ignore[union-attr]
    return unit


def reads_unit(request: HttpRequest, unit: Unit) -> bool:
    """The 保密办 and the leaders read the committee of their unit."""
    return unit.pk in unit_perimeter(request.user, READERS)


def visible_committee(request: HttpRequest) -> Committee:
    """The active committee of the user's unit when the user reads it; 404 otherwise."""
    committee = committee_of_unit(request.user, own_unit(request))
    if committee is None:
        raise Http404
    return committee


def managed_committee(request: HttpRequest) -> Committee:
    committee = visible_committee(request)
    if not can_manage(request.user, committee):
        raise Http404
    return committee


def committee_initial(committee: Committee) -> dict[str, Any]:
    return {"kind": committee.kind, "name": committee.name,
            "established_on": committee.established_on,
            "document_number": committee.document_number,
            "legal_representative": committee.legal_representative,
            "duties": committee.duties}


class CommitteeView(LoginRequiredMixin, View):
    """The committee and its members; the 保密办 edits it, adds and ends members, or — when the
    unit has none — records it with its chair."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = own_unit(request)
        committee = committee_of_unit(request.user, unit)
        if committee is None:
            # The leaders see that none is recorded; the 保密办 records it.
            if not can_manage(request.user, unit) and not reads_unit(request, unit):
                raise Http404
            form = EstablishForm(unit_id=unit.pk) if can_manage(request.user, unit) else None
            return self._establish(request, unit, form)
        return render_committee(request, committee)

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = own_unit(request)
        if not can_manage(request.user, unit):
            raise Http404
        committee = committee_of_unit(request.user, unit)
        if committee is None:
            return self._post_establish(request, unit)
        form = CommitteeForm(request.POST)
        if not form.is_valid():
            return render_committee(request, committee, committee_form=form, status=400)
        try:
            services_org.update_committee(request.user, committee, **form.committee_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_committee(request, committee, committee_form=form, status=exc.status)
        messages.success(request, _("The committee was saved."))
        return HttpResponseRedirect(reverse("compliance:committee"))

    def _post_establish(self, request: HttpRequest, unit: Unit) -> HttpResponse:
        form = EstablishForm(request.POST, unit_id=unit.pk)
        if not form.is_valid():
            return self._establish(request, unit, form, 400)
        try:
            services_org.establish_committee(request.user, unit=unit, **form.establish_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._establish(request, unit, form, exc.status)
        messages.success(request, _("The committee was recorded."))
        return HttpResponseRedirect(reverse("compliance:committee"))

    def _establish(self, request: HttpRequest, unit: Unit, form: EstablishForm | None,
                   status: int = 200) -> HttpResponse:
        return render(request, "compliance/org_establish.html", {"unit": unit, "form": form},
                      status=status)


def render_committee(request: HttpRequest, committee: Committee, *,
                     committee_form: CommitteeForm | None = None,
                     member_form: MemberForm | None = None, status: int = 200) -> HttpResponse:
    manage = can_manage(request.user, committee)
    today = timezone.localdate()
    return render(request, "compliance/org_committee.html", {
        "committee": committee, "manage": manage,
        "members": current_members(committee),
        "former": keyset_page(former_members(committee), request),
        "chair_ok": chair_is_legal_representative(committee),
        "summary": committee_summary(committee.unit, today.year),
        "committee_form": committee_form or CommitteeForm(
            initial=committee_initial(committee)) if manage else None,
        "member_form": member_form or MemberForm(unit_id=committee.unit_id) if manage else None,
        "end_form": EndMemberForm(initial={"to_on": today}) if manage else None},
        status=status)


class MemberAddView(LoginRequiredMixin, View):
    """The 保密办 adds a member (a new chair in the chair's place, rule Q1)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        committee = managed_committee(request)
        form = MemberForm(request.POST, unit_id=committee.unit_id)
        if not form.is_valid():
            return render_committee(request, committee, member_form=form, status=400)
        try:
            services_org.add_member(request.user, committee, **form.member_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_committee(request, committee, member_form=form, status=exc.status)
        messages.success(request, _("The member was added."))
        return HttpResponseRedirect(reverse("compliance:committee"))


class MemberEndView(LoginRequiredMixin, View):
    """The 保密办 ends a membership; the chair stays until replaced (rule Q1)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        committee = managed_committee(request)
        try:
            member = member_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        if member.committee_id != committee.pk:
            raise Http404
        form = EndMemberForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid date."))
            return HttpResponseRedirect(reverse("compliance:committee"))
        try:
            services_org.end_member(request.user, member, to_on=form.cleaned_data["to_on"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("compliance:committee"))
        messages.success(request, _("The membership was ended."))
        return HttpResponseRedirect(reverse("compliance:committee"))


def chosen_year(request: HttpRequest, today: dt.date) -> int:
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and today.year - YEARS_BACK <= int(raw) <= today.year:
        return int(raw)
    return today.year


class MeetingListView(LoginRequiredMixin, View):
    """The meetings of a year with their count against what the policy asks (rule Q1)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        committee = visible_committee(request)
        today = timezone.localdate()
        year = chosen_year(request, today)
        meetings = meetings_in_year(committee, year).select_related("committee")
        return render(request, "compliance/org_meeting_list.html", {
            "committee": committee, "year": year, "manage": can_manage(request.user, committee),
            "years": range(today.year, max(committee.established_on.year,
                                           today.year - YEARS_BACK) - 1, -1),
            "summary": committee_summary(committee.unit, year),
            "page": keyset_page(meetings, request)})


class MeetingCreateView(LoginRequiredMixin, View):
    """The 保密办 records a meeting with its minutes and the attendance of each member."""

    def get(self, request: HttpRequest) -> HttpResponse:
        committee = managed_committee(request)
        form = MeetingForm(members=current_members(committee),
                           initial={"held_on": timezone.localdate()})
        return self._render(request, committee, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        committee = managed_committee(request)
        form = MeetingForm(request.POST, request.FILES, members=current_members(committee))
        if not form.is_valid():
            return self._render(request, committee, form, 400)
        try:
            meeting = services_org.record_meeting(request.user, committee,
                                                  **form.meeting_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, committee, form, exc.status)
        messages.success(request, _("The meeting was recorded."))
        return HttpResponseRedirect(reverse("compliance:committee_meeting_detail", args=[meeting.pk]))

    def _render(self, request: HttpRequest, committee: Committee, form: MeetingForm,
                status: int = 200) -> HttpResponse:
        return render(request, "compliance/org_meeting_form.html",
                      {"committee": committee, "form": form}, status=status)


def visible_meeting(request: HttpRequest, pk: Any) -> Any:
    require_business(request)
    try:
        return meeting_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class MeetingDetailView(LoginRequiredMixin, View):
    """One meeting: its minutes, decisions and attendance, and whether it was quorate."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = visible_meeting(request, pk)
        return render(request, "compliance/org_meeting_detail.html", {
            "meeting": meeting, "committee": meeting.committee,
            "attendance": meeting_attendance(meeting), "quorate": is_quorate(meeting)})


class MinutesDocxView(LoginRequiredMixin, View):
    """保密委员会会议纪要 (.docx)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = visible_meeting(request, pk)
        return download(minutes_docx(meeting), f"会议纪要-{meeting.held_on:%Y%m%d}.docx")


class RosterDocxView(LoginRequiredMixin, View):
    """组成人员名单 (.docx) of the committee."""

    def get(self, request: HttpRequest) -> HttpResponse:
        committee = visible_committee(request)
        return download(roster_docx(committee, timezone.localdate()),
                        f"{committee.name}组成人员名单.docx")


class MeetingAttachmentView(LoginRequiredMixin, View):
    """The meeting's attachment (the signed minutes or sign-in sheet, scanned)."""

    def get(self, request: HttpRequest, pk: Any) -> FileResponse:
        meeting = visible_meeting(request, pk)
        if not meeting.attachment:
            raise Http404
        try:
            handle = meeting.attachment.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        name = str(meeting.attachment.name).rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)


class MeetingExportView(LoginRequiredMixin, View):
    """The year's meetings as .xlsx, audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        committee = visible_committee(request)
        year = chosen_year(request, timezone.localdate())
        meetings = meetings_in_year(committee, year).select_related(
            "recorded_by__person").prefetch_related("attendance__member").order_by("held_on", "id")
        output, rows = write_meetings(meetings, f"{year}")
        services_org.record_meetings_export(request.user, committee, year, rows)
        return FileResponse(output, as_attachment=True, filename=f"committee-meetings-{year}.xlsx",
                            content_type=XLSX)
