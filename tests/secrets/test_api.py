"""定密 API (/api/v1/secrets/): the register, proposing, one item, the change, scope,
knowledge, review and superior-decision endpoints and the 定密权限; 4xx with a code for
every refusal (rules S1–S10, L4, L5)."""

import pytest
from django.utils import timezone

from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.secrets.choices import ItemState

from .ui_support import authority, cast, determined, propose  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/api/v1/secrets"


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def body(cast, **overrides):
    data = {"scheme": "state", "number": "JM-200", "title": "试验数据", "level": 2,
            "period_kind": "years", "period_value": 10, "basis": "目录第5项",
            "issued_on": "2025-01-15", "scope_people": [cast["zhang"].person.pk]}
    data.update(overrides)
    return data


@pytest.mark.rule("S4")
def test_propose_and_read_an_item(client, cast, authority):
    client.force_login(cast["proposer"])
    created = post(client, "/items", body(cast))
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["mark"] == "机密★10年" and item["state"] == ItemState.PROPOSED
    names = {entry["person_name"] for entry in item["scope"]}
    assert names == {"王承办", "张知悉"}  # the 承办人 is always in the scope
    detail = client.get(f"{BASE}/items/{item['id']}")
    assert detail.status_code == 200 and detail.json()["request_id"] is not None
    assert AuditEvent.objects.filter(action="SECRET_ITEM_READ",
                                     object_id=str(item["id"])).exists()


@pytest.mark.rule("S2")
def test_refusals_carry_codes(client, cast, authority):
    client.force_login(cast["proposer"])
    too_long = post(client, "/items", body(cast, period_value=21))
    assert too_long.status_code == 422 and too_long.json()["code"] == "period_too_long"
    long_term = post(client, "/items", body(cast, period_kind="long_term"))
    assert long_term.status_code == 422
    assert long_term.json()["code"] == "long_term_top_secret_only"
    condition = post(client, "/items", body(cast, period_kind="condition"))
    assert condition.status_code == 422 and condition.json()["code"] == "condition_required"
    stranger = post(client, "/items", body(cast, scope_people=[2**40]))
    assert stranger.status_code == 400 and stranger.json()["code"] == "unknown_person"
    work = post(client, "/items", body(cast, scheme="work", level=2))
    assert work.status_code == 422 and work.json()["code"] == "level_not_in_scheme"
    assert post(client, "/items", body(cast)).status_code == 201
    again = post(client, "/items", body(cast))
    assert again.status_code == 409 and again.json()["code"] == "number_exists"
    schema = post(client, "/items", body(cast, level=0, issued_on="9999-01-01"))
    assert schema.status_code == 422 and schema.json()["code"] == "invalid"


def test_list_is_one_scheme_and_pages(client, cast, authority):
    for number in range(3):
        propose(cast, number=f"A-{number}")
    propose(cast, number="W-1", scheme="commercial", level=Level.CONFIDENTIAL)
    client.force_login(cast["office"])
    page = client.get(f"{BASE}/items?limit=2").json()
    assert [i["number"] for i in page["items"]] == ["A-2", "A-1"]
    rest = client.get(f"{BASE}/items?limit=2&after={page['next_after']}").json()
    assert [i["number"] for i in rest["items"]] == ["A-0"] and rest["next_after"] is None
    commercial = client.get(f"{BASE}/items?scheme=commercial").json()["items"]
    assert [(i["number"], i["mark"]) for i in commercial] == [("W-1", "核心商密★10年")]
    assert client.get(f"{BASE}/items?scheme=everything").status_code == 422


