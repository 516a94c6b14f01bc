"""Importing an existing carrier ledger (.xlsx): all rows or none, with a per-row error list.

Columns, by their Chinese headers (a sheet may leave out the optional ones):

    编号, 名称, 载体类型, 密级, 保密期限, 来源, 来文单位, 文号, 收文或形成日期, 页数, 容量,
    份数, 份号, 部门, 责任人, 签收人, 保密柜编号, 存放位置, 定密事项编号

Every row is read and checked here, then registered through `services.register_carrier`
inside one transaction, which rolls back when any row fails: the services check the rules
(C2 source and signature, C3 containers, L5 the item's level, the custodian's clearance, S2
periods) exactly as for a carrier registered on the page.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from baomi.accounts.models import Department, Person, Unit
from baomi.core.errors import DomainError
from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import PeriodKind
from baomi.secrets.marks import STAR
from baomi.secrets.models import SecretItem
from baomi.secrets.selectors import items_visible_to

from . import services
from .choices import CarrierKind, CarrierOrigin
from .models import Container

COLUMNS = ("编号", "名称", "载体类型", "密级", "保密期限", "来源", "来文单位", "文号",
           "收文或形成日期", "页数", "容量", "份数", "份号", "部门", "责任人", "签收人",
           "保密柜编号", "存放位置", "定密事项编号")
REQUIRED = ("编号", "名称", "载体类型", "密级", "收文或形成日期", "部门", "责任人")
KINDS = {"纸介质": CarrierKind.PAPER, "纸质": CarrierKind.PAPER, "文件": CarrierKind.PAPER,
         "光盘": CarrierKind.OPTICAL, "磁介质": CarrierKind.ELECTRONIC,
         "电子介质": CarrierKind.ELECTRONIC, "移动存储介质": CarrierKind.ELECTRONIC,
         "涉密产品": CarrierKind.PRODUCT, "产品": CarrierKind.PRODUCT}
# rule L4: the grade word says the scheme; 工作秘密 and 商业秘密 never become state levels.
GRADES = {"秘密": (Scheme.STATE, Level.SECRET), "机密": (Scheme.STATE, Level.CONFIDENTIAL),
          "绝密": (Scheme.STATE, Level.TOP_SECRET), "工作秘密": (Scheme.WORK, Level.SECRET),
          "普通商密": (Scheme.COMMERCIAL, Level.SECRET),
          "核心商密": (Scheme.COMMERCIAL, Level.CONFIDENTIAL)}
ORIGINS = {"收文": CarrierOrigin.RECEIVED, "接收": CarrierOrigin.RECEIVED,
           "自产": CarrierOrigin.PRODUCED, "本单位形成": CarrierOrigin.PRODUCED,
           "形成": CarrierOrigin.PRODUCED, "复制": CarrierOrigin.COPIED}
EXAMPLE = ("ZT-2026-001", "关于加强型号研制保密管理的通知", "纸介质", "机密", "10年", "收文",
           "国防科工局", "科工密〔2026〕15号", "2026-01-15", 12, "", 1, "第3份", "综合办公室",
           "刘晓燕", "刘晓燕", "MG-01", "保密办公室", "")
# The register_carrier argument each column feeds, to place a service's refusal.
FIELD_COLUMNS = {"number": "编号", "title": "名称", "kind": "载体类型", "level": "密级",
                 "scheme": "密级", "period_kind": "保密期限", "period_value": "保密期限",
                 "origin": "来源", "source_unit": "来文单位", "source_document_no": "文号",
                 "received_on": "收文或形成日期", "pages": "页数", "capacity": "容量",
                 "copies": "份数", "copy_no": "份号", "department": "部门",
                 "custodian": "责任人", "signed_by": "签收人", "container": "保密柜编号",
                 "location": "存放位置", "secret_item": "定密事项编号"}
PERIOD_EXAMPLES = "10年、6个月、长期、解密条件"
MAX_ROWS = 10_000
PERIOD = re.compile(r"^(\d{1,3})\s*(年|个月|月)$")


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]  # the keyword arguments of services.register_carrier


class _Lookups:
    """What the rows refer to, read once: departments, people, containers, secret items."""

    def __init__(self, user: Any, unit: Unit) -> None:
        self.departments: dict[str, Department] = {}
        for department in Department.objects.filter(unit=unit).order_by("id"):
            self.departments.setdefault(department.code, department)
            self.departments.setdefault(department.name, department)
        self.people_by_no: dict[str, Person] = {}
        self.people_by_name: dict[str, list[Person]] = {}
        for person in Person.objects.filter(unit=unit, active=True).order_by("id"):
            self.people_by_no.setdefault(person.employee_no, person)
            self.people_by_name.setdefault(person.name, []).append(person)
        self.containers = {c.number: c for c in Container.objects.filter(unit=unit, active=True)}
        self.items = {item.number: item for item in items_visible_to(user).filter(unit=unit)}

    def person(self, key: str, column: str, errors: list[str]) -> Person | None:
        if key in self.people_by_no:
            return self.people_by_no[key]
        named = self.people_by_name.get(key, [])
        if len(named) == 1:
            return named[0]
        if named:
            errors.append(_("%(column)s: several people are called %(name)s; give the employee "
                            "number.") % {"column": column, "name": key})
        else:
            errors.append(_("%(column)s: nobody %(name)s in this unit.")
                          % {"column": column, "name": key})
        return None


def import_ledger(user: Any, unit: Unit, upload: IO[bytes]) -> ImportResult:
    """Read the workbook and register every row, or nothing when any row is wrong."""
    rows = _read(upload)
    if isinstance(rows, RowError):
        return ImportResult(errors=[rows])
    parsed, errors = parse_rows(rows, user, unit)
    return register_rows(user, unit, parsed, errors)


def _read(upload: IO[bytes]) -> list[tuple[Any, ...]] | RowError:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        return RowError(0, _("The file is not a readable .xlsx workbook."))
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # a sheet that cannot be read is reported like a damaged file
        return RowError(0, _("The file is not a readable .xlsx workbook."))
    finally:
        workbook.close()


def parse_rows(rows: list[tuple[Any, ...]], user: Any, unit: Unit
               ) -> tuple[list[ParsedRow], list[RowError]]:
    """The rows as register_carrier arguments, and the errors of the rows that are not."""
    if not rows:
        return [], [RowError(0, _("The sheet is empty."))]
    positions = _positions(rows[0])
    if isinstance(positions, RowError):
        return [], [positions]
    if len(rows) > MAX_ROWS + 1:
        return [], [RowError(0, _("At most %(n)s rows at once.") % {"n": MAX_ROWS})]
    lookups = _Lookups(user, unit)
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    numbers: set[str] = set()
    for line, raw in enumerate(rows[1:], start=2):
        cells = {name: _text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
        dates = {name: raw[i] for name, i in positions.items() if i < len(raw)}
        if not any(cells.values()):
            continue
        values, problems = _parse_row(cells, dates, lookups)
        if cells.get("编号") in numbers:
            problems.append(_("The carrier number %(number)s appears twice in the file.")
                            % {"number": cells["编号"]})
        numbers.add(cells.get("编号", ""))
        errors += [RowError(line, problem) for problem in problems]
        if not problems:
            parsed.append(ParsedRow(line, values))
    if not parsed and not errors:
        errors.append(RowError(0, _("The sheet has no data rows.")))
    return parsed, errors


def register_rows(user: Any, unit: Unit, parsed: list[ParsedRow],
                  errors: list[RowError]) -> ImportResult:
    """Register every parsed row in one transaction; any error (from the reading or from a
    service) rolls all of them back."""
    result = ImportResult(errors=list(errors))
    with transaction.atomic():
        for row in parsed:
            try:
                services.register_carrier(user, unit=unit, **row.values)
            except DomainError as exc:
                result.errors.append(RowError(row.line, _refusal(exc)))
            else:
                result.created += 1
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    result.errors.sort(key=lambda error: error.line)
    return result


def _refusal(exc: DomainError) -> str:
    """A service's refusal, naming the columns it is about."""
    details = [f"{FIELD_COLUMNS.get(name.split('.')[0], name)}：{message}"
               for name, message in exc.fields.items()]
    if not details:
        return str(exc.message)
    return "；".join(details)


