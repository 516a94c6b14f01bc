"""The usage log of classified computers (rule D5): one book per computer and calendar year,
its entries — who used it, from when to when, for what work at what level — and the filing
and discarding of the books.

A book is opened for a year by the 保密办 or the computer's responsible person; each use is
recorded by the 保密办, the responsible person, or the user themself, in the book of the year
the use started. The work never exceeds the computer's level (rule D2) nor the user's
clearance, and only its registered users (or its responsible person) use it. After the year
the 保密办 closes (files) the book; it is kept `devices.usage_log_retention_years` years after
its year and may then be discarded: the book of year Y from 1 January of Y + 1 + years.
Every write checks access and the rules and records its audit event in one transaction.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Person, Unit
from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level
from baomi.core.policy import policy_of

from ..choices import FAMILY, LOCKED_DEVICE_STATES, DeviceFamily, DeviceKind
from ..models import Device, DeviceUser, UsageBook, UsageEntry
from ..selectors import devices_visible_to, manages_devices
from ..selectors_usage import usage_books_visible_to
from . import common
from .common import instance, invalid, person_of, require_cleared, require_office, require_user
from .ledger import READ_AUDITED_FROM

WORK_MAX = 500
YEAR_MIN = 2000
MOMENT_MIN = dt.datetime(YEAR_MIN, 1, 1, tzinfo=dt.UTC)
RETENTION_KEY = "devices.usage_log_retention_years"


# --- rule D5: which devices keep a log, and how long a book is kept -----------------------------


def keeps_usage_log(device: Device) -> bool:
    """rule D5: every classified computer (desktop, portable, server, 中间机) keeps one."""
    return FAMILY[DeviceKind(device.kind)] == DeviceFamily.COMPUTER \
        and int(device.level) > Level.NONSECRET


def retention_years(unit: Unit) -> int:
    return int(policy_of(unit)[RETENTION_KEY])


def discardable_from(year: int, years: int) -> dt.date:
    """rule D5: the book of `year` is kept `years` full years after its year ends; it may go
    on the 1 January after (with 5 years, the 2020 book on 2026-01-01)."""
    return dt.date(year + 1 + years, 1, 1)


def last_year_discardable(today: dt.date, years: int) -> int:
    """The most recent year whose book may be discarded on `today`."""
    return today.year - 1 - years


def local_year(moment: dt.datetime) -> int:
    """The calendar year (Asia/Shanghai) a use started in: the book it belongs to."""
    return timezone.localtime(moment).year


# --- access -------------------------------------------------------------------------------------


def is_responsible(user: Any, device: Device) -> bool:
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id == device.responsible_id


def may_keep_books(user: Any, device: Device) -> bool:
    """The 保密办 of the device's unit or its responsible person opens a book."""
    return manages_devices(user, device.unit_id) or is_responsible(user, device)


def may_record_usage(user: Any, device: Device, person_id: int | None = None) -> bool:
    """The 保密办, the responsible person, or the user themself (`person_id`) records a use;
    without `person_id`: whether the user may record any use at all (their own included)."""
    own = getattr(user, "person_id", None)
    if may_keep_books(user, device):
        return True
    if own is None:
        return False
    if person_id is not None:
        return own == person_id
    return DeviceUser.objects.filter(device_id=device.pk, person_id=own).exists()


def _seen_device(actor: Any, device: Any) -> Device:
    """A device the actor sees (rule L5); NotFound otherwise."""
    require_user(actor)
    if not isinstance(device, Device) or device.pk is None:
        raise NotFound()
    found = devices_visible_to(actor).select_related("unit").filter(pk=device.pk).first()
    if found is None:
        raise NotFound()
    return found


def _seen_book(actor: Any, book_id: Any) -> UsageBook:
    """A book of a device the actor sees (rule L5), its device selected; NotFound otherwise."""
    require_user(actor)
    found = (usage_books_visible_to(actor).select_related("device", "device__unit")
             .filter(pk=book_id).first() if isinstance(book_id, int) else None)
    if found is None:
        raise NotFound()
    return found


