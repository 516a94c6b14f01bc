"""Exports of the 保密津贴 sheet (rule P15) and the 备案 (rule P16) leave a trace: seed 000
§27 asks for the allowance records to be archived (存档备案), and a list of classified
personnel leaving the system must say who took it."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baomi.audit.services import record_event
from baomi.core.errors import InvalidInput

EXPORT_ACTIONS = {
    "allowance": "PERSONNEL_ALLOWANCE_EXPORTED",
    "filing": "PERSONNEL_FILING_EXPORTED",
}


def record_filing_export(actor: Any, kind: str, filters: dict[str, Any], rows: int) -> None:
    """Record that `actor` exported `rows` rows of the allowance sheet or the 备案."""
    action = EXPORT_ACTIONS.get(kind)
    if action is None:
        raise InvalidInput(_("Unknown export."), code="invalid_kind")
    with transaction.atomic():
        record_event(actor, action, object_type=f"personnel.{kind}",
                     unit_id=actor.person.unit_id, after={"filters": filters, "rows": rows})
