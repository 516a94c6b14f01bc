"""The destruction pages, printed forms and API (rule C7): the 保密办 opens a list, puts
carriers on it by number or from the select, takes one off, submits it, and once the chain
approved records the destruction; a service's refusal shows on the form with its status, and
in the API as a 4xx with its code; the 销毁审批表 carries the opinions, the 销毁清单 every
carrier and the signature lines."""

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.choices import CarrierKind, CarrierState
from baomi.carriers.models import Carrier, DestructionBatch
from baomi.carriers.models.destruction import BatchState, DestructionMethod
from baomi.core.labels import Category, Level

from . import page_support as support
from .page_support import docx_text

approved_loan, cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.approved_loan, support.cabinet, support.clerk, support.head, support.item,
    support.keeper, support.office, support.reader, support.register, support.safe,
    support.yf1)

BASE = "/api/v1/carriers"
NOW = "%Y-%m-%dT%H:%M"


@pytest.fixture
def office2(make_user):
    return make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="钱干事")


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE,
                     person__name="陈领导")


@pytest.fixture
def batch(office, unit):
    return services.create_batch(office, unit=unit, reason="项目结束，无保存价值",
                                 planned_method=DestructionMethod.BODY,
                                 planned_place="市保密局销毁中心")


def approve(batch, office2, leader):
    batch = DestructionBatch.objects.get(pk=batch.pk)
    request = decide(office2, batch.request, "approve", comment="已核对。")
    decide(leader, request, "approve", comment="同意销毁。")
    return DestructionBatch.objects.get(pk=batch.pk)


def detail(batch):
    return f"/carriers/destruction/{batch.pk}/"


def record_data(**overrides):
    data = {"action": "record",
            "record-destroyed_at": timezone.localtime().strftime(NOW),
            "record-place": "市保密局销毁中心", "record-method": "body",
            "record-body": "市保密局指定销毁中心", "record-certificate_no": "XHZ-0001",
            "record-executors": "刘保密\n王保管"}
    data.update(overrides)
    return data


# --- pages ----------------------------------------------------------------------------------


def test_the_list_page_is_for_the_office_and_the_leaders(client, make_user, office, leader,
                                                         batch, sysadmin):
    client.force_login(office)
    page = client.get("/carriers/destruction/")
    assert page.status_code == 200 and page.context["form"] is not None
    assert [row["batch"].pk for row in page.context["rows"]] == [batch.pk]
    client.force_login(leader)
    page = client.get("/carriers/destruction/")
    assert page.status_code == 200 and page.context["form"] is None
    assert client.get(detail(batch)).status_code == 200
    assert client.post("/carriers/destruction/", {"reason": "r"}).status_code == 404
    for role in (Role.DEPARTMENT_HEAD, Role.STAFF):
        client.force_login(make_user(f"u-{role}", roles=[role], category=Category.CORE))
        assert client.get("/carriers/destruction/").status_code == 404
        assert client.get(detail(batch)).status_code == 404
    client.force_login(sysadmin)  # rule T2
    assert client.get("/carriers/destruction/").status_code == 404
    assert client.get(f"/carriers/destruction/{batch.pk}/list.docx").status_code == 404


@pytest.mark.rule("C7")
def test_the_office_opens_a_list(client, office):
    client.force_login(office)
    response = client.post("/carriers/destruction/", {
        "reason": "型号结题，过程稿无保存价值", "planned_method": "shred",
        "planned_place": "保密室（经检测的碎纸机）"})
    batch = DestructionBatch.objects.get()
    assert response.status_code == 302 and response.url == detail(batch)
    assert batch.planned_method == DestructionMethod.SHRED
    refused = client.post("/carriers/destruction/", {
        "reason": "r", "planned_method": "sold_as_waste", "planned_place": "废品站"})
    assert refused.status_code == 400 and refused.context["form"].errors["planned_method"]
    assert DestructionBatch.objects.count() == 1


