"""The register of secret items (国家秘密事项一览表, rule S11) as .xlsx, one scheme per file
(rule L4), streamed through openpyxl's write_only mode; each export leaves an audit trace."""

from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook

from baomi.audit.services import record_event
from baomi.core.labels import Scheme
from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .models import SecretItem
from .views.display import MAX_CELL, item_mark, level_text, period_text, scope_summary

SECRET_ITEMS_EXPORTED = "SECRET_ITEMS_EXPORTED"

REGISTER_TITLES: dict[str, Any] = {
    Scheme.STATE: gettext_lazy("Register of state secret items"),
    Scheme.WORK: gettext_lazy("Register of work secret items"),
    Scheme.COMMERCIAL: gettext_lazy("Register of commercial secret items"),
}


def register_title(scheme: str) -> str:
    return str(REGISTER_TITLES.get(scheme, REGISTER_TITLES[Scheme.STATE]))


def register_headers() -> list[str]:
    return [_("Item number"), _("Title"), _("Mark"), _("Level"), _("Period or condition"),
            _("Need-to-know scope"), _("Proposing department"), _("Proposer"),
            _("Classification officer"), pgettext("secret item", "Issued on"), _("Decided on"),
            _("Period ends on"), _("State")]


def _row(sheet: Any, item: SecretItem) -> list[Any]:
    decider = item.decider.person.name if item.decider_id and item.decider else ""
    department = item.department.name if item.department_id and item.department else ""
    texts = [item.number, item.title, item_mark(item), level_text(item), period_text(item),
             scope_summary(item, shown=None), department, item.proposer.name, decider]
    return [*(text_cell(sheet, text[:MAX_CELL]) for text in texts), item.issued_on,
            item.decided_on, item.expires_on, text_cell(sheet, str(item.get_state_display()))]


def write_register(items: Iterable[SecretItem], scheme: str) -> IO[bytes]:
    """The register of one scheme (rule L4: never two in one file) in a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=register_title(scheme)[:31])
    sheet.append([text_cell(sheet, header) for header in register_headers()])
    for count, item in enumerate(items):
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, item))
    return saved_workbook(workbook)


def record_register_export(actor: Any, filters: dict[str, Any]) -> None:
    """Who took which register out (rule S11), in its own transaction before the file goes."""
    with transaction.atomic():
        record_event(actor, SECRET_ITEMS_EXPORTED, object_type="secrets.secretitem",
                     unit_id=actor.person.unit_id, after={"filters": filters})
