"""Obligation rule of rule M3, the personal part: core and important personnel (by the unit's
policy `personnel.mobile_commitment.<category>`) do not use smartphones for work and sign the
涉密人员移动通信设备使用保密承诺书 once.

Starting in post already requires it (rule P3 readiness); this rule finds the people serving
in post whose category requires it and who never signed one: a category raised by a new post
(rule L3), a unit that turned the setting on, a ledger imported in post. One query per
distinct combination of the three settings; Python only turns rows into obligations.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import SERVING, CommitmentKind
from .models import Commitment, PersonnelFile, PostHolding
from .selectors.onboarding import MOBILE_COMMITMENT_KEYS

SUBJECT = "personnel.personnelfile"
FIELDS = ("id", "person__name", "unit_id", "category", "in_post_since")


def _categories(required: tuple[Any, ...]) -> list[int]:
    """The categories whose setting is on, from the values in MOBILE_COMMITMENT_KEYS order."""
    return [category for category, on in zip(MOBILE_COMMITMENT_KEYS, required, strict=True)
            if on]


def _required_since(file: dict[str, Any]) -> date | None:
    """Since when the commitment is owed: the start in post, or the later start of the oldest
    post still held at the file's level (the post that raised the category)."""
    dates = [day for day in (file["in_post_since"], file["post_since"]) if day is not None]
    return max(dates) if dates else None


@obligation_rule("personnel.mobile_commitment", "M3",
                 _("Sign the commitment on the use of mobile communication devices"))
def mobile_commitment(today: date) -> Iterator[ObligationRow]:
    """rule M3: a person in post whose category the unit's policy names and who never signed
    the mobile device commitment (one in any year counts) owes it since the later of the start
    in post and the start of the post that gave the category; the 保密办 records it."""
    signed = Commitment.objects.filter(person_id=OuterRef("person_id"),
                                       kind=CommitmentKind.MOBILE)
    # rule L3: the category is the highest level of the posts held (L2 maps them one to one).
    post_since = (PostHolding.objects
                  .filter(person_id=OuterRef("person_id"), ended_on__isnull=True,
                          post__level=OuterRef("category"))
                  .order_by("started_on").values("started_on")[:1])
    for required, unit_ids in units_by_policy(*MOBILE_COMMITMENT_KEYS.values()).items():
        categories = _categories(required)
        if not categories:
            continue
        files = (PersonnelFile.objects
                 .filter(state__in=SERVING, unit_id__in=unit_ids, category__in=categories)
                 .filter(~Exists(signed))
                 .annotate(post_since=Subquery(post_since))
                 .values(*FIELDS, "post_since"))
        for file in files.iterator(chunk_size=5000):
            due = _required_since(file) or today
            yield {
                "subject_type": SUBJECT,
                "subject_id": file["id"],
                "subject_label": file["person__name"],
                "unit_id": file["unit_id"],
                "responsible_id": None,  # the 保密办 has it signed and records it
                "due_date": due,
                "severity": Severity.CRITICAL if due <= today else Severity.WARNING,
                "level": file["category"],  # rule L5: the category is the file's level
            }
