"""Reading an existing person ledger (.xlsx): every row is checked before anything is written.

Columns, by their Chinese headers: 姓名, 工号, 部门 (name or code), 涉密岗位, 岗位密级
(秘密/机密/绝密), 上岗日期. `check_ledger` returns the rows ready for
`services.people.import_ledger`, or the list of row errors (then nothing is written).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Level

from .models import Post
from .services.people import LedgerRow

COLUMNS = ("姓名", "工号", "部门", "涉密岗位", "岗位密级", "上岗日期")
LEVELS = {"秘密": Level.SECRET, "机密": Level.CONFIDENTIAL, "绝密": Level.TOP_SECRET}
MAX_ROWS = 20_000


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class CheckedLedger:
    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _Context:
    """What the checks look up once: departments, people and posts of the unit."""

    def __init__(self, unit: Unit) -> None:
        self.departments: dict[str, Department] = {}
        for department in Department.objects.filter(unit=unit):
            self.departments.setdefault(department.code, department)
            self.departments.setdefault(department.name, department)
        self.people = {p.employee_no: p.name
                       for p in Person.objects.filter(unit=unit).only("employee_no", "name")}
        self.posts = {(p.department_id, p.name): p
                      for p in Post.objects.filter(unit=unit)}
        self.names_in_file: dict[str, str] = {}
        self.levels_in_file: dict[tuple[int, str], int] = {}
        self.pairs: set[tuple[str, int, str]] = set()


def read_ledger(upload: IO[bytes], unit: Unit) -> CheckedLedger:
    """Parse and check an uploaded workbook against the unit's data."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        return CheckedLedger(errors=[RowError(0, _("The file is not a readable .xlsx workbook."))])
    try:
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    finally:
        workbook.close()
    return check_ledger(rows, unit)


def check_ledger(rows: list[tuple[Any, ...]], unit: Unit) -> CheckedLedger:
    result = CheckedLedger()
    if not rows:
        result.errors.append(RowError(0, _("The sheet is empty.")))
        return result
    positions = _header_positions(rows[0])
    if isinstance(positions, RowError):
        result.errors.append(positions)
        return result
    if len(rows) > MAX_ROWS + 1:
        result.errors.append(RowError(0, _("At most %(n)s rows at once.") % {"n": MAX_ROWS}))
        return result
    context = _Context(unit)
    for line, raw in enumerate(rows[1:], start=2):
        values = [raw[i] if i < len(raw) else None for i in positions]
        if all(v in (None, "") for v in values):
            continue
        row, errors = _check_row(line, values, context)
        if row is not None:
            result.rows.append(row)
        result.errors.extend(RowError(line, message) for message in errors)
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, _("The sheet has no data rows.")))
    return result


def _header_positions(header: tuple[Any, ...]) -> list[int] | RowError:
    names = [str(cell or "").strip() for cell in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        return RowError(1, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    return [names.index(c) for c in COLUMNS]


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _check_row(line: int, values: list[Any], context: _Context) -> tuple[LedgerRow | None,
                                                                          list[str]]:
    name, employee_no, department_key, post_name, level_label = (_cell_text(v)
                                                                  for v in values[:5])
    errors: list[str] = []
    for text, label, limit in ((name, _("real name"), 100), (employee_no, _("employee number"), 50),
                               (post_name, _("post"), 100)):
        if not text:
            errors.append(_("The %(column)s is missing.") % {"column": label})
        elif len(text) > limit:
            errors.append(_("The %(column)s is longer than %(n)s characters.")
                          % {"column": label, "n": limit})
    department = context.departments.get(department_key)
    if department is None:
        errors.append(_("No department %(value)s in this unit.") % {"value": department_key or "—"})
    level = LEVELS.get(level_label)
    if level is None:
        errors.append(_("The post level must be one of %(levels)s, not %(value)s.")
                      % {"levels": "、".join(LEVELS), "value": level_label or "—"})
    started_on = _parse_date(values[5])
    if started_on is None:
        errors.append(_("The start date is missing or not a date (YYYY-MM-DD)."))
    errors += _consistency(employee_no, name, department, post_name, level, context)
    if errors or department is None or level is None or started_on is None:
        return None, errors
    return LedgerRow(line, name, employee_no, department, post_name, int(level), started_on), []


def _consistency(employee_no: str, name: str, department: Department | None, post_name: str,
                 level: int | None, context: _Context) -> list[str]:
    """A row must agree with the database and with the rows before it."""
    errors: list[str] = []
    known = context.people.get(employee_no) or context.names_in_file.get(employee_no)
    if employee_no and name and known and known != name:
        errors.append(_("Employee number %(no)s belongs to %(name)s.")
                      % {"no": employee_no, "name": known})
    elif employee_no and name:
        context.names_in_file.setdefault(employee_no, name)
    if department is None or not post_name or level is None:
        return errors
    post = context.posts.get((department.pk, post_name))
    expected = post.level if post else context.levels_in_file.get((department.pk, post_name))
    if expected is not None and expected != level:
        errors.append(_("The post %(post)s is %(level)s, not %(given)s.")
                      % {"post": post_name, "level": Level(expected).label,
                         "given": Level(level).label})
    context.levels_in_file.setdefault((department.pk, post_name), level)
    if post is not None and not post.active:
        errors.append(_("The post %(post)s is abolished.") % {"post": post_name})
    pair = (employee_no, department.pk, post_name)
    if pair in context.pairs:
        errors.append(_("This person and post appear twice in the file."))
    context.pairs.add(pair)
    return errors
