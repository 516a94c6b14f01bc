"""Writes of the carriers app (DESIGN.md: every write is a service). One module per part of
the carrier's life; this package re-exports them so that callers write `services.<name>`.

- ledger: containers (rule C3), registration (C2), storage, custody, loans (C5), audited reads.
- copying: copy orders and the copies made (C4), the print log (C10).
- destruction: destruction lists, their approval and the record of the destruction (C7).
- stocktake: stocktakes (C1), missing carriers and their leak incidents (C8).
"""

from .copying import (
    COPIES_PER_ORDER_MAX,
    at_hand,
    check_copy_order,
    conclude_copy,
    copy_stamp_text,
    make_copies,
    needs_consent,
    record_print,
    record_prints_export,
    request_copy,
    withdraw_copy,
)
from .destruction import (
    add_to_batch,
    batch_of_request,
    batch_withdrawn,
    conclude_batch,
    create_batch,
    record_destruction,
    remove_from_batch,
    submit_batch,
)
from .ledger import (
    ASKED_OR_OPEN,
    CAPACITY_MAX,
    COPIES_MAX,
    COPY_NO_MAX,
    GONE,
    KNOWLEDGE_RECORDED_FROM,
    LOCATION_MAX,
    NUMBER_MAX,
    OPEN_LOAN,
    PAGES_MAX,
    PURPOSE_MAX,
    READ_AUDITED_FROM,
    REASON_MAX,
    ROOM_MAX,
    SOURCE_DOCUMENT_MAX,
    SOURCE_UNIT_MAX,
    TITLE_MAX,
    change_custodian,
    conclude_loan,
    hand_out,
    loan_due_on,
    may_borrow_refusal,
    read_is_audited,
    record_carrier_export,
    record_carrier_read,
    register_carrier,
    register_container,
    request_loan,
    return_loan,
    store_carrier,
    update_container,
    withdraw_loan,
)
from .movement import (
    DESTINATION_MAX,
    MOVEMENT,
    check_movement,
    conclude_movement,
    hand_over,
    record_receipt,
    record_return,
    request_movement,
    withdraw_movement,
)
from .stocktake import (
    StocktakeResult,
    check_carrier,
    close_stocktake,
    expected_carriers,
    mark_line,
    missing_deadline,
    missing_to_incident,
    record_found,
    report_missing,
    start_stocktake,
)

__all__ = [
    "ASKED_OR_OPEN",
    "CAPACITY_MAX",
    "COPIES_MAX",
    "COPY_NO_MAX",
    "GONE",
    "KNOWLEDGE_RECORDED_FROM",
    "LOCATION_MAX",
    "NUMBER_MAX",
    "OPEN_LOAN",
    "PAGES_MAX",
    "PURPOSE_MAX",
    "READ_AUDITED_FROM",
    "REASON_MAX",
    "ROOM_MAX",
    "SOURCE_DOCUMENT_MAX",
    "SOURCE_UNIT_MAX",
    "TITLE_MAX",
    "change_custodian",
    "conclude_loan",
    "hand_out",
    "loan_due_on",
    "may_borrow_refusal",
    "read_is_audited",
    "record_carrier_export",
    "record_carrier_read",
    "register_carrier",
    "register_container",
    "request_loan",
    "return_loan",
    "store_carrier",
    "update_container",
    "withdraw_loan",
]

# copying (rules C4, C10)
__all__ += [
    "COPIES_PER_ORDER_MAX",
    "at_hand",
    "check_copy_order",
    "conclude_copy",
    "copy_stamp_text",
    "make_copies",
    "needs_consent",
    "record_print",
    "record_prints_export",
    "request_copy",
    "withdraw_copy",
]

# destruction (rule C7)
__all__ += [
    "add_to_batch",
    "batch_of_request",
    "batch_withdrawn",
    "conclude_batch",
    "create_batch",
    "record_destruction",
    "remove_from_batch",
    "submit_batch",
]

# stocktake (rules C1, C8)
__all__ += [
    "StocktakeResult",
    "check_carrier",
    "close_stocktake",
    "expected_carriers",
    "mark_line",
    "missing_deadline",
    "missing_to_incident",
    "record_found",
    "report_missing",
    "start_stocktake",
]

# movement (rules C2, C6)
__all__ += [
    "DESTINATION_MAX",
    "MOVEMENT",
    "check_movement",
    "conclude_movement",
    "hand_over",
    "record_receipt",
    "record_return",
    "request_movement",
    "withdraw_movement",
]
