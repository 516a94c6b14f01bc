"""The usage log of classified computers in the API (/api/v1/devices; rule D5): the books of a
device, opening one, the entries of a book a page at a time, recording a use, ending one,
closing a book and exporting it as .xlsx.

The handlers call selectors and services only; every input is bounded by its schema and a
refusal is a DomainError (a 4xx with `{"code", "message", "fields"}`). A device, book or entry
the caller does not see is a 404.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator

from baomi.accounts.models import Person
from baomi.core.downloads import XLSX
from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .exports_usage import usage_book_filename, write_usage_book
from .models import Device, UsageBook, UsageEntry
from .selectors import device_for
from .selectors_usage import usage_book_for, usage_books_of, usage_entries_page, usage_entry_for
from .services.usage import WORK_MAX, YEAR_MIN, discardable_from, retention_years

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]


def _aware(value: datetime) -> datetime:
    """A time without an offset is local time (Asia/Shanghai)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


Moment = Annotated[datetime, AfterValidator(_aware),
                   Field(description="ISO 8601; without an offset it is local time. Not in the "
                                     "future.")]


class UsageBookIn(Schema):
    year: int = Field(ge=YEAR_MIN, le=2100, description="Not after this year.")


class UsageBookOut(Schema):
    id: int
    device_id: int
    number: str
    year: int
    opened_on: date
    closed_on: date | None
    entry_count: int
    discardable_from: date = Field(description="rule D5: the day it may be discarded, once "
                                               "closed.")


class UsageBookPage(Schema):
    items: list[UsageBookOut]
    next_after: int | None


class UsageEntryIn(Schema):
    user_id: Key = Field(description="A registered user of the device or its responsible "
                                     "person (rule D2).")
    started_at: Moment
    ended_at: Moment | None = Field(None, description="Empty while the use goes on.")
    work: str = Field(min_length=1, max_length=WORK_MAX)
    level: int = Field(ge=0, le=3, description="0 非密, 1 秘密, 2 机密, 3 绝密; not above the "
                                               "device's level (rule D2).")


class UsageEndIn(Schema):
    ended_at: Moment


class UsageEntryOut(Schema):
    id: int
    book_id: int
    user_id: int
    user_name: str
    started_at: datetime
    ended_at: datetime | None
    work: str
    level: int


