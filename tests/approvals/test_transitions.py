import pytest

from baomi.approvals.choices import RequestState, StepState
from baomi.approvals.models import Request
from baomi.approvals.services import submit_request
from baomi.approvals.transitions import REQUEST_TRANSITIONS, STEP_TRANSITIONS, sources_of
from baomi.core.errors import Conflict


def test_request_states():
    assert set(REQUEST_TRANSITIONS.targets_from(RequestState.PENDING)) == {
        "approved", "rejected", "returned", "withdrawn"}
    assert set(REQUEST_TRANSITIONS.targets_from(RequestState.RETURNED)) == {
        "pending", "withdrawn"}
    for closed in ("approved", "rejected", "withdrawn"):
        assert REQUEST_TRANSITIONS.targets_from(closed) == []


def test_step_states():
    assert set(STEP_TRANSITIONS.targets_from(StepState.PENDING)) == {
        "approved", "rejected", "returned", "cancelled"}
    assert set(STEP_TRANSITIONS.targets_from(StepState.WAITING)) == {"pending", "cancelled"}
    assert sources_of(STEP_TRANSITIONS, StepState.CANCELLED) == ["pending", "waiting"]
    for decided in ("approved", "rejected", "returned", "cancelled"):
        assert STEP_TRANSITIONS.targets_from(decided) == []


def test_the_compare_and_set_refuses_a_stale_object(requester, approvers):
    request = submit_request(requester, "test_note", title="t", payload={"note": "x"})
    stale = Request.objects.get(pk=request.pk)
    REQUEST_TRANSITIONS.apply(request, RequestState.WITHDRAWN)
    with pytest.raises(Conflict) as err:
        REQUEST_TRANSITIONS.apply(stale, RequestState.REJECTED)
    assert err.value.code == "concurrent_change"
    with pytest.raises(Conflict) as err:
        REQUEST_TRANSITIONS.apply(request, RequestState.APPROVED)
    assert err.value.code == "illegal_transition"
