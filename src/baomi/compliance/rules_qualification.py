"""Obligation rules of the unit's 资质/备案 records (DESIGN.md 'Obligations'):

- `compliance.requalification_due` (rule Q4): a valid qualification is renewed at least 60
  working days before it expires. Raised `compliance.requalification_notice_days` calendar
  days before that deadline, due on it, critical; closed once a renewal of the type is filed
  and pending or passed.
- `compliance.change_report_due` (rule Q6): a change of the unit not yet reported, due 10
  working days after it occurred (fixed when it was recorded), critical.

The daily job `compliance.qualification_expiry` (in `services_qualification`) records expired
qualifications before the rules run.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from baomi.core.calendar import add_working_days
from baomi.core.policy import units_by_policy
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices_qualification import ApplicationKind, QualificationState
from .models import Qualification, QualificationApplication, UnitChange
from .services_qualification import (
    NOTICE_DAYS_KEY,
    RENEWAL_FILED,
    REQUALIFY_DAYS_KEY,
    expire_qualifications,  # noqa: F401 -- registers the daily job
)

# N working days span at most this many calendar days (weekends, the 春节 and 国庆 weeks):
# the SQL bound is loose, the exact deadline is computed in Python for the few rows it lets
# through.
CALENDAR_DAYS_PER_WORKING_DAY = 2


def renewal_filed() -> Exists:
    """A renewal of the same type filed since the qualification was issued, pending or
    passed (rule Q4: filing it is what the rule asks)."""
    return Exists(QualificationApplication.objects.filter(
        unit_id=OuterRef("unit_id"), type=OuterRef("type"), kind=ApplicationKind.RENEWAL,
        result__in=RENEWAL_FILED, applied_on__gte=OuterRef("issued_on")))


@obligation_rule("compliance.requalification_due", "Q4",
                 _("Apply to renew a qualification before it expires"))
def requalification_due(today: date) -> Iterator[ObligationRow]:
    """rule Q4: open from (expiry − 60 working days) − notice days, due expiry − 60 working
    days; the due day itself is still in time."""
    for (working_days, notice), unit_ids in units_by_policy(
            REQUALIFY_DAYS_KEY, NOTICE_DAYS_KEY).items():
        horizon = today + timedelta(days=int(notice)
                                    + CALENDAR_DAYS_PER_WORKING_DAY * int(working_days))
        held = (Qualification.objects
                .filter(unit_id__in=unit_ids, state=QualificationState.VALID,
                        expires_on__gte=today, expires_on__lte=horizon)
                .exclude(renewal_filed())
                .values("id", "unit_id", "type", "certificate_number", "expires_on"))
        for qualification in held.iterator(chunk_size=1000):
            deadline = add_working_days(qualification["expires_on"], -int(working_days))
            if today >= deadline.date - timedelta(days=int(notice)):
                yield {
                    "subject_type": "compliance.qualification",
                    "subject_id": qualification["id"],
                    "subject_label": str(qualification["certificate_number"])[:200],
                    "unit_id": qualification["unit_id"],
                    "responsible_id": None,  # the 保密办 files the renewal
                    "due_date": deadline.date,
                    "severity": Severity.CRITICAL,
                    "estimated": deadline.estimated,
                }


@obligation_rule("compliance.change_report_due", "Q6",
                 _("Report a change of the unit to the authority"))
def change_report_due(today: date) -> Iterator[ObligationRow]:
    """rule Q6: every change not yet reported, due on its `report_due_on`."""
    changes = UnitChange.objects.filter(reported_on=None).values(
        "id", "unit_id", "kind", "description", "report_due_on", "report_due_estimated")
    for change in changes.iterator(chunk_size=5000):
        yield {
            "subject_type": "compliance.unitchange",
            "subject_id": change["id"],
            "subject_label": str(change["description"])[:200],
            "unit_id": change["unit_id"],
            "responsible_id": None,  # the 保密办 reports it
            "due_date": change["report_due_on"],
            "severity": Severity.CRITICAL,
            "estimated": change["report_due_estimated"],
        }
