"""Obligation rule of removable media (rule D4): a medium checked out comes back by its due
day. One query; Python only turns rows into obligations."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import MediumLoanState
from .models import MediumLoan

SUBJECT = "devices.medium_loan"
FIELDS = ("id", "due_on", "medium__number", "medium__unit_id", "medium__level",
          "person__name", "person__user__id")


def _row(loan: dict[str, Any]) -> ObligationRow:
    return {
        "subject_type": SUBJECT,
        "subject_id": loan["id"],
        "subject_label": f"{loan['medium__number']} · {loan['person__name']}"[:200],
        "unit_id": loan["medium__unit_id"],
        # The borrower brings it back; a person without a login leaves it to the 保密办.
        "responsible_id": loan["person__user__id"],
        "due_date": loan["due_on"],
        "severity": Severity.CRITICAL,
        "level": int(loan["medium__level"]),  # rule L5: shown only to those cleared for it
    }


@obligation_rule("devices.medium_overdue", "D4", _("Return a removable medium checked out"))
def medium_overdue(today: date) -> Iterator[ObligationRow]:
    """rule D4: a medium out past its due day (policy `devices.media_loan_days`) is to be
    brought back and its content checked; from the day after the due day."""
    loans = MediumLoan.objects.filter(state=MediumLoanState.OUT, due_on__lt=today)
    for loan in loans.values(*FIELDS).iterator(chunk_size=5000):
        yield _row(loan)
