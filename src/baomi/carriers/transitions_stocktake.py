"""The course of a stocktake (rule C1) and of a missing-carrier case (rule C8)."""

from baomi.core.transitions import table

from .models.stocktake import MissingState as M
from .models.stocktake import StocktakeState as S

STOCKTAKE = table("state", [
    (S.OPEN, S.CLOSED, None),       # closed once: what was not found is missing (rule C1)
])

MISSING_CASE = table("state", [
    (M.OPEN, M.FOUND, None),        # found again before the deadline
    (M.OPEN, M.INCIDENT, None),     # still untraced after the deadline: a leak (rules C8, I1)
    (M.INCIDENT, M.FOUND, None),    # found later: back on the ledger, the incident stays
])
