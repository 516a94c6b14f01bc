"""Pages of the usage log of classified computers (rule D5): the panel on the device page
(`templatetags/devices_usage.py`) with the books by year, opening a book, a book's page with
its entries — recording a use, ending one, closing the book, exporting it — and the 保密办's
page of the books past their retention, where they are discarded.

A book is opened only by those who see its device (404 otherwise); the forms are shown to
those who may use them, and a refusal of a service is shown on its form with the refusal's
status.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import KeysetPage, keyset_page, parse_key

from .. import services
from ..choices import LOCKED_DEVICE_STATES, DeviceState
from ..exports_usage import usage_book_filename, write_usage_book
from ..forms_usage import DiscardForm, EndUsageForm, OpenBookForm, UsageForm
from ..models import Device, UsageBook, UsageEntry
from ..selectors import manages_devices
from ..selectors_usage import (
    usage_book_for,
    usage_books_of,
    usage_entries_page,
    usage_entry_for,
)
from ..services.common import today
from ..services.usage import books_past_retention, discardable_from, retention_years
from .common import XLSX, office_unit, require_business, visible_device


def may_open_book(user: Any, device: Device) -> bool:
    return services.keeps_usage_log(device) and device.state not in LOCKED_DEVICE_STATES \
        and services.may_keep_books(user, device)


def usage_panel(user: Any, device: Device, form: Form | None = None) -> dict[str, Any]:
    """What the usage-log panel of a device page shows `user`: nothing for a device that
    keeps no log (rule D5) and has no book."""
    books = list(usage_books_of(device))
    if not books and not services.keeps_usage_log(device):
        return {"device": None}
    year = today().year
    may_open = may_open_book(user, device)
    return {"device": device, "books": books, "year": year,
            "missing": services.keeps_usage_log(device) and device.state == DeviceState.IN_USE
            and all(book.year != year for book in books),
            "form": (form or OpenBookForm(auto_id="usage_%s")) if may_open else None}


def visible_book(request: HttpRequest, pk: Any) -> UsageBook:
    """A book of a device the user sees (rule L5); 404 otherwise."""
    require_business(request)
    try:
        return usage_book_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class UsageBookOpenView(LoginRequiredMixin, View):
    """Opening a book (rule D5): the panel posts here; a refusal lands on a page of its own."""

    def _device(self, request: HttpRequest, pk: int) -> Device:
        device = visible_device(request, pk)
        if not services.may_keep_books(request.user, device):
            raise Http404
        return device

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self._device(request, pk)
        return self._render(request, device, OpenBookForm(auto_id="usage_%s"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self._device(request, pk)
        form = OpenBookForm(request.POST, auto_id="usage_%s")
        if not form.is_valid():
            return self._render(request, device, form, 400)
        try:
            book = services.open_usage_book(request.user, device, year=form.cleaned_data["year"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, device, form, exc.status)
        messages.success(request, _("The usage-log book was opened."))
        return HttpResponseRedirect(reverse("devices:usage_book", args=[book.pk]))

    def _render(self, request: HttpRequest, device: Device, form: OpenBookForm,
                status: int = 200) -> HttpResponse:
        return render(request, "devices/usage_open.html", {"device": device, "form": form},
                      status=status)


def _pager(request: HttpRequest, next_after: int | None) -> KeysetPage:
    """First and next links of the entries, keeping the other parameters."""
    params = request.GET.copy()
    after = params.pop("after", None)
    first_url = f"?{params.urlencode()}" if after else None
    next_url = None
    if next_after is not None:
        params["after"] = str(next_after)
        next_url = f"?{params.urlencode()}"
    return KeysetPage([], next_after, first_url, next_url)


class UsageBookView(LoginRequiredMixin, View):
    """One book: its entries in the order of the log, a page at a time; the forms recording
    a use (`action=record`) and closing the book (`action=close`). Opening the log of a 机密
    or 绝密 computer is audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        book = visible_book(request, pk)
        if request.GET.get("after") is None:
            services.record_usage_book_read(request.user, book)  # audited from 机密 up
        return self._render(request, book)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        book = visible_book(request, pk)
        action = request.POST.get("action")
        if action == "close":
            return self._close(request, book)
        form = self._record_form(request, book, request.POST) if action == "record" else None
        if form is None:
            raise Http404
        if not form.is_valid():
            return self._render(request, book, record=form, status=400)
        try:
            services.record_usage(request.user, book.device, book=book,
                                  **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, book, record=form, status=exc.status)
        messages.success(request, _("The use was recorded."))
        return HttpResponseRedirect(reverse("devices:usage_book", args=[book.pk]))

    def _close(self, request: HttpRequest, book: UsageBook) -> HttpResponse:
        if not manages_devices(request.user, book.device.unit_id):
            raise Http404
        try:
            services.close_usage_book(request.user, book)
        except DomainError as exc:
            form = Form({})  # bound and cleaned, so that it takes the refusal as its error
            form.full_clean()
            add_domain_error(form, exc)
            return self._render(request, book, close_error=form, status=exc.status)
        messages.success(request, _("The usage-log book was closed."))
        return HttpResponseRedirect(reverse("devices:usage_book", args=[book.pk]))

    def _record_form(self, request: HttpRequest, book: UsageBook,
                     data: Any = None) -> UsageForm | None:
        """The form for whoever may record here: anyone of a keeper's kind records for any
        user of the device; a user of it only their own use. None when the book is closed."""
        device, user = book.device, request.user
        if book.closed_on is not None or device.state in LOCKED_DEVICE_STATES \
                or not services.may_record_usage(user, device):
            return None
        own = None if services.may_keep_books(user, device) else getattr(user, "person", None)
        return UsageForm(data, device=device, own_person=own, prefix="record",
                         initial={"user": getattr(user, "person_id", None)})

    def _render(self, request: HttpRequest, book: UsageBook, *, record: UsageForm | None = None,
                end_error: Form | None = None, close_error: Form | None = None,
                status: int = 200) -> HttpResponse:
        page = usage_entries_page(book, parse_key(request.GET.get("after")))
        user: Any = request.user
        office = manages_devices(user, book.device.unit_id)
        years = retention_years(book.device.unit)
        return render(request, "devices/usage_book.html", {
            "book": book, "device": book.device, "entries": page.items,
            "page": _pager(request, page.next_after),
            "record": record or self._record_form(request, book),
            "end_form": EndUsageForm(prefix="end", initial={
                "ended_at": timezone.localtime().replace(second=0, microsecond=0)}),
            "may_end": {entry.pk for entry in page.items if entry.ended_at is None
                        and services.may_record_usage(user, book.device, entry.user_id)},
            "end_error": end_error, "close_error": close_error,
            "may_close": office and book.closed_on is None and book.year < today().year,
            "kept_until": discardable_from(book.year, years),
            "audited": services.read_is_audited(book.device)}, status=status)


