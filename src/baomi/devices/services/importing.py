"""Importing an existing device or media ledger (.xlsx), every row or none (rules D1, D2, D4,
D9).

The 保密办 of the unit uploads its ledger. `importing` reads and looks up the rows; each row
is then registered through `register_device` or `register_medium` — so the rules apply as on
the registration page: the responsible person cleared for the level (D2), nothing above the
officer's clearance (L5), no classified multifunction device or fax on a phone line (D9), a
机密 or 绝密 server in a secure room meeting Q7 (Q7), one number per device (D1) — and a device
停用 is then put out of use through `update_device`.
All of it happens in one transaction: when any row fails, nothing is written and
`ImportRejected` lists every problem by row and column. A successful import records one
DEVICES_IMPORTED (MEDIA_IMPORTED) event with the count, besides the events of each
registration.
"""

from collections.abc import Callable
from typing import IO, Any

from django.db import transaction

from baomi.accounts.models import Unit
from baomi.audit.services import record_event
from baomi.core.errors import DomainError

from ..importing import (
    DEVICE_COLUMNS,
    MEDIUM_COLUMNS,
    Column,
    ImportRejected,
    ParsedRow,
    ParsedSheet,
    RowError,
    column_of,
    parse_devices,
    parse_media,
    read_rows,
)
from .common import instance, require_office
from .ledger import register_device, register_medium, update_device

FILE_NAME_MAX = 200

Register = Callable[[Any, Unit, ParsedRow], None]


def import_devices(actor: Any, unit: Unit, upload: IO[bytes]) -> int:
    """Register every device of the uploaded ledger, or none (ImportRejected, code
    `import_rows`); the number registered."""
    unit = instance(unit, Unit, "unit")
    require_office(actor, unit.pk)
    sheet = parse_devices(read_rows(upload), unit)
    return _register_all(actor, unit, sheet, _register_device, DEVICE_COLUMNS,
                         "DEVICES_IMPORTED", _file_name(upload))


def import_media(actor: Any, unit: Unit, upload: IO[bytes]) -> int:
    """Register every medium of the uploaded ledger, or none (ImportRejected); the number
    registered."""
    unit = instance(unit, Unit, "unit")
    require_office(actor, unit.pk)
    sheet = parse_media(read_rows(upload), unit)
    return _register_all(actor, unit, sheet, _register_medium, MEDIUM_COLUMNS,
                         "MEDIA_IMPORTED", _file_name(upload))


def _register_device(actor: Any, unit: Unit, row: ParsedRow) -> None:
    device = register_device(actor, unit=unit, **row.values)
    if row.state:  # 停用 on the old ledger
        update_device(actor, device, location=device.location, responsible=device.responsible,
                      state=row.state)


def _register_medium(actor: Any, unit: Unit, row: ParsedRow) -> None:
    register_medium(actor, unit=unit, **row.values)


def _register_all(actor: Any, unit: Unit, sheet: ParsedSheet, register: Register,
                  columns: tuple[Column, ...], action: str, file_name: str) -> int:
    """Every parsed row through `register` in one transaction, so that the refusals of the
    services join the problems found while reading; any problem rolls all of it back."""
    errors = list(sheet.errors)
    with transaction.atomic():
        for row in sheet.rows:
            try:
                register(actor, unit, row)
            except DomainError as exc:
                errors += refusal_errors(row.line, exc, columns)
        if errors:
            raise ImportRejected(errors)
        record_event(actor, action, unit, after={"created": len(sheet.rows),
                                                 "file": file_name})
    return len(sheet.rows)


def refusal_errors(line: int, exc: DomainError, columns: tuple[Column, ...]) -> list[RowError]:
    """A service's refusal of one row, on the columns of the fields it names."""
    if not exc.fields:
        return [RowError(line, "", exc.message)]
    return [RowError(line, column_of(columns, name.split(".")[0]), message)
            for name, message in exc.fields.items()]


def _file_name(upload: IO[bytes]) -> str:
    return str(getattr(upload, "name", "") or "")[:FILE_NAME_MAX]
