"""The print log in the carriers API (rule C10): log, list; 422 `above_clearance` for a
printout above the printer's clearance; a printout kept registered as a carrier."""

import pytest

from baomi.carriers.models import Carrier, PrintRecord

from . import page_support as support

clerk, item, keeper, office, reader, safe, yf1 = (
    support.clerk, support.item, support.keeper, support.office, support.reader, support.safe,
    support.yf1)

BASE = "/api/v1/carriers/prints"
LOG = {"title": "型号总体方案（评审稿）", "level": 1, "pages": 12, "copies": 2,
       "device": "研发一部涉密打印机 YF1-PR-01"}


def post(client, data):
    return client.post(BASE, data, content_type="application/json")


@pytest.mark.rule("C10")
def test_log_and_list(client, clerk, office):
    client.force_login(clerk)
    response = post(client, LOG)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["printed_by_id"], body["level"], body["carrier_id"]) == (clerk.person_id, 1,
                                                                          None)
    assert [r["id"] for r in client.get(BASE).json()["items"]] == [body["id"]]
    client.force_login(office)
    assert [r["id"] for r in client.get(BASE).json()["items"]] == [body["id"]]


@pytest.mark.rule("C10")
def test_above_the_printers_clearance_is_422(client, clerk, office):
    client.force_login(clerk)
    response = post(client, {**LOG, "level": 2})
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["rule"]) == ("above_clearance", "C10")
    client.force_login(office)
    response = post(client, {**LOG, "level": 2, "printed_by_id": clerk.person_id})
    assert response.status_code == 422 and response.json()["code"] == "above_clearance"
    assert not PrintRecord.objects.exists()


@pytest.mark.rule("C10")
def test_a_printout_kept_becomes_a_carrier(client, office, reader, safe, item):
    client.force_login(office)
    response = post(client, {**LOG, "level": 2, "printed_by_id": reader.person_id,
                             "register_carrier": True, "number": "DY-2026-002",
                             "period_kind": "years", "period_value": 10,
                             "secret_item_id": item.pk, "container_id": safe.pk})
    assert response.status_code == 201, response.content
    carrier = Carrier.objects.get(number="DY-2026-002")
    assert response.json()["carrier_id"] == carrier.pk and carrier.custodian == reader.person
    client.force_login(reader)
    response = post(client, {**LOG, "register_carrier": True, "number": "DY-2026-003",
                             "period_kind": "years", "period_value": 5})
    assert response.status_code == 403 and response.json()["code"] == "not_secrecy_office"


@pytest.mark.parametrize(("body", "status"), [
    ({**LOG, "pages": 0}, 422), ({**LOG, "level": 0}, 422), ({**LOG, "device": ""}, 422),
    ({**LOG, "printed_at": "0001-01-01T00:00:00"}, 400),
    ({**LOG, "printed_at": "2999-01-01T00:00:00+08:00"}, 400),
    ({**LOG, "printed_by_id": 999999}, 400), ({**LOG, "secret_item_id": 999999}, 400),
    ({**LOG, "scheme": "work", "level": 3}, 422),
])
def test_bad_input_is_4xx(client, clerk, body, status):
    client.force_login(clerk)
    response = post(client, body)
    assert response.status_code == status, response.content
    assert not PrintRecord.objects.exists()
