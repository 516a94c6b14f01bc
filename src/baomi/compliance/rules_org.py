"""Obligation rule of the 保密委员会 (rule Q1), one set-based query per policy value:

- `compliance.committee_meetings`: the active committee of a unit meets at least
  `compliance.committee_meetings_per_year` times in the current year. Read per half-year: with
  none held in January–June the obligation opens on 1 July, due 30 June (one meeting per
  half-year); with fewer than required on 1 October (start of Q4) it opens, due 31 December.
  It closes once the year's count is reached. A committee established during the year is
  held to the half-year only when it existed on 1 January, and to the year's count only when
  it existed on 30 June.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .models import Committee
from .selectors_org import MEETINGS_KEY

FIELDS = ("id", "name", "unit_id", "established_on", "held", "held_first_half")


@obligation_rule("compliance.committee_meetings", "Q1",
                 _("Hold the meetings of the secrecy committee"))
def committee_meetings(today: date) -> Iterator[ObligationRow]:
    """rule Q1: the year's meetings, checked from 1 July (first half) and 1 October (year)."""
    year = today.year
    first_half_end, q4_start, year_end = date(year, 6, 30), date(year, 10, 1), date(year, 12, 31)
    if today <= first_half_end:
        return
    in_year = Q(meetings__held_on__gte=date(year, 1, 1), meetings__held_on__lte=year_end)
    for (required,), unit_ids in units_by_policy(MEETINGS_KEY).items():
        committees = (Committee.objects.filter(unit_id__in=unit_ids, active=True,
                                               established_on__lte=first_half_end)
                      .annotate(held=Count("meetings", filter=in_year),
                                held_first_half=Count("meetings", filter=in_year & Q(
                                    meetings__held_on__lte=first_half_end)))
                      .filter(held__lt=int(required)))
        for committee in committees.values(*FIELDS).iterator(chunk_size=5000):
            missed_half = (committee["held_first_half"] == 0
                           and committee["established_on"] <= date(year, 1, 1))
            if missed_half:
                due = first_half_end
            elif today >= q4_start:
                due = year_end
            else:
                continue
            yield {"subject_type": "compliance.committee", "subject_id": committee["id"],
                   "subject_label": f"{committee['name']} · {year}"[:200],
                   "unit_id": committee["unit_id"],
                   "responsible_id": None,  # the 保密办 convenes the meeting
                   "due_date": due, "severity": Severity.WARNING}
