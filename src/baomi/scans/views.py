"""The check tool's pages (rule D11): the register of reports and one report, the upload of a
report file carried on a USB stick, the unit's keyword lists and profiles, and how to run the
tool against this server.

The register and a report are read through `reports_visible_to`; everything else is the
保密办's, and anyone else gets a 404 (rule T2).
"""

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.core.downloads import download
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page
from baomi.scanner.model import LEVEL_NAMES

from . import services
from .forms import ImportForm, KeywordListForm, ProfileForm, ReportFilterForm, UploadForm
from .models import KeywordList, ScanProfile, ScanReport
from .selectors import (
    filter_reports,
    keyword_list_for,
    keyword_lists_visible_to,
    office_units,
    profile_for,
    profiles_visible_to,
    report_for,
    reports_visible_to,
)

T = TypeVar("T")

VERDICT_CLEAN = {"clean": True, "violations": False}


def or_404(select: Callable[[Any, int], T], request: HttpRequest, pk: int) -> T:
    """What a selector finds for the user, or 404 (what they may not see, they cannot tell)."""
    try:
        return select(request.user, pk)
    except NotFound:
        raise Http404 from None


def office_unit(request: HttpRequest) -> Unit:
    """The unit of a 保密办 officer; 404 for anyone else."""
    user: Any = request.user
    if user.person.unit_id not in office_units(user):
        raise Http404
    unit: Unit = user.person.unit
    return unit


def level_name(level: Any) -> str:
    return LEVEL_NAMES.get(level, _("none")) if isinstance(level, int) else ""


def location_text(location: Any) -> str:
    """A finding's location as one line: member › part, line, page, sheet!cell, slide."""
    if not isinstance(location, dict):
        return ""
    parts = [str(location[key]) for key in ("member", "part") if location.get(key)]
    labels = {"line": _("line %s"), "page": _("page %s"), "slide": _("slide %s")}
    parts += [labels[key] % location[key] for key in labels if location.get(key)]
    if location.get("sheet"):
        parts.append(f"{location['sheet']}!{location.get('cell', '')}".rstrip("!"))
    return " · ".join(parts)


def _files(data: dict[str, Any]) -> list[dict[str, Any]]:
    files = []
    for entry in data.get("files", []):
        findings = [{**f, "where": location_text(f.get("location")),
                     "level_name": level_name(f.get("level"))}
                    for f in entry.get("findings", []) if isinstance(f, dict)]
        files.append({**entry, "level_name": level_name(entry.get("level")),
                      "finding_rows": findings})
    return files


class ReportListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = ReportFilterForm(request.GET or None)
        reports = reports_visible_to(request.user).select_related("device")
        if filters.is_valid():
            data = filters.cleaned_data
            reports = filter_reports(reports, device=data["device"].strip(),
                                     clean=VERDICT_CLEAN.get(data["verdict"]),
                                     date_from=data["date_from"], date_to=data["date_to"])
        page = keyset_page(reports, request)
        is_office = request.user.person.unit_id in office_units(request.user)  # type: ignore[union-attr]
        return render(request, "scans/report_list.html",
                      {"filters": filters, "page": page, "is_office": is_office})


class ReportDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = or_404(report_for, request, pk)
        services.record_report_read(request.user, report)
        data = report.report
        return render(request, "scans/report_detail.html", {
            "report": report, "data": data, "files": _files(data),
            "highest_level_name": level_name(report.highest_level),
            "rectifications": report.rectifications.select_related("owner__person")
            .order_by("id"),
        })


class ReportJsonView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = or_404(report_for, request, pk)
        services.record_report_read(request.user, report)
        content = json.dumps(report.report, ensure_ascii=False, indent=1).encode("utf-8")
        return download(content, f"scan-report-{report.pk}.json", "application/json")


class ReportUploadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        return render(request, "scans/report_upload.html", {"form": UploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = json.loads(form.cleaned_data["file"].read().decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                form.add_error("file", _("The file is not a JSON report."))
            else:
                try:
                    scan = services.receive_report(request.user, form.cleaned_data["device"],
                                                   report)
                except DomainError as error:
                    add_domain_error(form, error, field_of=lambda name: {
                        "report": "file"}.get(name, name))
                else:
                    messages.success(request, _("The report was received."))
                    return HttpResponseRedirect(reverse("scans:report_detail", args=[scan.pk]))
        return render(request, "scans/report_upload.html", {"form": form}, status=400)


class KeywordListListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, KeywordListForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        form = KeywordListForm(request.POST)
        if form.is_valid():
            try:
                made = services.create_keyword_list(request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The keyword list was saved."))
                return HttpResponseRedirect(reverse("scans:keyword_list_edit", args=[made.pk]))
        return self.page(request, form, status=400)

    def page(self, request: HttpRequest, form: KeywordListForm, status: int = 200) -> HttpResponse:
        office_unit(request)
        lists = [(k, len(k.term_list)) for k in keyword_lists_visible_to(request.user)]
        return render(request, "scans/keyword_lists.html", {"lists": lists, "form": form},
                      status=status)


class KeywordListEditView(LoginRequiredMixin, View):
    def found(self, request: HttpRequest, pk: int) -> KeywordList:
        office_unit(request)
        return or_404(keyword_list_for, request, pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        keyword_list = self.found(request, pk)
        form = KeywordListForm(initial={"name": keyword_list.name, "terms": keyword_list.terms})
        return self.page(request, keyword_list, form, ImportForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        keyword_list = self.found(request, pk)
        importing = "import" in request.POST
        form = KeywordListForm(None if importing else request.POST,
                               initial={"name": keyword_list.name, "terms": keyword_list.terms})
        upload = ImportForm(request.POST if importing else None,
                            request.FILES if importing else None)
        target: Any = upload if importing else form
        if target.is_valid():
            try:
                if importing:
                    services.import_keyword_list(request.user, keyword_list,
                                                 upload.cleaned_data["file"].read())
                else:
                    services.update_keyword_list(request.user, keyword_list,
                                                 **form.cleaned_data)
            except DomainError as error:
                add_domain_error(target, error, field_of=lambda name: {
                    "terms": "file"}.get(name, name) if importing else name)
            else:
                messages.success(request, _("The keyword list was saved."))
                return HttpResponseRedirect(reverse("scans:keyword_list_edit", args=[pk]))
        return self.page(request, keyword_list, form, upload, status=400)

    def page(self, request: HttpRequest, keyword_list: KeywordList, form: KeywordListForm,
             upload: ImportForm, status: int = 200) -> HttpResponse:
        return render(request, "scans/keyword_list_edit.html",
                      {"keyword_list": keyword_list, "count": len(keyword_list.term_list),
                       "form": form, "upload": upload}, status=status)


def _profile_fields(form: ProfileForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


class ProfileListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, ProfileForm(keyword_lists=keyword_lists_visible_to(request.user)))

    def post(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        form = ProfileForm(request.POST, keyword_lists=keyword_lists_visible_to(request.user))
        if form.is_valid():
            try:
                services.create_profile(request.user, **_profile_fields(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The profile was saved."))
                return HttpResponseRedirect(reverse("scans:profile_list"))
        return self.page(request, form, status=400)

    def page(self, request: HttpRequest, form: ProfileForm, status: int = 200) -> HttpResponse:
        office_unit(request)
        return render(request, "scans/profile_list.html",
                      {"profiles": profiles_visible_to(request.user), "form": form},
                      status=status)


class ProfileEditView(LoginRequiredMixin, View):
    def found(self, request: HttpRequest, pk: int) -> ScanProfile:
        office_unit(request)
        return or_404(profile_for, request, pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self.found(request, pk)
        form = ProfileForm(keyword_lists=keyword_lists_visible_to(request.user), initial={
            "name": profile.name, "base": profile.base, "keyword_list": profile.keyword_list,
            "limits": profile.limits, "note": profile.note})
        return render(request, "scans/profile_edit.html", {"profile": profile, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self.found(request, pk)
        form = ProfileForm(request.POST, keyword_lists=keyword_lists_visible_to(request.user))
        if form.is_valid():
            try:
                services.update_profile(request.user, profile, **_profile_fields(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The profile was saved."))
                return HttpResponseRedirect(reverse("scans:profile_list"))
        return render(request, "scans/profile_edit.html", {"profile": profile, "form": form},
                      status=400)


class HowToView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        server = request.build_absolute_uri("/").rstrip("/")
        profiles = [(p, len(p.keyword_list.term_list) if p.keyword_list else 0)
                    for p in profiles_visible_to(request.user)]
        example = profiles[0][0].name if profiles else "unclassified"
        return render(request, "scans/howto.html", {
            "server": server, "profiles": profiles, "example": example,
            "upload_url": server + "/api/v1/scans/reports",
            "reports": ScanReport.objects.filter(unit=office_unit(request)).count(),
        })
