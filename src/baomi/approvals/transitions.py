"""The state machines of requests and steps (DESIGN.md 'State machines are declarative tables').

A request is pending while its steps are decided one after the other; the current step's
decision closes it (approved, rejected) or hands it back to the requester (returned), who
resubmits it as a new round or withdraws it. Moving from one step to the next keeps the
request pending: that move is a compare-and-set on the step number (services.py).
"""

from baomi.core.transitions import TransitionTable, table

from .choices import RequestState, StepState

REQUEST_TRANSITIONS = table("state", [
    (RequestState.PENDING, RequestState.APPROVED, None),
    (RequestState.PENDING, RequestState.REJECTED, None),
    (RequestState.PENDING, RequestState.RETURNED, None),
    (RequestState.PENDING, RequestState.WITHDRAWN, None),
    (RequestState.RETURNED, RequestState.PENDING, None),
    (RequestState.RETURNED, RequestState.WITHDRAWN, None),
])

STEP_TRANSITIONS = table("state", [
    (StepState.WAITING, StepState.PENDING, None),
    (StepState.PENDING, StepState.APPROVED, None),
    (StepState.PENDING, StepState.REJECTED, None),
    (StepState.PENDING, StepState.RETURNED, None),
    (StepState.PENDING, StepState.CANCELLED, None),
    (StepState.WAITING, StepState.CANCELLED, None),
])


def sources_of(transitions: TransitionTable, target: str) -> list[str]:
    """The states from which `target` is legal, for set-based (bulk) compare-and-set updates."""
    return sorted({frm for (frm, to) in transitions.transitions if to == target})
