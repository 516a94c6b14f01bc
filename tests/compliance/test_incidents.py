"""Leak incidents (泄密事件, rule I1): recorded by the rules that say an event is a leak (so far
rule C8), listed for the 保密办 and the leaders of the unit up to their clearance (rule L5), on
pages and in the API; reading a 机密 or 绝密 one is audited."""

import datetime

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services
from baomi.compliance.models import Incident
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.labels import Category, Level, Scheme

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def leader_m(make_user):
    return make_user("leader_m", roles=[Role.LEADER], category=Category.IMPORTANT)


def record(actor, unit, level=Level.CONFIDENTIAL, scheme=Scheme.STATE, **overrides):
    fields = {"unit": unit, "kind": "leak", "scheme": scheme, "level": level,
              "title": "涉密载体下落不明逾期未查清：ZT-0001 型号方案",
              "discovered_on": TODAY, "created_on": TODAY, "source_type": "carriers.carrier",
              "source_id": 12, "source_label": "ZT-0001 型号方案", "description": "逾期未查清"}
    fields.update(overrides)
    return services.record_incident(actor, **fields)


@pytest.mark.rule("I1")
def test_a_daily_job_or_the_office_records_an_incident(unit, office, leader_m):
    by_job = record(None, unit)
    assert (by_job.state, by_job.created_by, by_job.created_on) == ("open", None, TODAY)
    by_office = record(office, unit, level=Level.TOP_SECRET)
    assert by_office.created_by == office
    assert AuditEvent.objects.filter(action="INCIDENT_RECORDED").count() == 2
    with pytest.raises(AccessDenied):
        record(leader_m, unit)
    for bad in ({"kind": "fire"}, {"level": 7}, {"scheme": "secret"}, {"title": ""},
                {"title": "x" * 301}, {"discovered_on": "2026-01-01"}):
        with pytest.raises(InvalidInput):
            record(office, unit, **bad)
    assert Incident.objects.count() == 2


@pytest.mark.rule("L5")
def test_pages_show_incidents_up_to_clearance_and_audit_classified_reads(
        client, unit, office, leader_m, make_user):
    confidential = record(None, unit)
    top = record(None, unit, level=Level.TOP_SECRET, title="绝密载体下落不明")
    secret = record(None, unit, level=Level.SECRET, title="秘密载体下落不明", source_type="",
                    source_id=None)
    client.force_login(leader_m)
    listing = client.get("/compliance/incidents/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert f'data-id="{confidential.pk}"' in text and f'data-id="{top.pk}"' not in text
    assert client.get(f"/compliance/incidents/{top.pk}/").status_code == 404
    detail = client.get(f"/compliance/incidents/{confidential.pk}/")
    assert detail.status_code == 200 and "/carriers/12/" in detail.content.decode()
    assert client.get(f"/compliance/incidents/{secret.pk}/").status_code == 200
    reads = AuditEvent.objects.filter(action="INCIDENT_READ")
    assert list(reads.values_list("object_id", flat=True)) == [str(confidential.pk)]
    client.force_login(office)
    assert f'data-id="{top.pk}"' in client.get("/compliance/incidents/").content.decode()
    client.force_login(make_user("staff", roles=[Role.STAFF], category=Category.CORE))
    assert 'data-id="' not in client.get("/compliance/incidents/").content.decode()


@pytest.mark.rule("T2")
def test_admins_open_no_incident_page(client, unit, sysadmin, auditor, secadmin):
    incident = record(None, unit)
    for admin in (sysadmin, auditor, secadmin):
        client.force_login(admin)
        for url in ("/compliance/incidents/", f"/compliance/incidents/{incident.pk}/"):
            assert client.get(url).status_code == 404, (admin.username, url)


@pytest.mark.rule("L5")
def test_the_api_lists_and_shows_incidents_up_to_clearance(client, unit, leader_m):
    confidential = record(None, unit)
    top = record(None, unit, level=Level.TOP_SECRET)
    client.force_login(leader_m)
    body = client.get("/api/v1/compliance/incidents").json()
    assert [item["id"] for item in body["items"]] == [confidential.pk]
    assert body["next_after"] is None
    one = client.get(f"/api/v1/compliance/incidents/{confidential.pk}").json()
    assert (one["level"], one["source_type"], one["kind"]) == (2, "carriers.carrier", "leak")
    missing = client.get(f"/api/v1/compliance/incidents/{top.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    for bad in ("/api/v1/compliance/incidents?limit=0", "/api/v1/compliance/incidents?after=-1",
                "/api/v1/compliance/incidents/0"):
        assert 400 <= client.get(bad).status_code < 500, bad
