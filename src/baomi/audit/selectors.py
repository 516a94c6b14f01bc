"""Reading the audit trail: only the 安全审计员 reads it, and reads everyone's (rule T2).

The trail of one deployment is one chain: the auditor of the system reads the events of every
user, the other 三员 included, in every unit. Nobody edits it (there is no service for that,
and the database refuses it).
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.core.errors import AccessDenied, InvalidInput, NotFound

from .models import AuditCheckpoint, AuditEvent
from .verify import VerifyResult, verify_chain

MAX_SEQ = 2**63 - 1
# Dates outside this range cannot be real events and would overflow time-zone arithmetic.
MIN_DATE, MAX_DATE = date(1970, 1, 1), date(9998, 12, 31)
FILTER_LENGTHS = {"actor": 100, "action": 60, "object_type": 60, "object_id": 64}
# An actor filter that matches more people than this is too vague to be index-friendly.
MAX_ACTORS = 500
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class EventFilters:
    """What the auditor looks for. Dates are local dates (Asia/Shanghai), both inclusive."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        for name, limit in FILTER_LENGTHS.items():
            value = getattr(self, name)
            if len(value) > limit:
                errors[name] = _("At most %(n)s characters.") % {"n": limit}
            elif "\x00" in value:
                errors[name] = _("Invalid character.")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not MIN_DATE <= value <= MAX_DATE:
                errors[name] = _("Enter a date between %(a)s and %(b)s.") % {
                    "a": MIN_DATE, "b": MAX_DATE}
        if not errors and self.date_from and self.date_to and self.date_from > self.date_to:
            errors["date_to"] = _("The end date is before the start date.")
        if errors:
            raise InvalidInput(_("The filter is invalid."), fields=errors)

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as text (recorded with an export)."""
        return {k: str(v) for k, v in asdict(self).items() if v not in ("", None)}


def require_auditor(user: Any) -> None:
    """rule T2: the audit trail is the 安全审计员's; every other role is refused."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.AUDITOR):
        raise AccessDenied(_("Only the security auditor reads the audit trail."), rule="T2")


def events_visible_to(user: Any, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Events matching `filters`, for the auditor only; each filter can use an index."""
    require_auditor(user)
    filters = filters or EventFilters()
    events = AuditEvent.objects.all()
    if filters.actor:
        events = events.filter(_actor_condition(filters.actor))
    if filters.action:
        events = events.filter(action=filters.action.strip().upper())  # index (action, seq)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type.strip())
    if filters.object_id:
        events = events.filter(object_id=filters.object_id.strip())
    if filters.date_from:
        events = events.filter(at__gte=_local_midnight(filters.date_from))
    if filters.date_to and filters.date_to < MAX_DATE:
        events = events.filter(at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return events.order_by("-seq")


def _actor_condition(text: str) -> Q:
    """Username (exact, any case) or part of the real name, resolved to ids first so that the
    (actor, seq) index serves the query; 'system' is the operator (no user)."""
    text = text.strip()
    if text.lower() == SYSTEM_ACTOR:
        return Q(actor__isnull=True)
    ids = list(
        User.objects.filter(Q(username__iexact=text) | Q(person__name__icontains=text))
        .values_list("id", flat=True)[:MAX_ACTORS]
    )
    return Q(actor_id__in=ids)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def event_visible_to(user: Any, seq: int) -> AuditEvent:
    require_auditor(user)
    if not 1 <= seq <= MAX_SEQ:
        raise NotFound()
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        raise NotFound()
    return event


def neighbours_of(user: Any, event: AuditEvent) -> tuple[int | None, int | None]:
    """The seq of the events just before and after `event`, for stepping through the chain."""
    require_auditor(user)
    older = AuditEvent.objects.filter(seq__lt=event.seq).order_by("-seq")
    newer = AuditEvent.objects.filter(seq__gt=event.seq).order_by("seq")
    return (older.values_list("seq", flat=True).first(),
            newer.values_list("seq", flat=True).first())


def checkpoints_visible_to(user: Any) -> QuerySet[AuditCheckpoint]:
    require_auditor(user)
    return AuditCheckpoint.objects.order_by("-id")


def checkpoint_visible_to(user: Any, pk: int) -> AuditCheckpoint:
    require_auditor(user)
    checkpoint = AuditCheckpoint.objects.filter(pk=pk).first() if 1 <= pk <= MAX_SEQ else None
    if checkpoint is None:
        raise NotFound()
    return checkpoint


def verification_for(user: Any) -> VerifyResult:
    """Run the full verification for the auditor (read-only, appends nothing)."""
    require_auditor(user)
    return verify_chain()