def _locked_device(device: Device) -> Device:
    """The device row, locked for this transaction (PostgreSQL; SQLite serialises writers)."""
    return Device.objects.select_for_update().get(pk=device.pk)


def _not_keeper() -> AccessDenied:
    return AccessDenied(_("Only the secrecy office or the device's responsible person can do "
                          "this."), code="not_office_or_responsible")


# --- checks of the rules ------------------------------------------------------------------------


def _require_unlocked(device: Device) -> None:
    if device.state in LOCKED_DEVICE_STATES:  # rule D8: a retired device is locked
        raise RuleViolation(_("The device is retired: its records can no longer change."),
                            code="locked", rule="D8")


def _require_keeps_log(device: Device) -> None:
    """rule D5: a usage log is kept for classified computers only."""
    if FAMILY[DeviceKind(device.kind)] != DeviceFamily.COMPUTER:
        raise InvalidInput(_("A usage log is kept for computers only."), code="not_computer")
    if int(device.level) <= Level.NONSECRET:
        raise InvalidInput(_("A non-secret computer keeps no usage log."),
                           code="not_classified")


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) \
            or not YEAR_MIN <= value <= common.today().year:
        raise invalid("year", _("Enter a year from %(low)s to this year.") % {"low": YEAR_MIN},
                      code="invalid_year")
    return value


def _moment(value: Any, field: str) -> dt.datetime:
    """An aware moment not in the future."""
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise invalid(field, _("Enter a valid date and time."))
    if value > timezone.now():
        raise invalid(field, _("The time cannot be in the future."), code="future_time")
    if value < MOMENT_MIN:  # compared, never converted: year 1 at +14:00 has no UTC year
        raise invalid(field, _("Enter a valid date and time."))
    return value


def _ended_at(value: Any, started_at: dt.datetime) -> dt.datetime:
    ended_at = _moment(value, "ended_at")
    if ended_at < started_at:
        raise invalid("ended_at", _("The end cannot be before the start."),
                      code="end_before_start")
    return ended_at


def _work_level(device: Device, value: Any) -> int:
    """rule D2: a device never processes information above its level."""
    level = common.level(value)
    if level > int(device.level):
        message = _("The work is above the level of the device.")
        raise RuleViolation(message, code="level_above_device", rule="D2",
                            fields={"level": message})
    return level


def _require_device_user(device: Device, person: Person) -> None:
    """rule D2: only its registered users, or its responsible person, use a device."""
    if person.pk == device.responsible_id \
            or DeviceUser.objects.filter(device_id=device.pk, person_id=person.pk).exists():
        return
    message = _("%(name)s is not a registered user of this device.") % {"name": person.name}
    raise RuleViolation(message, code="not_device_user", rule="D2", fields={"user": message})


def _open_book_of(device: Device, year: int) -> UsageBook:
    """The book of `year`, locked for this transaction; it must exist and be open."""
    book = UsageBook.objects.select_for_update().filter(device_id=device.pk, year=year).first()
    if book is None:
        message = _("The usage-log book of %(year)s is not open for this device.") \
            % {"year": year}
        raise RuleViolation(message, code="no_book", rule="D5", fields={"started_at": message})
    if book.closed_on is not None:
        message = _("The usage-log book of %(year)s is closed.") % {"year": year}
        raise RuleViolation(message, code="book_closed", rule="D5",
                            fields={"started_at": message})
    return book


def _book_exists() -> Conflict:
    message = _("The book of this year is already open.")
    return Conflict(message, code="book_exists", fields={"year": message})


def entry_values(entry: UsageEntry) -> dict[str, Any]:
    return {"user": entry.user_id, "started_at": entry.started_at.isoformat(),
            "ended_at": entry.ended_at.isoformat() if entry.ended_at else None,
            "work": entry.work, "level": int(entry.level)}


