"""Obligations and the daily job of missing carriers (rule C8).

- daily job `carriers.missing_to_incident`: a case still open after its deadline (10 calendar
  days after discovery for 绝密, 60 for 机密 and 秘密) becomes a leak incident (rule I1);
- obligation `carriers.missing_open`: every open case is due by its deadline, critical from the
  start (rule C8: reported at once, traced at once), for the unit's 保密办, at the carrier's
  level (rule L5).
"""

from collections.abc import Iterator
from datetime import date

from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Scheme
from baomi.obligations.registry import ObligationRow, Severity, daily_job, obligation_rule

from .choices import CarrierState
from .models import MissingCase
from .models.stocktake import MissingState
from .services.stocktake import missing_to_incident

SUBJECT = "carriers.missingcase"
FIELDS = ("id", "deadline", "unit_id", "carrier__number", "carrier__title", "carrier__scheme",
          "carrier__level")

# rule C8: the deadline passes by itself; `baomi sweep` runs this before the rules.
daily_job("carriers.missing_to_incident", "C8")(missing_to_incident)


@obligation_rule("carriers.missing_open", "C8",
                 _("Trace a classified carrier whose whereabouts are unknown"))
def missing_open(today: date) -> Iterator[ObligationRow]:
    """rule C8: trace a missing carrier before its deadline; after it, the daily job records
    the leak incident and the obligation closes (so does a carrier back on the ledger)."""
    cases = MissingCase.objects.filter(state=MissingState.OPEN,
                                       carrier__state=CarrierState.MISSING).values(*FIELDS)
    for case in cases.iterator(chunk_size=5000):
        yield {
            "subject_type": SUBJECT,
            "subject_id": case["id"],
            "subject_label": f"{case['carrier__number']} {case['carrier__title']}"[:200],
            "unit_id": case["unit_id"],
            "responsible_id": None,  # the unit's 保密办
            "due_date": case["deadline"],
            "severity": Severity.CRITICAL,
            # rule L5: at the carrier's level; rule L4: other schemes are no state levels.
            "level": (int(case["carrier__level"]) if case["carrier__scheme"] == Scheme.STATE
                      else 0),
        }
