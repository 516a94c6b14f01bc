"""Obligation rule of classified meetings (rule M2), one set-based query per group of units
sharing the policy value:

- `compliance.meeting_documents_out`: a meeting whose documents are not all collected back
  `meetings.documents_return_days` days after it ended (the day after, by default) —
  critical, for its organiser.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .models import ClassifiedMeeting
from .services import start_of_day
from .services_places import RETURN_DAYS


@obligation_rule("compliance.meeting_documents_out", "M2",
                 _("Collect back the documents of a classified meeting"))
def meeting_documents_out(today: date) -> Iterator[ObligationRow]:
    """rule M2: documents are collected back at the end of the meeting; one still out is due
    `meetings.documents_return_days` days after the day the meeting ended and raised from
    that day on (a meeting that ended today is not late yet with the default of one day)."""
    for (days,), unit_ids in units_by_policy(RETURN_DAYS).items():
        # The meeting ended before the start of the day `days` days ago … plus one day.
        ended_before = start_of_day(today - timedelta(days=int(days) - 1))
        meetings = (ClassifiedMeeting.objects
                    .filter(unit_id__in=unit_ids, ends_at__lt=ended_before)
                    .annotate(out=Count("documents",
                                        filter=Q(documents__returned_at__isnull=True)))
                    .filter(out__gt=0)
                    .values("id", "title", "unit_id", "organiser_id", "level", "ends_at", "out"))
        for meeting in meetings.iterator(chunk_size=5000):
            ended_on = timezone.localdate(meeting["ends_at"])
            yield {
                "subject_type": "compliance.classifiedmeeting",
                "subject_id": meeting["id"],
                "subject_label": f"{meeting['title']} · {meeting['out']}"[:200],
                "unit_id": meeting["unit_id"],
                "responsible_id": meeting["organiser_id"],
                "due_date": ended_on + timedelta(days=int(days)),
                "severity": Severity.CRITICAL,
                "level": int(meeting["level"]),  # rule L5: shown only to those cleared
            }
