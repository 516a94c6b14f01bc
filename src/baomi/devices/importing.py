"""Reading an existing device or media ledger (.xlsx) for the import (rules D1, D2, D4, D9).

The columns are those of the .xlsx export (`exports.py`), matched by their Chinese titles in
any order, spaces ignored; a few names the users' own ledgers give them are accepted too
(设备类型 for 类型, 使用部门 for 部门 …), and the header may sit under a title row. The
values: the level 绝密/机密/秘密/非密 (机密级 too); the kind by its Chinese name; the department
by name or code; the responsible person by name — in the row's department first, then in the
unit, a name borne by several people being an error — or by employee number; dates as date
cells or as text 2024-03-01, 2024.3.1, 2024/3/1 or 2024年3月1日; the secure room (保密室, rule
Q7) by its name in the unit, empty for none.

This module reads and looks up only; `services.importing` registers the rows through the
ledger services, every row or none.
"""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from baomi.accounts.models import Department, Person, Unit
from baomi.compliance.models import SecureRoom
from baomi.core.errors import InvalidInput
from baomi.core.labels import Level

from .choices import DeviceKind, DeviceState, MediumKind

MAX_ROWS = 10_000  # as the carrier import: one request stays well inside the worker timeout
MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 60  # a ledger has 17 columns; anything further right is not read
HEADER_SEARCH = 10  # the header row is one of the first rows that are not empty
MAX_REPORTED = 500  # row errors listed; the rest are counted
DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class Column:
    """One column of an imported ledger: its title as the export writes it, the argument of
    the registration service it feeds, and other titles it goes by in the users' ledgers."""

    title: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()


DEVICE_COLUMNS = (
    Column("保密编号", "number", True, ("编号", "设备编号")),
    Column("密级", "level", True, ("设备密级",)),
    Column("类型", "kind", True, ("设备类型", "设备种类")),
    Column("品牌型号", "model", aliases=("型号", "品牌及型号")),
    Column("序列号", "serial_no", aliases=("设备序列号",)),
    Column("资产编号", "asset_no", aliases=("固定资产编号",)),
    Column("硬盘序列号", "disk_serial"),
    Column("MAC 地址", "mac", aliases=("MAC", "网卡地址")),
    Column("操作系统", "os", aliases=("操作系统版本",)),
    Column("操作系统安装日期", "os_installed_on", aliases=("系统安装日期",)),
    Column("部门", "department", True, ("使用部门", "所在部门", "责任部门")),
    Column("责任人", "responsible", True),
    Column("存放位置", "location", True, ("放置地点", "存放地点", "安放位置")),
    Column("启用日期", "in_use_on", True, ("启用时间", "投入使用日期")),
    Column("连接电话线", "phone_line", aliases=("是否连接电话线",)),
    Column("状态", "state", aliases=("使用状态", "设备状态")),
    Column("保密室", "room", aliases=("所在保密室", "所在机房")),  # rule Q7, by name
)
MEDIUM_COLUMNS = (
    Column("保密编号", "number", True, ("编号", "介质编号")),
    Column("密级", "level", True, ("介质密级",)),
    Column("类型", "kind", True, ("介质类型", "介质种类")),
    Column("品牌型号", "model", aliases=("型号", "品牌及型号")),
    Column("序列号", "serial_no", aliases=("介质序列号",)),
    Column("容量", "capacity"),
    Column("部门", "department", True, ("使用部门", "所在部门", "责任部门")),
    Column("责任人", "responsible", True),
    Column("存放位置", "location", aliases=("放置地点", "存放地点")),
    Column("状态", "state", aliases=("使用状态", "介质状态")),
)

LEVELS = {"非密": Level.NONSECRET, "秘密": Level.SECRET, "机密": Level.CONFIDENTIAL,
          "绝密": Level.TOP_SECRET}