class UsageEndView(LoginRequiredMixin, View):
    """The end of an open use; a refusal is shown on the book's page."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_business(request)
        try:
            entry = usage_entry_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        form = EndUsageForm(request.POST, prefix="end")
        try:
            if not form.is_valid():
                return self._refused(request, entry, form, 400)
            services.end_usage(request.user, entry, ended_at=form.cleaned_data["ended_at"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._refused(request, entry, form, exc.status)
        messages.success(request, _("The end of the use was recorded."))
        return HttpResponseRedirect(reverse("devices:usage_book", args=[entry.book_id]))

    def _refused(self, request: HttpRequest, entry: UsageEntry, form: EndUsageForm,
                 status: int) -> HttpResponse:
        book = visible_book(request, entry.book_id)
        return UsageBookView()._render(request, book, end_error=form, status=status)


class UsageBookExportView(LoginRequiredMixin, View):
    """rule D5: one device's log for one year as .xlsx, streamed and audited."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        book = visible_book(request, pk)
        entries = (UsageEntry.objects.filter(book_id=book.pk).select_related("user")
                   .order_by("started_at", "id"))
        output, rows = write_usage_book(book, entries.iterator(chunk_size=2000))
        services.record_usage_export(request.user, book, rows)
        return FileResponse(output, as_attachment=True, filename=usage_book_filename(book),
                            content_type=XLSX)


def with_entry_count(books: Any) -> Any:
    """Each book with `entry_count`, counted per row shown rather than over the whole set."""
    count = (UsageEntry.objects.filter(book_id=OuterRef("pk")).order_by()
             .values("book_id").annotate(n=Count("id")).values("n"))
    return books.annotate(entry_count=Subquery(count, output_field=IntegerField()))


class UsageRetentionView(LoginRequiredMixin, View):
    """rule D5: the 保密办's list of the closed books past their retention, and the
    confirmed discarding of them all."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        return self._render(request, unit, DiscardForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = DiscardForm(request.POST)
        if not form.is_valid():
            return self._render(request, unit, form, 400)
        try:
            count = services.discard_usage_books(request.user, unit)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, unit, form, exc.status)
        messages.success(request, _("%(count)s usage-log books were discarded.")
                         % {"count": count})
        return HttpResponseRedirect(reverse("devices:usage_books"))

    def _render(self, request: HttpRequest, unit: Any, form: DiscardForm,
                status: int = 200) -> HttpResponse:
        years = retention_years(unit)
        books = with_entry_count(books_past_retention(request.user, unit))
        page = keyset_page(books.select_related("device"), request)
        return render(request, "devices/usage_books.html", {
            "title": _("Usage logs past retention"), "page": page, "years": years,
            "last_year": today().year - 1 - years, "form": form}, status=status)
