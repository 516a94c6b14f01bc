"""Where a carrier is (rule C1) and the course of a loan (rule C5)."""

from baomi.core.transitions import table

from .choices import CarrierState as C
from .choices import LoanState as L

CARRIER = table("state", [
    (C.IN_STORE, C.ON_LOAN, None),      # handed out on an approved loan (rule C5)
    (C.ON_LOAN, C.IN_STORE, None),      # returned
    (C.IN_STORE, C.TO_DESTROY, None),   # put on a destruction list (rule C7)
    (C.TO_DESTROY, C.IN_STORE, None),   # taken off the list, or the batch rejected
    (C.TO_DESTROY, C.DESTROYED, None),  # destroyed and recorded (rule C7); locked for good
    (C.IN_STORE, C.MISSING, None),      # not found at a stocktake, or reported lost (C1, C8)
    (C.ON_LOAN, C.MISSING, None),
    (C.TO_DESTROY, C.MISSING, None),    # listed for destruction and not found at a stocktake
    (C.MISSING, C.IN_STORE, None),      # found again
    (C.IN_STORE, C.OUT, None),          # sent or taken out on an approved movement (C2, C6)
    (C.OUT, C.IN_STORE, None),          # brought back
    (C.OUT, C.SENT, None),              # the recipient signed for it (rule C2); off the store
    (C.OUT, C.MISSING, None),
])

LOAN = table("state", [
    (L.REQUESTED, L.APPROVED, None),    # the approvals chain approved (rule C5)
    (L.REQUESTED, L.REJECTED, None),
    (L.REQUESTED, L.WITHDRAWN, None),
    (L.APPROVED, L.OUT, None),          # handed out by the 保密办
    (L.APPROVED, L.WITHDRAWN, None),    # not collected
    (L.OUT, L.RETURNED, None),
])