@pytest.mark.rule("C7")
def test_carriers_go_on_the_list_by_number_or_from_the_select(client, office, batch,
                                                              register):
    first, second, third = register(), register(level=Level.SECRET, period_value=5), register()
    client.force_login(office)
    page = client.get(detail(batch))
    offered = [value for value, _label in page.context["forms"]["add"].fields["carrier"]
               .widget.choices if value]
    assert {first.pk, second.pk, third.pk} <= set(offered)
    assert client.post(detail(batch), {"action": "add", "add-number": first.number}
                       ).status_code == 302
    assert client.post(detail(batch), {"action": "add", "add-carrier": second.pk}
                       ).status_code == 302
    assert states(first, second) == [CarrierState.TO_DESTROY] * 2
    unknown = client.post(detail(batch), {"action": "add", "add-number": "NO-SUCH"})
    assert unknown.status_code == 400 and unknown.context["forms"]["add"].errors["number"]
    twice = client.post(detail(batch), {"action": "add", "add-number": first.number})
    assert twice.status_code == 409
    assert twice.context["forms"]["add"].non_field_errors()
    assert client.post(detail(batch), {"action": "remove", "carrier": second.pk}
                       ).status_code == 302
    assert states(second) == [CarrierState.IN_STORE]
    assert client.post(detail(batch), {"action": "remove", "carrier": third.pk}
                       ).status_code == 404
    list_page = client.get("/carriers/destruction/")
    assert list_page.context["rows"][0]["levels"] == "机密×1"


@pytest.mark.rule("C7")
def test_a_carrier_on_loan_is_refused_on_the_form(client, office, batch, item, register,
                                                  approved_loan):
    carrier = register(secret_item=item)
    approved_loan(carrier)
    client.force_login(office)
    response = client.post(detail(batch), {"action": "add", "add-carrier": carrier.pk})
    assert response.status_code in (400, 409)  # not offered in the select, or refused
    assert states(carrier) == [CarrierState.IN_STORE]
    response = client.post(detail(batch), {"action": "add", "add-number": carrier.number})
    assert response.status_code == 409
    assert states(carrier) == [CarrierState.IN_STORE]


@pytest.mark.rule("C7")
def test_submit_approve_and_record_on_the_pages(client, office, office2, leader, batch,
                                                register):
    carriers = [register(), register()]
    client.force_login(office)
    empty = client.post(detail(batch), {"action": "submit"})
    assert empty.status_code == 422
    for carrier in carriers:
        client.post(detail(batch), {"action": "add", "add-number": carrier.number})
    assert client.post(detail(batch), {"action": "submit"}).status_code == 302
    batch = DestructionBatch.objects.get(pk=batch.pk)
    page = client.get(detail(batch))
    assert f"/approvals/{batch.request_id}/" in page.content.decode()
    assert page.context["actions"] == []
    assert client.post(detail(batch), record_data()).status_code == 404  # not approved yet
    approve(batch, office2, leader)
    page = client.get(detail(batch))
    assert page.context["actions"] == ["record"]
    alone = client.post(detail(batch), record_data(**{"record-executors": "刘保密"}))
    assert alone.status_code == 422
    assert alone.context["forms"]["record"].errors["executors"]
    assert states(*carriers) == [CarrierState.TO_DESTROY] * 2
    done = client.post(detail(batch), record_data())
    assert done.status_code == 302
    assert states(*carriers) == [CarrierState.DESTROYED] * 2
    page = client.get(detail(batch)).content.decode()
    assert "XHZ-0001" in page and "刘保密、王保管" in page
    ledger = client.get("/carriers/?state=destroyed")
    assert {row["carrier"].pk for row in ledger.context["rows"]} == {c.pk for c in carriers}
    carrier_page = client.get(f"/carriers/{carriers[0].pk}/").content.decode()
    assert detail(batch) in carrier_page


@pytest.mark.rule("C7")
def test_the_printed_forms(client, office, office2, leader, batch, register):
    paper = register(title="型号总体方案（过程稿）")
    disc = register(kind=CarrierKind.OPTICAL, pages=None, capacity="4.7GB")
    for carrier in (paper, disc):
        services.add_to_batch(office, batch, carrier)
    services.submit_batch(office, batch)
    batch = approve(batch, office2, leader)
    services.record_destruction(office, batch, destroyed_at=timezone.now(),
                                place="市保密局销毁中心", method="body",
                                executors=["刘保密", "王保管"], body="市保密局指定销毁中心",
                                certificate_no="XHZ-0001")
    client.force_login(office)
    form = client.get(f"/carriers/destruction/{batch.pk}/form.docx")
    assert form.status_code == 200
    text = docx_text(form.content)
    assert "涉密载体销毁审批表" in text and batch.number in text
    assert "保密办核对意见" in text and "单位领导审批意见" in text
    assert "同意。已核对。" in text and "同意。同意销毁。" in text and "陈领导" in text
    assert "XHZ-0001" in text and "刘保密、王保管" in text
    listing = client.get(f"/carriers/destruction/{batch.pk}/list.docx")
    text = docx_text(listing.content)
    assert "涉密载体销毁清单" in text
    for header in ("序号", "编号", "名称", "密级及保密期限", "份数", "页数", "责任人"):
        assert header in text
    assert paper.number in text and disc.number in text and "机密★10年" in text
    assert "王保管" in text and "监销人" in text and text.count("销毁人：_") == 2
    assert "共2件（纸介质、光盘）" in text