# --- the writes ---------------------------------------------------------------------------------


def open_usage_book(actor: Any, device: Device, *, year: int) -> UsageBook:
    """rule D5: the book of `year` for a classified computer, one per device and year."""
    device = _seen_device(actor, device)
    if not may_keep_books(actor, device):
        raise _not_keeper()
    year = _year(year)
    try:
        with transaction.atomic():
            device = _locked_device(device)
            _require_unlocked(device)
            _require_keeps_log(device)
            if UsageBook.objects.filter(device_id=device.pk, year=year).exists():
                raise _book_exists()
            book = UsageBook.objects.create(device=device, year=year,
                                            opened_on=common.today(), opened_by=actor)
            record_event(actor, "DEVICE_USAGE_BOOK_OPENED", book,
                         after={"device": device.pk, "number": device.number, "year": year})
    except IntegrityError:  # usage_book_one_per_year: a concurrent opening won
        raise _book_exists() from None
    return book


def record_usage(actor: Any, device: Device, *, user: Person, started_at: dt.datetime,
                 ended_at: dt.datetime | None, work: str, level: int,
                 book: UsageBook | None = None) -> UsageEntry:
    """rule D5: one use of the device, in the book of the year it started (which must be
    open); rules D2 and L5: the work at or below the device's level, by one of its users
    cleared for it. `ended_at` None leaves the entry open (see `end_usage`). When recorded
    from a `book`, the use must belong to that book."""
    device = _seen_device(actor, device)
    user = person_of(device.unit_id, user, "user")
    if not may_record_usage(actor, device, user.pk):
        raise AccessDenied(_("Only the secrecy office, the device's responsible person or the "
                             "user themself can record a use."), code="not_usage_recorder")
    started_at = _moment(started_at, "started_at")
    finished = _ended_at(ended_at, started_at) if ended_at is not None else None
    work = common.text(work, "work", WORK_MAX)
    year = local_year(started_at)
    if book is not None and (book.device_id != device.pk or book.year != year):
        message = _("The use did not start in %(year)s.") % {"year": book.year}
        raise InvalidInput(message, code="wrong_book", fields={"started_at": message})
    with transaction.atomic():
        # The device row is locked: its state, level and users are read as they are now.
        device = _locked_device(device)
        _require_unlocked(device)
        level = _work_level(device, level)  # rule D2
        require_cleared(user, level, "user")  # rule D2: the user reads what the work holds
        _require_device_user(device, user)  # rule D2
        book = _open_book_of(device, year)  # rule D5
        entry = UsageEntry.objects.create(book=book, user=user, started_at=started_at,
                                          ended_at=finished, work=work, level=level,
                                          recorded_by=actor)
        record_event(actor, "DEVICE_USAGE_RECORDED", entry,
                     after={"device": device.pk, "year": book.year, **entry_values(entry)})
    return entry


def end_usage(actor: Any, entry: UsageEntry, *, ended_at: dt.datetime) -> UsageEntry:
    """The end of a use recorded while it went on. Of two concurrent ends one wins."""
    if not isinstance(entry, UsageEntry) or entry.pk is None:
        raise NotFound()
    book = _seen_book(actor, entry.book_id)
    fresh = UsageEntry.objects.filter(pk=entry.pk).first()
    if fresh is None:
        raise NotFound()
    if not may_record_usage(actor, book.device, fresh.user_id):
        raise AccessDenied(_("Only the secrecy office, the device's responsible person or the "
                             "user themself can record a use."), code="not_usage_recorder")
    finished = _ended_at(ended_at, fresh.started_at)
    with transaction.atomic():
        _open_book_of(book.device, book.year)
        if not UsageEntry.objects.filter(pk=fresh.pk, ended_at__isnull=True).update(
                ended_at=finished):
            message = _("This use has already ended.")
            raise Conflict(message, code="already_ended", fields={"ended_at": message})
        fresh.ended_at = finished
        fresh.book = book
        record_event(actor, "DEVICE_USAGE_ENDED", fresh, before={"ended_at": None},
                     after={"ended_at": finished.isoformat()})
    entry.ended_at = finished
    return entry


