"""The end of the period (rule S6): the daily job `secrets.expire` (registered in rules.py)."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baomi.accounts.models import User
from baomi.audit.services import record_event
from baomi.core.errors import Conflict
from baomi.core.policy import units_by_policy

from ..choices import ChangeKind, DeclassifiedHow, ItemState
from ..models import ItemChange, SecretItem
from .common import iso

DAY = dt.timedelta(days=1)
# Audit actions by the unit's policy (named here so the audit label test finds them).
ITEM_EXPIRED = "SECRET_ITEM_EXPIRED"
EXPIRY_REVIEW_OPENED = "SECRET_EXPIRY_REVIEW_OPENED"


def expire_items(today: dt.date, actor: Any = None) -> int:
    """rule S6: a classified item whose period ended before `today` (its last day is
    `expires_on`) is declassified, as of the day after that last day; where the unit's policy
    `secrets.declassify_requires_review` asks for it (the client, 甲方, decides) it goes to
    the expiry review instead (obligation `secrets.expiry_review`), and stays protected until
    a change request extends or declassifies it (rule S10). Every scheme with a period
    expires alike. One query per policy group; returns the number of items changed."""
    decided_by = actor if isinstance(actor, User) else None
    changed = 0
    with transaction.atomic():
        grouped = units_by_policy("secrets.declassify_requires_review")
        for (requires_review,), unit_ids in grouped.items():
            changed += _expire(today, unit_ids, bool(requires_review), decided_by)
    return changed


def _expire(today: dt.date, unit_ids: list[int], requires_review: bool,
            actor: User | None) -> int:
    rows: list[Any] = list(SecretItem.objects.select_for_update(of=("self",))
                .filter(unit_id__in=unit_ids, state=ItemState.DETERMINED,
                        expires_on__lt=today)
                .values("id", "unit_id", "expires_on", "level", "scheme")
                .order_by("id"))
    if not rows:
        return 0
    target = ItemState.EXPIRY_REVIEW if requires_review else ItemState.DECLASSIFIED
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for row in rows:
        by_day[row["expires_on"]].append(row["id"])
    for last_day, ids in by_day.items():
        changes: dict[str, Any] = {"state": target}
        if not requires_review:
            changes.update(declassified_on=last_day + DAY, declassified_how=DeclassifiedHow.EXPIRED)
        # Compare-and-set on the state: a change approved meanwhile is not overwritten.
        updated = SecretItem.objects.filter(pk__in=ids, state=ItemState.DETERMINED).update(
            **changes)
        if updated != len(ids):
            raise Conflict(_("Someone else changed these items at the same time."),
                           code="concurrent_change")
    ItemChange.objects.bulk_create([_change(row, target, actor) for row in rows])
    action = EXPIRY_REVIEW_OPENED if requires_review else ITEM_EXPIRED
    for row in rows:
        record_event(actor, action, object_type="secrets.secretitem", object_id=row["id"],
                     unit_id=row["unit_id"], before=_before(row), after=_after(row, target))
    return len(rows)


def _before(row: dict[str, Any]) -> dict[str, Any]:
    return {"state": ItemState.DETERMINED, "expires_on": iso(row["expires_on"])}


def _after(row: dict[str, Any], target: str) -> dict[str, Any]:
    after: dict[str, Any] = {"state": target}
    if target == ItemState.DECLASSIFIED:
        after.update(declassified_on=iso(row["expires_on"] + DAY),
                     declassified_how=DeclassifiedHow.EXPIRED)
    return after


def _change(row: dict[str, Any], target: str, actor: User | None) -> ItemChange:
    return ItemChange(item_id=row["id"], kind=ChangeKind.EXPIRED, before=_before(row),
                      after=_after(row, target), decided_by=actor,
                      decided_on=row["expires_on"] + DAY)