# The Chinese names of the kinds as the export writes them, then other names of the users' ledgers.
DEVICE_KIND_NAMES = {
    "台式计算机": DeviceKind.DESKTOP, "便携式计算机": DeviceKind.PORTABLE,
    "服务器": DeviceKind.SERVER, "中间机": DeviceKind.INTERMEDIARY,
    "打印机": DeviceKind.PRINTER, "复印机": DeviceKind.COPIER, "扫描仪": DeviceKind.SCANNER,
    "传真机": DeviceKind.FAX, "多功能一体机": DeviceKind.MULTIFUNCTION,
    "安全保密产品": DeviceKind.SECURITY_PRODUCT,
}
DEVICE_KINDS = {
    **DEVICE_KIND_NAMES,
    "台式机": DeviceKind.DESKTOP, "台式电脑": DeviceKind.DESKTOP,
    "便携机": DeviceKind.PORTABLE, "笔记本": DeviceKind.PORTABLE,
    "笔记本电脑": DeviceKind.PORTABLE, "中间转换机": DeviceKind.INTERMEDIARY,
    "传真": DeviceKind.FAX, "安全产品": DeviceKind.SECURITY_PRODUCT,
}
MEDIUM_KIND_NAMES = {
    "U盘": MediumKind.USB_DRIVE, "移动硬盘": MediumKind.PORTABLE_DISK,
    "光盘": MediumKind.OPTICAL, "存储卡": MediumKind.MEMORY_CARD,
}
MEDIUM_KINDS = {
    **MEDIUM_KIND_NAMES,
    "优盘": MediumKind.USB_DRIVE, "USB盘": MediumKind.USB_DRIVE,
    "光碟": MediumKind.OPTICAL, "内存卡": MediumKind.MEMORY_CARD,
    "SD卡": MediumKind.MEMORY_CARD, "TF卡": MediumKind.MEMORY_CARD,
}
# The states an imported device or medium may be in, and the state it is put in after its
# registration ("" = as registered). A device away for repair or retired, a medium checked
# out, is entered through its own procedure (rules D4, D7, D8), not by an import.
DEVICE_STATES = {"在用": "", "停用": DeviceState.IDLE, "闲置": DeviceState.IDLE,
                 "备用": DeviceState.IDLE}
MEDIUM_STATES = {"在库": ""}
PHONE_LINE = {"是": True, "否": False, "有": True, "无": False}


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of an import: the row of the sheet (0 = the file as a whole), the column's
    title ("" = the whole row) and what is wrong, in the reader's language."""

    line: int
    column: str
    message: str


class ImportRejected(InvalidInput):
    """Nothing was imported: the problems of the file, row by row (the first MAX_REPORTED;
    `more` counts the others). `fields` keys them as `<row>.<column>` (`file` for the file as a
    whole) for the API."""

    code = "import_rows"

    def __init__(self, errors: Iterable[RowError]) -> None:
        ordered = sorted(errors)
        self.errors = ordered[:MAX_REPORTED]
        self.more = len(ordered) - len(self.errors)
        lines = {error.line for error in ordered if error.line}
        message = (_("Nothing was imported: %(count)s rows have problems.")
                   % {"count": len(lines)}) if lines else ordered[0].message
        super().__init__(message, fields=_fields(self.errors))


def _fields(errors: list[RowError]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        key = "file" if error.line == 0 else str(error.line)
        key = f"{key}.{error.column}" if error.column else key
        fields[key] = f"{fields[key]}；{error.message}" if key in fields else error.message
    return fields


@dataclass
class ParsedRow:
    """One row ready for the registration service: its keyword arguments and the state to
    put it in afterwards ("" = as registered)."""

    line: int
    values: dict[str, Any]
    state: str = ""


@dataclass
class ParsedSheet:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def column_of(columns: tuple[Column, ...], key: str) -> str:
    """The title of the column that feeds the service argument `key` ("" when none does)."""
    return next((column.title for column in columns if column.key == key), "")


# --- reading the workbook ---------------------------------------------------------------------


def read_rows(upload: IO[bytes]) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows of the first sheet that are not empty, with their row numbers; InvalidInput
    (`import_rows`) for a file too large, unreadable or with more than MAX_ROWS rows."""
    if _size(upload) > MAX_BYTES:
        raise ImportRejected([RowError(0, "", _("The file is larger than 10 MB."))])
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportRejected([_unreadable()]) from None
    try:
        return _filled_rows(workbook.worksheets[0].iter_rows(values_only=True,
                                                              max_col=MAX_COLUMNS))
    except ImportRejected:
        raise
    except Exception:  # a sheet that cannot be read is reported like a damaged file
        raise ImportRejected([_unreadable()]) from None
    finally:
        workbook.close()


def _unreadable() -> RowError:
    return RowError(0, "", _("The file is not a readable .xlsx workbook."))


def _size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    position = upload.tell()
    upload.seek(0, io.SEEK_END)
    end = upload.tell()
    upload.seek(position)
    return end - position


def _filled_rows(rows: Iterable[tuple[Any, ...]]) -> list[tuple[int, tuple[Any, ...]]]:
    """Stops reading as soon as there are more rows than an import takes."""
    filled: list[tuple[int, tuple[Any, ...]]] = []
    for line, raw in enumerate(rows, start=1):
        if any(text(value) for value in raw):
            filled.append((line, raw))
            if len(filled) > MAX_ROWS + HEADER_SEARCH:
                raise too_many_rows()
    return filled


def too_many_rows() -> ImportRejected:
    return ImportRejected([RowError(0, "", _("At most %(n)s rows at once.") % {"n": MAX_ROWS})])


def text(value: Any) -> str:
    """A cell as text: whole numbers without `.0`, dates as YYYY-MM-DD, spaces trimmed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value if value is not None else "").strip()