def close_usage_book(actor: Any, book: UsageBook) -> UsageBook:
    """rule D5: the 保密办 files a book once its year is over and every use in it has ended;
    the retention period runs from then."""
    book = _seen_book(actor, book.pk if isinstance(book, UsageBook) else None)
    require_office(actor, book.device.unit_id)
    today = common.today()
    if book.year >= today.year:
        raise RuleViolation(_("A book is closed only after its year has ended."),
                            code="year_not_over", rule="D5")
    with transaction.atomic():
        if UsageEntry.objects.filter(book_id=book.pk, ended_at__isnull=True).exists():
            raise Conflict(_("Some uses in this book have not ended yet."),
                           code="open_entries")
        if not UsageBook.objects.filter(pk=book.pk, closed_on__isnull=True).update(
                closed_on=today, closed_by=actor):
            raise Conflict(_("The book is already closed."), code="already_closed")
        book.closed_on, book.closed_by = today, actor
        record_event(actor, "DEVICE_USAGE_BOOK_CLOSED", book,
                     after={"device": book.device_id, "number": book.device.number,
                            "year": book.year, "closed_on": today.isoformat()})
    return book


def books_past_retention(actor: Any, unit: Unit, today: dt.date | None = None) -> Any:
    """The closed books of `unit` the actor sees whose retention has passed on `today`
    (rule D5), oldest first."""
    last = last_year_discardable(today or common.today(), retention_years(unit))
    return (usage_books_visible_to(actor)
            .filter(device__unit_id=unit.pk, closed_on__isnull=False, year__lte=last)
            .select_related("device").order_by("year", "device__number", "id"))


def _entry_counts(book_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for start in range(0, len(book_ids), 5000):  # within every database's parameter limit
        chunk = book_ids[start:start + 5000]
        counts.update(UsageEntry.objects.filter(book_id__in=chunk).order_by()
                      .values("book_id").annotate(n=Count("id")).values_list("book_id", "n"))
    return counts


def discard_usage_books(actor: Any, unit: Unit, *, today: dt.date | None = None) -> int:
    """rule D5: the 保密办 discards the closed books whose retention has passed — one audit
    event per book with its device, year and number of entries. An open book is never
    discarded, however old. Returns the number of books discarded."""
    unit = instance(unit, Unit, "unit")
    require_office(actor, unit.pk)
    with transaction.atomic():
        # Locked: of two concurrent discards the second finds the books gone.
        books = list(books_past_retention(actor, unit, today).select_for_update(of=("self",)))
        counts = _entry_counts([book.pk for book in books])
        for book in books:
            record_event(actor, "DEVICE_USAGE_BOOK_DISCARDED", book,
                         before={"device": book.device_id, "number": book.device.number,
                                 "year": book.year, "entries": counts.get(book.pk, 0),
                                 "closed_on": common.iso(book.closed_on)})
            UsageEntry.objects.filter(book_id=book.pk).delete()
            UsageBook.objects.filter(pk=book.pk).delete()
    return len(books)


def record_usage_book_read(actor: Any, book: UsageBook) -> None:
    """DESIGN.md 'Access model': opening the log of a 机密 or 绝密 computer is audited, as
    opening the computer is."""
    if int(book.device.level) >= READ_AUDITED_FROM:
        with transaction.atomic():
            record_event(actor, "DEVICE_USAGE_BOOK_READ", book,
                         after={"number": book.device.number, "year": book.year})


def record_usage_export(actor: Any, book: UsageBook, rows: int) -> None:
    """An export of a book leaves a trace: who took which device's log of which year out."""
    with transaction.atomic():
        record_event(actor, "DEVICE_USAGE_BOOK_EXPORTED", book,
                     after={"number": book.device.number, "year": book.year, "rows": rows})
