"""The publication-review API (/api/v1/compliance/publications, rule Q12): draft, submit with
the declaration, the chain decides through the approvals API, publish once approved; lists
paged by key; every refusal a 4xx with its code that writes nothing; other units' reviews
are 404."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.compliance.models import PublicationReview

from .publications_support import TEXT, draft, people, today  # noqa: F401 (fixtures)

BASE = "/api/v1/compliance/publications"
BODY = {"title": "我院举办保密知识竞赛", "kind": "news", "channel": "单位门户网站",
        "content": TEXT, "planned_on": None}


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def written():
    return (PublicationReview.objects.count(),
            AuditEvent.objects.filter(action__startswith="PUBLICATION_").count())


def decide(client, user, request_id, decision="approve", comment="同意发布"):
    client.force_login(user)
    response = post(client, f"/api/v1/approvals/requests/{request_id}/decision",
                    {"decision": decision, "comment": comment})
    assert response.status_code == 200, response.json()


@pytest.mark.rule("Q12")
def test_from_draft_to_publication(client, people):
    client.force_login(people["author"])
    created = post(client, BASE, BODY)
    assert created.status_code == 201
    review = created.json()
    assert (review["state"], review["version"], review["author_id"]) == (
        "draft", 1, people["author"].pk)
    path = f"{BASE}/{review['id']}"

    refused = post(client, f"{path}/submit", {"declaration": False})
    assert (refused.status_code, refused.json()["code"]) == (422, "declaration_required")
    refused = post(client, f"{path}/publish", {"published_on": today().isoformat(),
                                               "published_where": "单位门户网站"})
    assert (refused.status_code, refused.json()["code"]) == (422, "not_approved")

    submitted = post(client, f"{path}/submit", {"declaration": True}).json()
    assert submitted["state"] == "submitted" and submitted["request_id"]
    decide(client, people["head"], submitted["request_id"])
    decide(client, people["office"], submitted["request_id"])

    client.force_login(people["author"])
    approved = client.get(path).json()
    assert approved["state"] == "approved"
    assert [a["name"] for a in approved["approvers"]] == ["张伟", "刘晓燕"]
    locked = post(client, path, {**BODY, "content": "改过"})
    assert (locked.status_code, locked.json()["code"]) == (409, "locked")
    published = post(client, f"{path}/publish", {"published_on": today().isoformat(),
                                                 "published_where": "https://www.example.cn/1"})
    assert published.status_code == 200
    assert (published.json()["state"], published.json()["published_by_id"]) == (
        "published", people["author"].pk)


def test_revise_and_withdraw(client, people):
    client.force_login(people["author"])
    review = post(client, BASE, BODY).json()
    revised = post(client, f"{BASE}/{review['id']}", {**BODY, "title": "新标题"})
    assert (revised.status_code, revised.json()["title"]) == (200, "新标题")
    withdrawn = post(client, f"{BASE}/{review['id']}/withdraw", {"reason": "不发了"})
    assert withdrawn.json()["state"] == "withdrawn"


@pytest.mark.parametrize("body", [
    {**BODY, "kind": "poster"}, {**BODY, "title": ""}, {**BODY, "title": "x" * 201},
    {**BODY, "content": ""}, {**BODY, "channel": "a\x00b"}, {**BODY, "planned_on": "2026-02-30"},
    {k: v for k, v in BODY.items() if k != "content"},
])
def test_bad_input_is_a_4xx_that_writes_nothing(client, people, body):
    client.force_login(people["author"])
    before = written()
    response = post(client, BASE, body)
    assert 400 <= response.status_code < 500
    assert written() == before


def test_the_list_is_paged_and_mine_filters(client, people):
    for n in range(3):
        draft(people, title=f"稿件{n}")
    client.force_login(people["office"])
    post(client, BASE, {**BODY, "title": "保密办自己的稿件"})
    first = client.get(f"{BASE}?limit=2").json()
    assert len(first["items"]) == 2 and first["next_after"]
    second = client.get(f"{BASE}?limit=2&after={first['next_after']}").json()
    assert len(second["items"]) == 2 and second["next_after"] is None
    mine = client.get(f"{BASE}?mine=true").json()
    assert [item["title"] for item in mine["items"]] == ["保密办自己的稿件"]


def test_other_units_and_admins_see_nothing(client, people, secadmin):
    review = draft(people)
    for user in (people["stranger"], people["colleague"], secadmin):
        client.force_login(user)
        assert client.get(f"{BASE}/{review.pk}").status_code == 404
        assert post(client, f"{BASE}/{review.pk}/submit",
                    {"declaration": True}).status_code == 404
        assert client.get(BASE).json()["items"] == []
    client.force_login(people["office"])
    response = post(client, f"{BASE}/{review.pk}/submit", {"declaration": True})
    assert (response.status_code, response.json()["code"]) == (403, "not_author")
    assert client.get(f"{BASE}/{2**63}").status_code in (404, 422)