def states(*carriers):
    return [Carrier.objects.get(pk=c.pk).state for c in carriers]


# --- API ------------------------------------------------------------------------------------


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


@pytest.mark.rule("C7")
def test_the_api_from_list_to_destruction(client, office, office2, leader, register):
    carriers = [register(), register()]
    client.force_login(office)
    created = post(client, "/destruction", {"reason": "项目结束", "planned_method": "body",
                                            "planned_place": "市保密局销毁中心"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["items"] == []
    path = f"/destruction/{body['id']}"
    for carrier in carriers:
        added = post(client, f"{path}/carriers", {"carrier_id": carrier.pk})
        assert added.status_code == 200, added.content
    assert [i["number"] for i in added.json()["items"]] == [c.number for c in carriers]
    assert added.json()["items"][0]["mark"] == "机密★10年"
    assert post(client, f"{path}/carriers", {"carrier_id": carriers[0].pk}).json()[
        "code"] == "already_listed"
    removed = post(client, f"{path}/remove", {"carrier_id": carriers[1].pk})
    assert removed.status_code == 200 and removed.json()["carrier_count"] == 1
    early = post(client, f"{path}/record", api_record())
    assert early.status_code == 422 and early.json()["code"] == "not_approved"
    submitted = post(client, f"{path}/submit")
    assert submitted.status_code == 200 and submitted.json()["request_id"]
    approve(DestructionBatch.objects.get(pk=body["id"]), office2, leader)
    alone = post(client, f"{path}/record", api_record(executors=["刘保密"]))
    assert alone.status_code == 422 and alone.json()["code"] == "two_executors"
    done = post(client, f"{path}/record", api_record())
    assert done.status_code == 200 and done.json()["state"] == "destroyed"
    assert done.json()["items"][0]["state"] == "destroyed"
    again = post(client, f"{path}/record", api_record())
    assert again.status_code == 409 and again.json()["code"] == "already_destroyed"
    listing = client.get(f"{BASE}/destruction").json()
    assert [b["id"] for b in listing["items"]] == [body["id"]]
    assert listing["items"][0]["carrier_count"] == 1 and listing["next_after"] is None


def api_record(**overrides):
    data = {"destroyed_at": timezone.now().isoformat(), "place": "市保密局销毁中心",
            "method": "body", "executors": ["刘保密", "王保管"], "body": "市保密局指定销毁中心",
            "certificate_no": "XHZ-0001"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("path, data, status, code", [
    ("/destruction", {"reason": "", "planned_method": "body", "planned_place": "p"}, 422,
     "invalid"),
    ("/destruction", {"reason": "r", "planned_method": "sold_as_waste",
                      "planned_place": "p"}, 422, "invalid"),
    ("/destruction/{id}/carriers", {"carrier_id": 0}, 422, "invalid"),
    ("/destruction/{id}/carriers", {"carrier_id": 10**12}, 400, "unknown_carrier"),
    ("/destruction/{id}/record", {"destroyed_at": "0001-01-01T00:00:00Z"}, 422, "invalid"),
    ("/destruction/{id}/record", {**api_record(), "executors": ["x" * 51, "y"]}, 422,
     "invalid"),
    ("/destruction/{id}/submit", None, 422, "empty_list"),
    ("/destruction/999999/submit", None, 404, "not_found"),
])
def test_bad_api_input_is_a_4xx(client, office, batch, path, data, status, code):
    client.force_login(office)
    response = post(client, path.format(id=batch.pk), data)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_the_api_hides_lists_from_others(client, make_user, batch, reader):
    client.force_login(reader)
    assert client.get(f"{BASE}/destruction").json()["items"] == []
    assert client.get(f"{BASE}/destruction/{batch.pk}").status_code == 404
    assert post(client, f"/destruction/{batch.pk}/submit").status_code == 404
    assert post(client, "/destruction", {"reason": "r", "planned_method": "body",
                                         "planned_place": "p"}).status_code == 403
    assert DestructionBatch.objects.filter(state=BatchState.DRAFT).count() == 1
