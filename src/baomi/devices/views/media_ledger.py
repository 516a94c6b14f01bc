"""The removable-media ledger (存储介质台帐, rule D4): the list with its filters, registration
by the 保密办, the .xlsx export and one medium, which the 保密办 moves or hands to another
responsible person (rule D2). Opening a 机密 or 绝密 medium is audited."""

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

from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error
from baomi.core.labels import Level
from baomi.core.paging import keyset_page

from .. import services
from ..choices import MediumKind, MediumState
from ..exports import write_media
from ..forms import MediumForm, MediumUpdateForm, departments
from ..models import Medium
from ..selectors import manages_devices
from .common import XLSX, is_office, office_unit, require_business, visible_medium
from .filters import ledger_media, medium_filters, query_of


class MediumListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = medium_filters(request.GET)
        page = keyset_page(ledger_media(request.user, filters), request)
        user: Any = request.user
        return render(request, "devices/medium_list.html", {
            "page": page, "filters": filters, "kinds": MediumKind.choices,
            "levels": Level.choices, "states": MediumState.choices,
            "departments": departments(user.person.unit_id),
            "can_manage": is_office(request),
            "export_query": urlencode(query_of(filters))})


class MediumExportView(LoginRequiredMixin, View):
    """The filtered media ledger as .xlsx — only the media the user sees (rule L5) — streamed
    and audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        require_business(request)
        filters = medium_filters(request.GET)
        media = ledger_media(request.user, filters).order_by("-id")
        output, rows = write_media(media.iterator(chunk_size=2000))
        user: Any = request.user
        services.record_media_export(user, user.person.unit_id, query_of(filters), rows)
        name = f"media-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


class MediumNewView(LoginRequiredMixin, View):
    """A medium enters the ledger with its level label (rule D4), by the 保密办."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        user: Any = request.user
        form = MediumForm(unit_id=unit.pk, initial={"responsible": user.person_id,
                                                    "level": int(Level.SECRET)})
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = MediumForm(request.POST, unit_id=unit.pk)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            medium = services.register_medium(
                request.user, unit=unit, department=data["department"], number=data["number"],
                kind=data["kind"], level=data["level"], responsible=data["responsible"],
                capacity=data["capacity"], model=data["model"], serial_no=data["serial_no"],
                location=data["location"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The medium was registered."))
        return HttpResponseRedirect(reverse("devices:medium_detail", args=[medium.pk]))

    def _render(self, request: HttpRequest, form: MediumForm, status: int = 200
                ) -> HttpResponse:
        return render(request, "devices/medium_new.html", {"form": form}, status=status)


def _update_form(medium: Medium, data: Any = None) -> MediumUpdateForm:
    return MediumUpdateForm(data, unit_id=medium.unit_id, prefix="update", initial={
        "location": medium.location, "responsible": medium.responsible_id})


class MediumDetailView(LoginRequiredMixin, View):
    """One medium; for the 保密办 the form moving it or handing it to another responsible
    person cleared for its level (rule D2)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        medium = visible_medium(request, pk)
        services.record_medium_read(request.user, medium)  # audited from 机密 up
        return self._render(request, medium)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        medium = visible_medium(request, pk)
        if request.POST.get("action") != "update" \
                or not manages_devices(request.user, medium.unit_id):
            raise Http404
        form = _update_form(medium, request.POST)
        if not form.is_valid():
            return self._render(request, medium, form, 400)
        try:
            services.update_medium(request.user, medium, location=form.cleaned_data["location"],
                                   responsible=form.cleaned_data["responsible"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, medium, form, exc.status)
        messages.success(request, _("The medium was updated."))
        return HttpResponseRedirect(reverse("devices:medium_detail", args=[medium.pk]))

    def _render(self, request: HttpRequest, medium: Medium,
                form: MediumUpdateForm | None = None, status: int = 200) -> HttpResponse:
        office = manages_devices(request.user, medium.unit_id)
        editable = office and not services.is_locked(medium)  # rule D8: a retired one is locked
        return render(request, "devices/medium_detail.html", {
            "medium": medium, "office": office,
            "update_form": form if form is not None else (
                _update_form(medium) if editable else None),
            "audited": services.read_is_audited(medium)}, status=status)