def _key(title: Any) -> str:
    """A header compared without any spaces (full-width ones too) and case."""
    return "".join(text(title).split()).upper()


# --- the header -------------------------------------------------------------------------------


def find_header(rows: list[tuple[int, tuple[Any, ...]]], columns: tuple[Column, ...]
                ) -> tuple[int, dict[str, int]]:
    """The index in `rows` of the header row and the position of each column found in it;
    ImportRejected naming the missing columns when none of the first rows has them all."""
    names = {_key(name): column.key for column in columns
             for name in (column.title, *column.aliases)}
    best: tuple[int, dict[str, int]] = (0, {})
    for index, (_line, raw) in enumerate(rows[:HEADER_SEARCH]):
        positions: dict[str, int] = {}
        for position, cell in enumerate(raw):
            key = names.get(_key(cell))
            if key is not None:
                positions.setdefault(key, position)
        if all(column.key in positions for column in columns if column.required):
            return index, positions
        if len(positions) > len(best[1]):
            best = (index, positions)
    if not rows:
        raise ImportRejected([RowError(0, "", _("The sheet is empty."))])
    missing = [column.title for column in columns
               if column.required and column.key not in best[1]]
    line = rows[best[0]][0]
    raise ImportRejected([RowError(line, "", _("Missing columns: %(columns)s.")
                                   % {"columns": "、".join(missing)})])


# --- what the rows refer to -------------------------------------------------------------------


class Lookups:
    """The departments, secure rooms and active people of the unit, read once."""

    def __init__(self, unit: Unit) -> None:
        self.rooms = {room.name: room for room in SecureRoom.objects.filter(unit=unit)}
        self.departments: dict[str, Department] = {}
        for department in Department.objects.filter(unit=unit).order_by("id"):
            self.departments.setdefault(department.name, department)
            self.departments.setdefault(department.code, department)
        self.by_name: dict[str, list[Person]] = {}
        self.by_employee_no: dict[str, Person] = {}
        for person in Person.objects.filter(unit=unit, active=True).order_by("id"):
            self.by_name.setdefault(person.name, []).append(person)
            self.by_employee_no.setdefault(person.employee_no, person)

    def person(self, name: str, department: Department | None) -> Person | str:
        """The person called `name` in `department`, else in the unit, else the one with that
        employee number; the reason when there is none or several."""
        named = self.by_name.get(name, [])
        in_department = [p for p in named if department and p.department_id == department.pk]
        for found in (in_department, named):
            if len(found) == 1:
                return found[0]
            if found:
                return _("Several people are called %(name)s; give the employee number "
                         "instead.") % {"name": name}
        if name in self.by_employee_no:
            return self.by_employee_no[name]
        return _("Nobody called %(name)s in this unit.") % {"name": name}


# --- the rows ---------------------------------------------------------------------------------


