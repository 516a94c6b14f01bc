"""The 资质与备案 page (the unit's qualifications with their state and the days left to file
the renewal, rule Q4; the applications and their reviews, rule Q3) and the 单位变更事项 page
(changes of the unit and their reports, rule Q6). The 保密办 writes; the leaders read."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.downloads import XLSX
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import services_qualification as services
from .choices_qualification import ApplicationResult, QualificationState
from .exports_qualification import qualification_ledger_filename, write_qualification_ledger
from .forms_qualification import (
    ApplicationForm,
    CertificateForm,
    QualificationForm,
    ReportForm,
    ReviewForm,
    RevokeForm,
    UnitChangeForm,
)
from .models import Qualification, QualificationApplication, UnitChange
from .selectors_qualification import (
    READERS,
    application_for,
    applications_visible_to,
    qualification_for,
    qualifications_visible_to,
    unit_change_for,
    unit_changes_visible_to,
)


def reader_unit(request: HttpRequest) -> tuple[Unit, bool]:
    """The user's unit and whether they write (its 保密办); 404 for anyone but the 保密办 and
    the leaders (rule T2: the 三员 open no business data)."""
    user: Any = request.user
    if not sees_business_data(user) or user.person.unit_id not in unit_perimeter(user, READERS):
        raise Http404
    writes = user.person.unit_id in unit_perimeter(user, {Role.SECRECY_OFFICE})
    unit: Unit = user.person.unit
    return unit, writes


def _found(getter: Any, request: HttpRequest, pk: Any) -> Any:
    reader_unit(request)
    try:
        return getter(request.user, pk)
    except NotFound:
        raise Http404 from None


def qualification_row(qualification: Qualification, today: dt.date) -> dict[str, Any]:
    """A qualification as its row shows it: the state as it reads today and, while it is
    valid, the renewal deadline of rule Q4 and the days left to it."""
    state = services.effective_state(qualification, today)
    row: dict[str, Any] = {"q": qualification, "state": state,
                           "state_label": QualificationState(state).label}
    if state == QualificationState.VALID:
        deadline = services.requalification_deadline(qualification)
        row.update(deadline=deadline.date, estimated=deadline.estimated,
                   days_left=(deadline.date - today).days,
                   days_late=max(0, (today - deadline.date).days))
    return row


def renewable(unit: Unit) -> QuerySet[Qualification]:
    return Qualification.objects.filter(
        unit=unit, state__in=(QualificationState.VALID, QualificationState.EXPIRED))


class QualificationListView(LoginRequiredMixin, View):
    """The unit's qualifications and applications; the 保密办 registers a qualification and
    records an application (`action` says which form was sent)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit, writes = reader_unit(request)
        return self._render(request, unit, writes, QualificationForm(),
                            ApplicationForm(renewable=renewable(unit)))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit, writes = reader_unit(request)
        qualification_form = QualificationForm()
        application_form = ApplicationForm(renewable=renewable(unit))
        try:
            if request.POST.get("action") == "application":
                application_form = ApplicationForm(request.POST, renewable=renewable(unit))
                if not application_form.is_valid():
                    return self._render(request, unit, writes, qualification_form,
                                        application_form, 400)
                services.file_application(request.user, unit=unit,
                                          **application_form.application_fields())
                messages.success(request, _("The application was recorded."))
            else:
                qualification_form = QualificationForm(request.POST)
                if not qualification_form.is_valid():
                    return self._render(request, unit, writes, qualification_form,
                                        application_form, 400)
                services.register_qualification(request.user, unit=unit,
                                                **qualification_form.qualification_fields())
                messages.success(request, _("The qualification was registered."))
        except DomainError as exc:
            target = (application_form if request.POST.get("action") == "application"
                      else qualification_form)
            add_domain_error(target, exc)
            return self._render(request, unit, writes, qualification_form, application_form,
                                exc.status)
        return HttpResponseRedirect(reverse("compliance:qualification_list"))

    def _render(self, request: HttpRequest, unit: Unit, writes: bool,
                qualification_form: QualificationForm, application_form: ApplicationForm,
                status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        page = keyset_page(qualifications_visible_to(request.user), request)
        applications = keyset_page(applications_visible_to(request.user), None, size=50)
        return render(request, "compliance/qualification_list.html", {
            "page": page, "rows": [qualification_row(q, today) for q in page.items],
            "applications": applications, "writes": writes,
            "qualification_form": qualification_form, "application_form": application_form},
            status=status)


class QualificationDetailView(LoginRequiredMixin, View):
    """One qualification; the 保密办 corrects its particulars or records its revocation."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        qualification = _found(qualification_for, request, pk)
        return self._render(request, qualification, self._initial(qualification), RevokeForm())

    @staticmethod
    def _initial(qualification: Qualification) -> QualificationForm:
        return QualificationForm(initial={
            name: getattr(qualification, name) for name in services.QUALIFICATION_INPUT})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        qualification = _found(qualification_for, request, pk)
        revoking = request.POST.get("action") == "revoke"
        form: Any = RevokeForm(request.POST) if revoking else QualificationForm(request.POST)
        edit_form = self._initial(qualification) if revoking else form
        revoke_form = form if revoking else RevokeForm()
        if not form.is_valid():
            return self._render(request, qualification, edit_form, revoke_form, 400)
        try:
            if revoking:
                services.revoke_qualification(request.user, qualification,
                                              reason=form.cleaned_data["reason"])
            else:
                services.update_qualification(request.user, qualification,
                                              **form.qualification_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, qualification, edit_form, revoke_form, exc.status)
        messages.success(request, _("The qualification was saved."))
        return HttpResponseRedirect(reverse("compliance:qualification_list"))

    def _render(self, request: HttpRequest, qualification: Qualification,
                edit_form: QualificationForm, revoke_form: RevokeForm,
                status: int = 200) -> HttpResponse:
        _unit, writes = reader_unit(request)
        open_states = (QualificationState.VALID, QualificationState.EXPIRED)
        return render(request, "compliance/qualification_detail.html", {
            "q": qualification, "row": qualification_row(qualification, timezone.localdate()),
            "writes": writes and qualification.state in open_states,
            "edit_form": edit_form, "revoke_form": revoke_form,
            "renewals": qualification.renewals.order_by("-applied_on", "-id")[:20]},
            status=status)


class ApplicationDetailView(LoginRequiredMixin, View):
    """One application; the 保密办 records its review (rule Q3) and then its certificate."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        application = _found(application_for, request, pk)
        return self._render(request, application, ReviewForm(), CertificateForm())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        application = _found(application_for, request, pk)
        certifying = request.POST.get("action") == "certificate"
        form: Any = CertificateForm(request.POST) if certifying else ReviewForm(request.POST)
        review_form = ReviewForm() if certifying else form
        certificate_form = form if certifying else CertificateForm()
        if not form.is_valid():
            return self._render(request, application, review_form, certificate_form, 400)
        try:
            if certifying:
                services.issue_certificate(request.user, application,
                                           **form.certificate_fields())
            else:
                services.record_review(request.user, application, **form.review_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, application, review_form, certificate_form,
                                exc.status)
        messages.success(request, _("The application was saved."))
        return HttpResponseRedirect(reverse("compliance:qualification_application",
                                            args=[application.pk]))

    def _render(self, request: HttpRequest, application: QualificationApplication,
                review_form: ReviewForm, certificate_form: CertificateForm,
                status: int = 200) -> HttpResponse:
        _unit, writes = reader_unit(request)
        reapply = (services.reapply_from(application.unit, application.type)
                   if application.result == ApplicationResult.FAILED else None)
        return render(request, "compliance/qualification_application.html", {
            "a": application, "writes": writes, "reapply_from": reapply,
            "review_form": review_form if application.result == ApplicationResult.PENDING
            else None,
            "certificate_form": certificate_form
            if application.result == ApplicationResult.PASSED
            and application.certificate_id is None else None}, status=status)


class UnitChangeListView(LoginRequiredMixin, View):
    """Changes of the unit with their report deadline (rule Q6); the 保密办 records one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _unit, writes = reader_unit(request)
        return self._render(request, writes, UnitChangeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit, writes = reader_unit(request)
        form = UnitChangeForm(request.POST)
        if not form.is_valid():
            return self._render(request, writes, form, 400)
        try:
            change = services.record_unit_change(request.user, unit=unit,
                                                 **form.change_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, writes, form, exc.status)
        messages.success(request, _("The change was recorded; report it by %(day)s.") % {
            "day": change.report_due_on.isoformat()})
        return HttpResponseRedirect(reverse("compliance:unit_change", args=[change.pk]))

    def _render(self, request: HttpRequest, writes: bool, form: UnitChangeForm,
                status: int = 200) -> HttpResponse:
        page = keyset_page(unit_changes_visible_to(request.user), request)
        return render(request, "compliance/qualification_changes.html", {
            "page": page, "today": timezone.localdate(), "writes": writes, "form": form},
            status=status)


class UnitChangeDetailView(LoginRequiredMixin, View):
    """One change, whether the 备案 must be amended or filed anew (seed 000 细则§34–35), and
    the 保密办's report of it (rule Q6)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, _found(unit_change_for, request, pk), ReportForm())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        change = _found(unit_change_for, request, pk)
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self._render(request, change, form, 400)
        try:
            services.report_unit_change(request.user, change, **form.report_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, change, form, exc.status)
        messages.success(request, _("The report was recorded."))
        return HttpResponseRedirect(reverse("compliance:unit_change", args=[change.pk]))

    def _render(self, request: HttpRequest, change: UnitChange, form: ReportForm,
                status: int = 200) -> HttpResponse:
        _unit, writes = reader_unit(request)
        return render(request, "compliance/qualification_change.html", {
            "c": change, "writes": writes and change.reported_on is None, "form": form,
            "overdue": change.reported_on is None
            and change.report_due_on < timezone.localdate()}, status=status)


class QualificationLedgerView(LoginRequiredMixin, View):
    """The 资质/备案台帐 as .xlsx: qualifications, applications and unit changes."""

    def get(self, request: HttpRequest) -> FileResponse:
        unit, _writes = reader_unit(request)
        output = write_qualification_ledger(
            qualifications_visible_to(request.user).filter(unit=unit).order_by("type", "id"),
            applications_visible_to(request.user).filter(unit=unit).order_by("applied_on",
                                                                              "id"),
            unit_changes_visible_to(request.user).filter(unit=unit).order_by("occurred_on",
                                                                             "id"),
            timezone.localdate())
        services.record_ledger_export(request.user, unit)
        return FileResponse(output, as_attachment=True,
                            filename=qualification_ledger_filename(unit), content_type=XLSX)
