"""The request types of the 定密 app: their level (L5, L4), department, description, and the
checks that hold however a request is filed or resubmitted."""

from datetime import date

import pytest

from baomi.approvals.choices import RequestState
from baomi.approvals.registry import get_request_type
from baomi.approvals.services import decide, resubmit_request, submit_request
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level
from baomi.secrets.choices import ItemState
from baomi.secrets.models import SecretItem
from baomi.secrets.request_types import MAX_ID

from . import services_support as support
from .services_support import approve, determined, propose

pytestmark = pytest.mark.django_db

people, yf, authority = support.people, support.yf, support.authority
TYPES = ("secret_determination", "secret_change", "secret_scope")


@pytest.mark.parametrize("code", TYPES)
def test_types_are_registered_with_labels(code):
    request_type = get_request_type(code)
    assert request_type.code == code and str(request_type.label)


@pytest.mark.rule("L5")
def test_level_is_the_item_level_for_state_secrets(people, authority):
    item = propose(people, level=Level.SECRET)
    for code in TYPES:
        assert get_request_type(code).level_of({"item_id": item.pk}) == Level.SECRET
    change = get_request_type("secret_change")
    assert change.level_of({"item_id": item.pk, "kind": "level", "level": 3}) == Level.TOP_SECRET
    assert change.level_of({"item_id": item.pk, "kind": "period", "level": 3}) == Level.SECRET
    assert change.level_of({"item_id": 0}) == Level.NONSECRET


@pytest.mark.rule("L4")
def test_other_schemes_are_not_state_secret_levels(people):
    item = propose(people, scheme="commercial", level=2)
    for code in TYPES:
        assert get_request_type(code).level_of({"item_id": item.pk}) == Level.NONSECRET


def test_department_and_description(people, authority, yf):
    item = propose(people)
    assert item.department == yf  # the proposer's department by default
    for code in TYPES:
        request_type = get_request_type(code)
        assert request_type.department_of(people["office"], {"item_id": item.pk}) == yf.pk
        text = request_type.describe({**item.request.payload, "kind": "declassify"})
        assert "JM-001" in text and "某型号总体方案" in text


@pytest.mark.rule("S4")
def test_only_the_proposer_files_the_determination_and_only_once(people, authority):
    item = propose(people)
    payload = {"item_id": item.pk, "number": item.number, "title": item.title}
    with pytest.raises(InvalidInput) as raised:
        submit_request(people["zhang"], "secret_determination", title="t", payload=payload)
    assert raised.value.code == "unknown_item"
    with pytest.raises(Conflict) as raised:
        submit_request(people["proposer"], "secret_determination", title="t", payload=payload)
    assert raised.value.code == "already_decided"
    with pytest.raises(InvalidInput):
        submit_request(people["proposer"], "secret_determination", title="t",
                       payload={"item_id": MAX_ID})


@pytest.mark.rule("S4")
def test_a_returned_determination_is_resubmitted_and_decided(people, authority):
    item = propose(people)
    decide(people["officer"], item.request, "return", comment="补充定密依据")
    request = item.request
    request.refresh_from_db()
    again = resubmit_request(people["proposer"], request, payload=request.payload,
                             title=request.title)
    assert again.state == RequestState.PENDING
    approve(people["officer"], again)
    assert SecretItem.objects.get(pk=item.pk).state == ItemState.DETERMINED


@pytest.mark.parametrize("payload", [
    {"item_id": 1, "extra": 1},
    {"item_id": 0},
    {"item_id": MAX_ID + 1},
    {"item_id": "abc"},
])
def test_determination_payload_schema(people, authority, payload):
    with pytest.raises(InvalidInput):
        submit_request(people["proposer"], "secret_determination", title="t", payload=payload)


@pytest.mark.parametrize("payload", [
    {"kind": "rename", "reason": "r"},
    {"kind": "scope_remove", "reason": "r", "remove_people": [MAX_ID + 1]},
    {"kind": "scope_remove", "reason": "r", "remove_people": list(range(1, 202))},
    {"kind": "level", "reason": "r", "level": 7},
    {"kind": "period", "reason": "r", "period_kind": "weeks"},
    {"kind": "declassify", "reason": ""},
])
def test_change_payload_schema(people, authority, payload):
    item = determined(people)
    with pytest.raises(InvalidInput):
        submit_request(people["proposer"], "secret_change", title="t",
                       payload={"item_id": item.pk, **payload})


@pytest.mark.parametrize("payload", [
    {"reason": "r", "people": [MAX_ID + 1]},
    {"reason": "r", "people": [-1]},
    {"reason": "r", "departments": list(range(1, 52))},
    {"reason": "r", "people": [999999]},
    {"people": [1]},
])
def test_scope_payload_schema(people, authority, payload):
    item = determined(people)
    with pytest.raises(InvalidInput):
        submit_request(people["proposer"], "secret_scope", title="t",
                       payload={"item_id": item.pk, **payload})


def test_a_change_filed_through_the_engine_is_checked_like_the_service(people, authority):
    """The payload of another kind carries no stray values: the check clears them."""
    item = determined(people)
    request = submit_request(people["proposer"], "secret_change", title="t",
                             payload={"item_id": item.pk, "kind": "declassify", "reason": "公开",
                                      "level": 1, "period_kind": "years", "period_value": 3,
                                      "number": "x", "title": "y"})
    assert request.payload["level"] is None and request.payload["period_kind"] is None
    assert request.payload["number"] == "JM-001"
    with support.on_day(date(2026, 6, 1)):
        approve(people["officer"], request)
    assert SecretItem.objects.get(pk=item.pk).state == ItemState.DECLASSIFIED
