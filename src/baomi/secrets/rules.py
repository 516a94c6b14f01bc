"""Obligation rules of the 定密 app (DESIGN.md 'Obligations'): the decision due on a
provisionally classified item (S3), the annual review (S5) and the expiry review (S6); and the
daily job `secrets.expire` (S6) that ends the period of items whose last day has passed.

Each rule is one query (per policy value where the policy matters); Python only turns rows
into obligations.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from baomi.core.calendar import add_years
from baomi.core.labels import Scheme
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, daily_job, obligation_rule

from .choices import ItemState
from .models import SecretItem
from .services import expire_items

SUBJECT = "secrets.secretitem"
SOON_DAYS = 30  # due within this many days: a warning
FIELDS = ("id", "number", "title", "unit_id", "scheme", "level")

# rule S6: the period ends by itself; `baomi sweep` runs this before the rules.
daily_job("secrets.expire", "S6")(expire_items)


def _row(item: dict[str, Any], due: date, today: date, responsible: int | None,
         estimated: bool = False) -> ObligationRow:
    return {
        "subject_type": SUBJECT,
        "subject_id": item["id"],
        "subject_label": f"{item['number']} {item['title']}"[:200],
        "unit_id": item["unit_id"],
        "responsible_id": responsible,
        "due_date": due,
        "severity": (Severity.CRITICAL if due <= today else
                     Severity.WARNING if due <= today + timedelta(days=SOON_DAYS)
                     else Severity.INFO),
        "estimated": estimated,
        # rule L5: a state secret's obligation is at its level; rule L4: the other schemes
        # are no state-secret levels.
        "level": int(item["level"]) if item["scheme"] == Scheme.STATE else 0,
    }


def in_state(state: str) -> QuerySet[SecretItem]:
    return SecretItem.objects.filter(state=state)


@obligation_rule("secrets.provisional_decision", "S3",
                 _("Obtain the decision on a provisionally classified item"))
def provisional_decision(today: date) -> Iterator[ObligationRow]:
    """rule S3: a unit without the authority for an item 先行拟定 it and reports it for a
    decision within `secrets.provisional_decision_working_days` 工作日 (the due date is set
    when it is proposed, `estimated` where the holiday calendar was guessed); the 保密办
    records the decision."""
    items = in_state(ItemState.PROVISIONAL).values(*FIELDS, "provisional_due_on",
                                                    "provisional_due_estimated")
    for item in items.iterator(chunk_size=5000):
        yield _row(item, item["provisional_due_on"], today, None,
                   item["provisional_due_estimated"])


def review_due_on(reference: date) -> date:
    """rule S5: the annual review is due one year after the decision or the last review."""
    return add_years(reference, 1)


@obligation_rule("secrets.annual_review", "S5", _("Annual review of a secret item"))
def annual_review(today: date) -> Iterator[ObligationRow]:
    """rule S5: every classified item is reviewed every year by the 定密责任人 who decided
    it (the unit's 保密办 when a superior authority decided); shown from
    `secrets.review_notice_days` before the due date."""
    for (notice_days,), unit_ids in units_by_policy("secrets.review_notice_days").items():
        horizon = today + timedelta(days=notice_days)
        # One year before the horizon, a day late for 29 February; exact below.
        latest = add_years(horizon, -1) + timedelta(days=1)
        items = (in_state(ItemState.DETERMINED).filter(unit_id__in=unit_ids)
                 .annotate(reference=Coalesce("last_reviewed_on", "decided_on"))
                 .filter(reference__lte=latest)
                 .values(*FIELDS, "reference", "decider_id"))
        for item in items.iterator(chunk_size=5000):
            due = review_due_on(item["reference"])
            if due <= horizon:
                yield _row(item, due, today, item["decider_id"])


@obligation_rule("secrets.expiry_review", "S6", _("Review a secret item whose period ended"))
def expiry_review(today: date) -> Iterator[ObligationRow]:
    """rule S6 (policy `secrets.declassify_requires_review`): the period ended and the
    client (甲方) decides; the 保密办 files the extension or the declassification, due from
    the day after the last day of the period."""
    items = in_state(ItemState.EXPIRY_REVIEW).values(*FIELDS, "expires_on")
    for item in items.iterator(chunk_size=5000):
        yield _row(item, item["expires_on"] + timedelta(days=1), today, None)
