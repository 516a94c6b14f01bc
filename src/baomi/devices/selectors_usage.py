"""Who sees which usage-log book and entry (rules D5, L5): those who see the device
(`devices_visible_to`). The entries of a book are paged by key in the order of the log —
start time, then id — on the index (book, started_at, id), so one device's log for a year
reads the same at its first page and at its last.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from baomi.core.errors import NotFound
from baomi.core.paging import PAGE_SIZE, parse_key

from .models import Device, UsageBook, UsageEntry
from .selectors import devices_visible_to


def sees_device_of(user: Any) -> Exists:
    """SQL over a book: its device is visible to `user` — a correlated EXISTS, evaluated for
    the rows at hand rather than over every device the user sees."""
    return Exists(devices_visible_to(user).filter(pk=OuterRef("device_id")))


def usage_books_visible_to(user: Any) -> QuerySet[UsageBook]:
    return UsageBook.objects.filter(sees_device_of(user))


def usage_books_of(device: Device) -> QuerySet[UsageBook]:
    """The books of a device the caller already sees, newest year first, each with its
    `entry_count` (one aggregate query)."""
    return (UsageBook.objects.filter(device_id=device.pk).annotate(entry_count=Count("entries"))
            .order_by("-year", "-id"))


def usage_book_for(user: Any, pk: Any) -> UsageBook:
    """One visible book by id, its device selected; NotFound for anything else."""
    key = parse_key(pk)
    found = (usage_books_visible_to(user)
             .select_related("device", "device__unit", "device__responsible", "opened_by__person",
                             "closed_by__person")
             .filter(pk=key).first() if key else None)
    if found is None:
        raise NotFound()
    return found


def usage_entry_for(user: Any, pk: Any) -> UsageEntry:
    """One entry of a visible book by id; NotFound for anything else."""
    key = parse_key(pk)
    found = (UsageEntry.objects.select_related("book", "book__device", "user")
             .filter(pk=key, book__in=usage_books_visible_to(user)).first() if key else None)
    if found is None:
        raise NotFound()
    return found


@dataclass
class EntryPage:
    items: list[UsageEntry]
    next_after: int | None


def usage_entries_page(book: UsageBook, after: int | None = None,
                       limit: int = PAGE_SIZE) -> EntryPage:
    """One page of the book's entries in the order of the log, after the entry `after` (an
    id of this book; an unknown one gives an empty page)."""
    entries = UsageEntry.objects.filter(book_id=book.pk)
    if after is not None:
        started = entries.filter(pk=after).values_list("started_at", flat=True).first()
        if started is None:
            return EntryPage([], None)
        entries = entries.filter(Q(started_at__gt=started) | Q(started_at=started, pk__gt=after))
    items = list(entries.select_related("user").order_by("started_at", "id")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return EntryPage(items, items[-1].pk if more and items else None)