def _positions(header: tuple[Any, ...]) -> dict[str, int] | RowError:
    names = [_text(cell) for cell in header]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        return RowError(1, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    return {column: names.index(column) for column in COLUMNS if column in names}


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value if value is not None else "").strip()


def _parse_row(cells: dict[str, str], raw: dict[str, Any], lookups: _Lookups
               ) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    for column in REQUIRED:
        if not cells.get(column):
            errors.append(_("%(column)s is missing.") % {"column": column})
    values: dict[str, Any] = {
        "number": cells.get("编号", ""), "title": cells.get("名称", ""),
        "source_unit": cells.get("来文单位", ""), "source_document_no": cells.get("文号", ""),
        "capacity": cells.get("容量", ""), "copy_no": cells.get("份号", ""),
        "location": cells.get("存放位置", "")}
    kind = KINDS.get(cells.get("载体类型", ""))
    if cells.get("载体类型") and kind is None:
        errors.append(_one_of("载体类型", KINDS))
    values["kind"] = kind
    values.update(_grade(cells.get("密级", ""), cells.get("保密期限", ""), errors))
    values["origin"] = _origin(cells, errors)
    values["received_on"] = _date(raw.get("收文或形成日期"), cells.get("收文或形成日期"), errors)
    values["pages"] = _number(cells.get("页数", ""), "页数", errors)
    values["copies"] = _number(cells.get("份数", ""), "份数", errors) or 1
    values.update(_references(cells, lookups, errors))
    return values, errors


