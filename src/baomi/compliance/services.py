"""Writes of the compliance app: recording a leak incident (rule I1) and reading one.

The full handling of an incident (report within 24 hours, remedial measures, investigation
under 四不放过, rules I1 and I2) comes with the compliance app's own workflow; for now
incidents are recorded by the rules that say an event is handled as a leak (rule C8).
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit, User
from baomi.accounts.roles import Role
from baomi.audit.services import record_event
from baomi.core.access import unit_perimeter
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.labels import Level, Scheme
from baomi.core.validation import clean_text

from .choices import IncidentKind
from .models import Incident

TITLE_MAX = 300
SOURCE_TYPE_MAX = 60
SOURCE_LABEL_MAX = 200
DESCRIPTION_MAX = 4000
# DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 object is audited.
READ_AUDITED_FROM = Level.CONFIDENTIAL


def _invalid(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, fields={field: message})


def _checked_label(scheme: Any, level: Any) -> tuple[str, int]:
    if not isinstance(scheme, str) or scheme not in Scheme.values:
        raise _invalid("scheme")
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise _invalid("level")
    return scheme, level


def _require_recorder(actor: Any, unit: Unit) -> User | None:
    """A daily job (no actor) or the 保密办 of the unit records an incident."""
    if actor is None:
        return None
    if not isinstance(actor, User) or unit.pk not in unit_perimeter(
            actor, {Role.SECRECY_OFFICE}):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")
    return actor


def record_incident(actor: Any, *, unit: Unit, kind: str, scheme: str, level: int, title: str,
                    discovered_on: dt.date, created_on: dt.date | None = None,
                    source_type: str = "", source_id: int | None = None,
                    source_label: str = "", description: str = "") -> Incident:
    """rule I1: record a leak or suspected leak of `unit`, at the level of what leaked (rule
    L5). Runs inside the caller's transaction when there is one (rule C8 records the incident
    and closes the missing-carrier case together)."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise _invalid("unit")
    if not isinstance(kind, str) or kind not in IncidentKind.values:
        raise _invalid("kind")
    scheme, level = _checked_label(scheme, level)
    title = clean_text(title, "title", TITLE_MAX)
    source_type = clean_text(source_type, "source_type", SOURCE_TYPE_MAX, required=False)
    source_label = clean_text(source_label, "source_label", SOURCE_LABEL_MAX, required=False)
    description = clean_text(description, "description", DESCRIPTION_MAX, required=False)
    if not isinstance(discovered_on, dt.date) or isinstance(discovered_on, dt.datetime):
        raise _invalid("discovered_on")
    created_by = _require_recorder(actor, unit)
    with transaction.atomic():
        incident = Incident.objects.create(
            unit=unit, kind=kind, scheme=scheme, level=level, title=title,
            discovered_on=discovered_on, created_on=created_on or timezone.localdate(),
            created_by=created_by, source_type=source_type, source_id=source_id,
            source_label=source_label, description=description)
        record_event(actor, "INCIDENT_RECORDED", incident, after={
            "kind": kind, "scheme": scheme, "level": level, "title": title,
            "discovered_on": discovered_on.isoformat(), "source_type": source_type,
            "source_id": source_id})
    return incident


def read_is_audited(incident: Incident) -> bool:
    return incident.scheme == Scheme.STATE and incident.level >= READ_AUDITED_FROM


def record_incident_read(actor: Any, incident: Incident) -> None:
    """DESIGN.md 'Access model': opening a 机密 or 绝密 incident is audited."""
    if read_is_audited(incident):
        with transaction.atomic():
            record_event(actor, "INCIDENT_READ", incident)
