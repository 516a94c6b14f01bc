"""Obligation rules of the carriers app (DESIGN.md 'Obligations'): a carrier handed out is
due back (rule C5).

One query per rule; Python only turns rows into obligations.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Scheme
from baomi.obligations.registry import ObligationRow, Severity, obligation_rule

from .choices import LoanState
from .models import Loan

SUBJECT = "carriers.loan"
FIELDS = ("id", "due_on", "carrier__number", "carrier__title", "carrier__unit_id",
          "carrier__scheme", "carrier__level", "borrower__user__id")


def _row(loan: dict[str, Any], today: date) -> ObligationRow:
    due = loan["due_on"]
    return {
        "subject_type": SUBJECT,
        "subject_id": loan["id"],
        "subject_label": f"{loan['carrier__number']} {loan['carrier__title']}"[:200],
        "unit_id": loan["carrier__unit_id"],
        # The borrower brings it back; a person without a login leaves it to the 保密办.
        "responsible_id": loan["borrower__user__id"],
        "due_date": due,
        "severity": Severity.CRITICAL if due < today else Severity.WARNING,
        # rule L5: the obligation is at the carrier's level; rule L4: the other schemes are
        # no state-secret levels.
        "level": int(loan["carrier__level"]) if loan["carrier__scheme"] == Scheme.STATE else 0,
    }


@obligation_rule("carriers.loan_overdue", "C5", _("Return a borrowed classified carrier"))
def loan_overdue(today: date) -> Iterator[ObligationRow]:
    """rule C5: a carrier handed out comes back by its due date (the same day for 传阅, after
    `carriers.borrow_days` for 借阅): on the day a warning, from the next day critical."""
    loans = Loan.objects.filter(state=LoanState.OUT, due_on__lte=today).values(*FIELDS)
    for loan in loans.iterator(chunk_size=5000):
        yield _row(loan, today)


# rule C8: missing carriers and their leak incidents; rules C2, C6: carriers out of the
# unit; rule Q7: containers outside secure rooms. Importing the modules registers them.
from . import (  # noqa: E402
    rules_movement,  # noqa: F401
    rules_room,  # noqa: F401
    rules_stocktake,  # noqa: F401
)