def _grade(grade: str, period: str, errors: list[str]) -> dict[str, Any]:
    """密级 (or a whole mark such as `机密★20年`) and 保密期限 (rule S9 wording)."""
    if STAR in grade:
        grade, _star, marked = grade.partition(STAR)
        period = period or marked
    scheme_level = GRADES.get(grade.strip())
    if grade and scheme_level is None:
        errors.append(_one_of("密级", GRADES))
    scheme, level = scheme_level or (Scheme.STATE, None)
    kind, value = _period(period.strip(), errors)
    return {"scheme": scheme, "level": level, "period_kind": kind, "period_value": value}


def _one_of(column: str, words: dict[str, Any]) -> str:
    return _("%(column)s must be one of %(values)s.") % {"column": column,
                                                           "values": "、".join(words)}


def _period(text: str, errors: list[str]) -> tuple[str | None, int | None]:
    if text == "长期":
        return PeriodKind.LONG_TERM, None
    if text in ("解密条件", "条件"):
        return PeriodKind.CONDITION, None
    match = PERIOD.match(text)
    if match:
        kind = PeriodKind.YEARS if match.group(2) == "年" else PeriodKind.MONTHS
        return kind, int(match.group(1))
    errors.append(_("%(column)s must read like %(examples)s, not %(value)s.")
                  % {"column": "保密期限", "examples": PERIOD_EXAMPLES,
                     "value": text or "—"})
    return None, None


def _origin(cells: dict[str, str], errors: list[str]) -> str | None:
    text = cells.get("来源", "")
    if not text:
        # rule C2: a carrier with a sending unit was received, anything else was produced
        return CarrierOrigin.RECEIVED if cells.get("来文单位") else CarrierOrigin.PRODUCED
    origin = ORIGINS.get(text)
    if origin is None:
        errors.append(_one_of("来源", ORIGINS))
    return origin


def _date(raw: Any, text: str | None, errors: list[str]) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    cleaned = (text or "").replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(cleaned) if cleaned else None
    except ValueError:
        errors.append(_("%(column)s is not a date (YYYY-MM-DD).")
                      % {"column": "收文或形成日期"})
        return None


def _number(text: str, column: str, errors: list[str]) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= 1_000_000:
        errors.append(_("%(column)s must be a whole number from 1.") % {"column": column})
        return None
    return int(text)


def _references(cells: dict[str, str], lookups: _Lookups, errors: list[str]
                ) -> dict[str, Any]:
    values: dict[str, Any] = {"department": None, "custodian": None, "signed_by": None,
                              "container": None, "secret_item": None}
    if cells.get("部门"):
        values["department"] = lookups.departments.get(cells["部门"])
        if values["department"] is None:
            errors.append(_("No department %(value)s in this unit.") % {"value": cells["部门"]})
    if cells.get("责任人"):
        values["custodian"] = lookups.person(cells["责任人"], "责任人", errors)
    if cells.get("签收人"):
        values["signed_by"] = lookups.person(cells["签收人"], "签收人", errors)
    if cells.get("保密柜编号"):
        values["container"] = lookups.containers.get(cells["保密柜编号"])
        if values["container"] is None:
            errors.append(_("No container %(value)s in use in this unit.")
                          % {"value": cells["保密柜编号"]})
    if cells.get("定密事项编号"):
        item: SecretItem | None = lookups.items.get(cells["定密事项编号"])
        values["secret_item"] = item
        if item is None:
            errors.append(_("No secret item %(value)s that you can see.")
                          % {"value": cells["定密事项编号"]})
    return values


def template_workbook() -> bytes:
    """The import columns and one example row, for the download on the import page."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "涉密载体台帐"
    sheet.append(list(COLUMNS))
    sheet.append(list(EXAMPLE))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