class _Row:
    """The cells of one row by service argument, collecting its problems."""

    def __init__(self, line: int, raw: tuple[Any, ...], positions: dict[str, int],
                 columns: tuple[Column, ...]) -> None:
        self.line, self.columns = line, columns
        self.raw = {key: raw[i] if i < len(raw) else None for key, i in positions.items()}
        self.errors: list[RowError] = []

    def text(self, key: str) -> str:
        return text(self.raw.get(key))

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.line, column_of(self.columns, key), message))

    def required_present(self) -> bool:
        empty = [column.key for column in self.columns
                 if column.required and not self.text(column.key)]
        for key in empty:
            self.error(key, _("This cell is empty."))
        return not empty

    def word(self, key: str, words: dict[str, Any], default: Any = None,
             shown: dict[str, Any] | None = None) -> Any:
        """The value a word of `words` stands for; `default` for an empty cell. A wrong word
        is answered with the words of `shown` (default: all of them)."""
        value = self.text(key)
        if not value:
            return default
        if value in words:
            return words[value]
        self.error(key, one_of(shown or words))
        return default

    def level(self) -> int | None:
        """密级: 机密 or 机密级."""
        value = self.text("level")
        bare = value.removesuffix("级")
        if not value:
            return None
        if bare in LEVELS:
            return LEVELS[bare]
        self.error("level", one_of(LEVELS))
        return None

    def day(self, key: str) -> date | None:
        value = self.raw.get(key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        written = self.text(key)
        if not written:
            return None
        match = DATE_TEXT.match(written)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:  # 2024-02-30
                pass
        self.error(key, _("Not a date: write it like 2024-03-01."))
        return None

    def department(self, lookups: Lookups) -> Department | None:
        value = self.text("department")
        found = lookups.departments.get(value)
        if value and found is None:
            self.error("department", _("No department %(value)s in this unit.")
                       % {"value": value})
        return found

    def room(self, lookups: Lookups) -> SecureRoom | None:
        """The secure room named in the row (rule Q7); None when the cell is empty."""
        value = self.text("room")
        found = lookups.rooms.get(value)
        if value and found is None:
            self.error("room", _("No secure room %(value)s in this unit.") % {"value": value})
        return found

    def responsible(self, lookups: Lookups, department: Department | None) -> Person | None:
        value = self.text("responsible")
        if not value:
            return None
        found = lookups.person(value, department)
        if isinstance(found, str):
            self.error("responsible", found)
            return None
        return found


def one_of(words: dict[str, Any]) -> str:
    return _("Write one of %(values)s.") % {"values": "、".join(words)}


def parse_devices(rows: list[tuple[int, tuple[Any, ...]]], unit: Unit) -> ParsedSheet:
    """The rows of a device ledger as `register_device` arguments, and the problems of the
    rows that are not."""
    return _parse(rows, unit, DEVICE_COLUMNS, _device_values)


def parse_media(rows: list[tuple[int, tuple[Any, ...]]], unit: Unit) -> ParsedSheet:
    """The rows of a media ledger as `register_medium` arguments, and their problems."""
    return _parse(rows, unit, MEDIUM_COLUMNS, _medium_values)


def _parse(rows: list[tuple[int, tuple[Any, ...]]], unit: Unit, columns: tuple[Column, ...],
           values_of: Any) -> ParsedSheet:
    header, positions = find_header(rows, columns)
    data = rows[header + 1:]
    if len(data) > MAX_ROWS:
        raise too_many_rows()
    if not data:
        raise ImportRejected([RowError(0, "", _("The sheet has no data rows."))])
    lookups = Lookups(unit)
    sheet = ParsedSheet()
    numbers: dict[str, int] = {}
    for line, raw in data:
        row = _Row(line, raw, positions, columns)
        values, state = values_of(row, lookups)
        number = row.text("number")
        if number in numbers:
            row.error("number", _("%(number)s is also on row %(line)s.")
                      % {"number": number, "line": numbers[number]})
        numbers.setdefault(number, line)
        if row.errors:
            sheet.errors += row.errors
        else:
            sheet.rows.append(ParsedRow(line, values, state))
    return sheet


def _common_values(row: _Row, lookups: Lookups) -> dict[str, Any]:
    row.required_present()
    department = row.department(lookups)
    return {"number": row.text("number"), "level": row.level(), "department": department,
            "responsible": row.responsible(lookups, department),
            "model": row.text("model"), "serial_no": row.text("serial_no"),
            "location": row.text("location")}


def _device_values(row: _Row, lookups: Lookups) -> tuple[dict[str, Any], str]:
    values = _common_values(row, lookups)
    values.update({
        "kind": row.word("kind", DEVICE_KINDS, shown=DEVICE_KIND_NAMES),
        "asset_no": row.text("asset_no"),
        "disk_serial": row.text("disk_serial"), "mac": row.text("mac"), "os": row.text("os"),
        "os_installed_on": row.day("os_installed_on"), "in_use_on": row.day("in_use_on"),
        "phone_line": row.word("phone_line", PHONE_LINE, False),
        "room": row.room(lookups)})
    return values, row.word("state", DEVICE_STATES, "")


def _medium_values(row: _Row, lookups: Lookups) -> tuple[dict[str, Any], str]:
    values = _common_values(row, lookups)
    values.update({"kind": row.word("kind", MEDIUM_KINDS, shown=MEDIUM_KIND_NAMES),
                   "capacity": row.text("capacity")})
    return values, row.word("state", MEDIUM_STATES, "")


# --- the template -----------------------------------------------------------------------------


def template_workbook(columns: tuple[Column, ...], title: str) -> bytes:
    """An empty ledger with the import's columns, for the download on the import page."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title[:31]
    sheet.append([column.title for column in columns])
    for index, column in enumerate(columns):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(10, 2 * len(column.title) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