class UsageEntryPage(Schema):
    items: list[UsageEntryOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


def book_out(book: UsageBook, number: str, years: int, entry_count: int) -> dict[str, Any]:
    return {"id": book.pk, "device_id": book.device_id, "number": number, "year": book.year,
            "opened_on": book.opened_on, "closed_on": book.closed_on,
            "entry_count": entry_count, "discardable_from": discardable_from(book.year, years)}


def entry_out(entry: UsageEntry) -> dict[str, Any]:
    return {"id": entry.pk, "book_id": entry.book_id, "user_id": entry.user_id,
            "user_name": entry.user.name, "started_at": entry.started_at,
            "ended_at": entry.ended_at, "work": entry.work, "level": entry.level}


def _book_out(book: UsageBook) -> dict[str, Any]:
    return book_out(book, book.device.number, retention_years(book.device.unit),
                    UsageEntry.objects.filter(book_id=book.pk).count())


def _person_of(device: Device, pk: int) -> Person:
    found = Person.objects.filter(pk=pk, unit_id=device.unit_id).first()
    if found is None:
        message = _("Choose from the list.")
        raise InvalidInput(message, code="unknown", fields={"user_id": message})
    return found


@router.get("/devices/{device_id}/usage-books", response={200: UsageBookPage, **ERRORS},
            summary="The usage-log books of a device, newest year first (rule D5)")
def list_usage_books(request: HttpRequest, device_id: Id,
                     query: Query[PageQuery]) -> dict[str, Any]:
    """One book per year: `next_after` is the year of the last book of the page."""
    device = device_for(request.user, device_id)
    page = keyset_page(usage_books_of(device), None, key="year", size=query.limit,
                       after=query.after)
    years = retention_years(device.unit)
    return {"items": [book_out(book, device.number, years, getattr(book, "entry_count", 0))
                      for book in page.items],
            "next_after": page.next_after}


@router.post("/devices/{device_id}/usage-books", response={201: UsageBookOut, **ERRORS},
             summary="Open the usage-log book of a year (保密办 or responsible person; rule D5)")
def open_usage_book(request: HttpRequest, device_id: Id, data: UsageBookIn) -> Status:
    """400 `not_computer`, `not_classified` or `invalid_year`; 409 `book_exists`; 422
    `locked` for a retired device."""
    device = device_for(request.user, device_id)
    book = services.open_usage_book(request.user, device, year=data.year)
    return Status(201, _book_out(usage_book_for(request.user, book.pk)))


@router.get("/usage-books/{book_id}", response={200: UsageBookOut, **ERRORS})
def get_usage_book(request: HttpRequest, book_id: Id) -> Any:
    return _book_out(usage_book_for(request.user, book_id))


@router.get("/usage-books/{book_id}/entries", response={200: UsageEntryPage, **ERRORS},
            summary="The entries of a book in the order of the log (rule D5)")
def list_usage_entries(request: HttpRequest, book_id: Id,
                       query: Query[PageQuery]) -> dict[str, Any]:
    """`next_after` is the id of the last entry of the page; pass it as `after`."""
    book = usage_book_for(request.user, book_id)
    if query.after is None:
        services.record_usage_book_read(request.user, book)  # audited from 机密 up
    page = usage_entries_page(book, query.after, query.limit)
    return {"items": [entry_out(entry) for entry in page.items],
            "next_after": page.next_after}


@router.post("/usage-books/{book_id}/entries", response={201: UsageEntryOut, **ERRORS},
             summary="Record a use of the computer in this book (rules D2, D5)")
def record_usage(request: HttpRequest, book_id: Id, data: UsageEntryIn) -> Status:
    """400 `wrong_book` when the use did not start in the book's year, `future_time`,
    `end_before_start`; 422 `book_closed`, `level_above_device`, `clearance`,
    `not_device_user`, `locked`."""
    book = usage_book_for(request.user, book_id)
    entry = services.record_usage(
        request.user, book.device, book=book, user=_person_of(book.device, data.user_id),
        started_at=data.started_at, ended_at=data.ended_at, work=data.work, level=data.level)
    return Status(201, entry_out(entry))


@router.post("/usage-entries/{entry_id}/end", response={200: UsageEntryOut, **ERRORS},
             summary="Record the end of a use left open")
def end_usage(request: HttpRequest, entry_id: Id, data: UsageEndIn) -> Any:
    """409 `already_ended`; 400 `end_before_start`, `future_time`."""
    entry = usage_entry_for(request.user, entry_id)
    services.end_usage(request.user, entry, ended_at=data.ended_at)
    return entry_out(entry)


@router.post("/usage-books/{book_id}/close", response={200: UsageBookOut, **ERRORS},
             summary="Close a book after its year (保密办; rule D5)")
def close_usage_book(request: HttpRequest, book_id: Id) -> Any:
    """422 `year_not_over`; 409 `open_entries`, `already_closed`."""
    book = usage_book_for(request.user, book_id)
    services.close_usage_book(request.user, book)
    return _book_out(usage_book_for(request.user, book_id))


@router.get("/usage-books/{book_id}/export", response={**ERRORS},
            summary="One device's usage log for one year as .xlsx (rule D5)",
            openapi_extra={"responses": {"200": {
                "description": "The book as an .xlsx workbook.",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}})
def export_usage_book(request: HttpRequest, book_id: Id) -> FileResponse:
    book = usage_book_for(request.user, book_id)
    entries = (UsageEntry.objects.filter(book_id=book.pk).select_related("user")
               .order_by("started_at", "id"))
    output, rows = write_usage_book(book, entries.iterator(chunk_size=2000))
    services.record_usage_export(request.user, book, rows)
    return FileResponse(output, as_attachment=True, filename=usage_book_filename(book),
                        content_type=XLSX)