@pytest.mark.rule("S10")
def test_change_request_and_history(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["zhang"])  # in scope, but neither 承办人 nor a duty
    refused = post(client, f"/items/{item.pk}/changes",
                   {"kind": "period", "period_kind": "years", "period_value": 20,
                    "reason": "延期"})
    assert refused.status_code == 403
    client.force_login(cast["proposer"])
    filed = post(client, f"/items/{item.pk}/changes",
                 {"kind": "period", "period_kind": "years", "period_value": 20,
                  "reason": "延期"})
    assert filed.status_code == 201, filed.content
    pending = post(client, f"/items/{item.pk}/changes",
                   {"kind": "level", "level": 3, "reason": "升级"})
    assert pending.status_code == 409 and pending.json()["code"] == "change_pending"
    decide(cast["officer"], Request.objects.get(pk=filed.json()["request_id"]), "approve")
    detail = client.get(f"{BASE}/items/{item.pk}").json()
    assert detail["mark"] == "机密★20年"
    period = [c for c in detail["history"] if c["kind"] == "period"][0]
    assert period["before"]["period_value"] == 10 and period["after"]["period_value"] == 20


@pytest.mark.rule("S7")
def test_scope_addition_and_knowledge(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["proposer"])
    added = post(client, f"/items/{item.pk}/scope-additions",
                 {"people": [cast["outsider"].person.pk], "reason": "联合攻关"})
    assert added.status_code == 201
    client.force_login(cast["office"])
    knowledge = {"person_id": cast["outsider"].person.pk, "kind": "know",
                 "known_on": str(timezone.localdate())}
    outside = post(client, f"/items/{item.pk}/knowledge", knowledge)
    assert outside.status_code == 422 and outside.json()["code"] == "not_in_scope"
    decide(cast["leader"], Request.objects.get(pk=added.json()["request_id"]), "approve")
    recorded = post(client, f"/items/{item.pk}/knowledge",
                    {**knowledge, "approved_by_id": cast["leader"].pk, "source": "评审"})
    assert recorded.status_code == 201 and recorded.json()["approved_by_name"]
    assert len(client.get(f"{BASE}/items/{item.pk}").json()["knowledge"]) == 1
    unknown = post(client, f"/items/{item.pk}/knowledge", {**knowledge, "approved_by_id": 2**40})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_user"


@pytest.mark.rule("S5")
def test_review_by_the_officer_only(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["office"])
    assert post(client, f"/items/{item.pk}/review", {"note": ""}).status_code == 403
    client.force_login(cast["officer"])
    reviewed = post(client, f"/items/{item.pk}/review", {"note": "维持"})
    assert reviewed.status_code == 200
    assert reviewed.json()["last_reviewed_on"] == str(timezone.localdate())


@pytest.mark.rule("S3")
def test_authority_and_superior_decision(client, cast, unit):
    client.force_login(cast["proposer"])
    assert client.get(f"{BASE}/authority").status_code == 403
    item = post(client, "/items", body(cast)).json()
    assert item["state"] == ItemState.PROVISIONAL and item["provisional_due_on"]
    client.force_login(cast["office"])
    assert client.get(f"{BASE}/authority").json()["max_level"] is None
    decision = {"classified": True, "level": 2, "period_kind": "years", "period_value": 5,
                "document": "上级〔2025〕3号", "decided_on": str(timezone.localdate())}
    decided = post(client, f"/items/{item['id']}/superior-decision", decision)
    assert decided.status_code == 200 and decided.json()["mark"] == "机密★5年"
    again = post(client, f"/items/{item['id']}/superior-decision", decision)
    assert again.status_code == 409
    put = client.put(f"{BASE}/authority", {"max_level": 2, "document": "国保〔2024〕1号",
                                            "granted_on": "2024-01-01"},
                     content_type="application/json")
    assert put.status_code == 200 and put.json()["max_level"] == 2
    client.force_login(cast["leader"])
    assert client.get(f"{BASE}/authority").json()["document"] == "国保〔2024〕1号"
    refused = client.put(f"{BASE}/authority", {"max_level": 3, "document": "x",
                                                "granted_on": "2024-01-01"},
                         content_type="application/json")
    assert refused.status_code == 403
