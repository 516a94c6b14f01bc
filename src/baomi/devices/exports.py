"""The device ledgers (涉密计算机台帐, 办公自动化设备台帐, 安全保密产品台帐; rules D1, D9) as
.xlsx, one family per file, and the ledger of removable media (rule D4), streamed through
openpyxl's write_only mode: rows go to a temporary file as they come from the database
iterator, so memory stays flat however long the ledger is."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from baomi.core.labels import Level
from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices import DeviceFamily, DeviceKind, DeviceState, MediumKind, MediumState
from .models import Device, Medium

LEDGER_TITLES: dict[str, Any] = {
    DeviceFamily.COMPUTER: gettext_lazy("Ledger of classified computers"),
    DeviceFamily.OFFICE: gettext_lazy("Ledger of classified office equipment"),
    DeviceFamily.SECURITY: gettext_lazy("Ledger of security products"),
}


def ledger_title(family: str) -> str:
    return str(LEDGER_TITLES.get(family, LEDGER_TITLES[DeviceFamily.COMPUTER]))


def ledger_headers() -> list[str]:
    return [_("Secrecy number"), _("Level"), _("Kind"), _("Brand and model"),
            _("Serial number"), _("Asset number"), _("Hard-disk serial number"),
            _("MAC address"), _("Operating system"), _("Operating system installed on"),
            _("Department"), _("Responsible person"), _("Location"), _("In use since"),
            _("Connected to a phone line"), _("State"), _("Secure room")]


class _Labels:
    """The display words of the choices, translated once per export rather than per row."""

    def __init__(self) -> None:
        self.kind = {value: str(label) for value, label in DeviceKind.choices}
        self.state = {value: str(label) for value, label in DeviceState.choices}
        self.level = {value: str(label) for value, label in Level.choices}
        self.yes, self.no = _("Yes"), _("No")


def _row(sheet: Any, device: Device, labels: _Labels) -> list[Any]:
    def text(value: str) -> Any:
        return text_cell(sheet, value)

    return [text(device.number), text(labels.level.get(device.level, str(device.level))),
            text(labels.kind.get(device.kind, device.kind)), text(device.model),
            text(device.serial_no), text(device.asset_no), text(device.disk_serial),
            text(device.mac), text(device.os), device.os_installed_on,
            text(device.department.name), text(device.responsible.name),
            text(device.location), device.in_use_on,
            text(labels.yes if device.phone_line else labels.no),
            text(labels.state.get(device.state, device.state)),
            text(device.room.name if device.room else "")]  # rule Q7


def write_devices(devices: Iterable[Device], family: str) -> tuple[IO[bytes], int]:
    """The ledger of one family in a temporary file positioned at its start, and the number of
    rows written. `devices` should be an iterator with the department, responsible person and
    room selected."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ledger_title(family)[:31])
    sheet.append([text_cell(sheet, header) for header in ledger_headers()])
    labels = _Labels()
    count = 0
    for device in devices:
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, device, labels))
        count += 1
    return saved_workbook(workbook), count


MEDIA_TITLE = gettext_lazy("Ledger of removable media")


def media_headers() -> list[str]:
    return [_("Secrecy number"), _("Level"), _("Kind"), _("Brand and model"),
            _("Serial number"), _("Capacity"), _("Department"), _("Responsible person"),
            _("Location"), _("State")]


def _medium_row(sheet: Any, medium: Medium, kinds: dict[str, str], states: dict[str, str],
                levels: dict[int, str]) -> list[Any]:
    return [text_cell(sheet, value) for value in (
        medium.number, levels.get(medium.level, str(medium.level)),
        kinds.get(medium.kind, medium.kind), medium.model, medium.serial_no, medium.capacity,
        medium.department.name, medium.responsible.name, medium.location,
        states.get(medium.state, medium.state))]


def write_media(media: Iterable[Medium]) -> tuple[IO[bytes], int]:
    """The media ledger (rule D4) in a temporary file positioned at its start, and the number
    of rows written. `media` should be an iterator with the department and responsible person
    selected."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(MEDIA_TITLE)[:31])
    sheet.append([text_cell(sheet, header) for header in media_headers()])
    kinds = {value: str(label) for value, label in MediumKind.choices}
    states = {value: str(label) for value, label in MediumState.choices}
    levels = {value: str(label) for value, label in Level.choices}
    count = 0
    for medium in media:
        if count >= MAX_ROWS:
            break
        sheet.append(_medium_row(sheet, medium, kinds, states, levels))
        count += 1
    return saved_workbook(workbook), count
