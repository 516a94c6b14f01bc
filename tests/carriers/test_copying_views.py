"""The copy pages (rule C4): asking from the carrier, the order with its approval request,
the 保密办 making the copies, the copies on the ledger with their 复制戳记, the printed
复制审批单; refusals shown on the form with their status, and nothing shown to whom may not
see it (rule L5)."""

import pytest

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.choices import CarrierOrigin
from baomi.carriers.docx_copying import build_copy_docx
from baomi.carriers.models import Carrier, CopyOrder
from baomi.carriers.models.copying import CopyKind, CopyState
from baomi.core.labels import Category, Level

from . import page_support as support
from .page_support import docx_text, today

approved_loan, cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.approved_loan, support.cabinet, support.clerk, support.head, support.item,
    support.keeper, support.office, support.reader, support.register, support.safe,
    support.yf1)

ASK = {"kind": "copy", "copies": "2", "purpose": "分发评审组成员"}


def ask(client, carrier, data=None):
    return client.post(f"/carriers/{carrier.pk}/copy/", data or ASK)


def approve_all(order, head, office):
    request = order.request
    for decider in (head, office):
        request = decide(decider, request, "approve", comment="同意。")
    return CopyOrder.objects.get(pk=order.pk)


@pytest.mark.rule("C4")
def test_copy_from_request_to_the_ledger_through_the_pages(client, office, head, reader,
                                                           register, item):
    original = register(secret_item=item, number="ZT-0100")
    client.force_login(reader)
    detail = client.get(f"/carriers/{original.pk}/")
    assert f'href="/carriers/{original.pk}/copy/"' in detail.content.decode()
    page = client.get(f"/carriers/{original.pk}/copy/")
    assert page.status_code == 200 and 'id="copy-form"' in page.content.decode()
    assert "consent_unit" not in page.content.decode()  # 机密: no consent asked
    response = ask(client, original)
    order = CopyOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/carriers/copies/{order.pk}/"
    body = client.get(f"/carriers/copies/{order.pk}/").content.decode()
    assert 'data-state="requested"' in body and 'id="copy-request"' in body
    assert 'id="copy-make-form"' not in body and 'id="copy-withdraw"' in body

    approve_all(order, head, office)
    client.force_login(office)
    body = client.get(f"/carriers/copies/{order.pk}/").content.decode()
    assert 'id="copy-make-form"' in body
    response = client.post(f"/carriers/copies/{order.pk}/",
                           {"action": "make", "made_on": today().isoformat()})
    assert response.status_code == 302
    body = client.get(f"/carriers/copies/{order.pk}/").content.decode()
    assert 'data-state="made"' in body and 'id="copy-make-form"' not in body
    for number in ("ZT-0100-F1", "ZT-0100-F2"):
        assert f'data-number="{number}"' in body
    copy = Carrier.objects.get(number="ZT-0100-F2")
    assert copy.origin == CarrierOrigin.COPIED and copy.copy_no == "第2份"
    page = client.get(f"/carriers/{copy.pk}/").content.decode()
    assert 'id="copy-stamp"' in page and f"复制件 第2份 · 复制审批第{order.pk}号" in page
    assert f'href="/carriers/{original.pk}/"' in page  # copied from
    ledger = client.get("/carriers/").content.decode()
    assert 'data-number="ZT-0100-F1"' in ledger and "第1份" in ledger

    form = client.get(f"/carriers/copies/{order.pk}/form.docx")
    assert form.status_code == 200 and "attachment" in form["Content-Disposition"]
    text = docx_text(form.content)
    for expected in ("涉密载体复制审批单", "ZT-0100", "机密★10年", "何读者", "分发评审组成员",
                     "部门负责人意见", "保密办意见", "同意。", "张部长", "ZT-0100-F1",
                     "复制件 第1份", "已复制登记"):
        assert expected in text, expected


@pytest.mark.rule("C4")
def test_top_secret_without_consent_is_refused_on_the_form(client, office, register):
    top = register(level=Level.TOP_SECRET, custodian=office.person, number="JM-01")
    client.force_login(office)
    page = client.get(f"/carriers/{top.pk}/copy/").content.decode()
    assert 'name="consent_unit"' in page
    response = ask(client, top)
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count('class="error"') >= 3  # unit, reference and date named
    assert not CopyOrder.objects.exists()


def test_bad_input_stays_on_the_form(client, reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = ask(client, carrier, {**ASK, "copies": "0"})
    assert response.status_code == 400 and not CopyOrder.objects.exists()
    response = ask(client, carrier, {**ASK, "kind": "scan"})
    assert response.status_code == 400


@pytest.mark.rule("L5")
def test_the_clerk_sees_neither_the_carrier_nor_its_orders(client, clerk, head, reader,
                                                          register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    ask(client, carrier)
    order = CopyOrder.objects.get()
    client.force_login(clerk)  # in the scope, but cleared only 秘密
    for url in (f"/carriers/{carrier.pk}/copy/", f"/carriers/copies/{order.pk}/",
                f"/carriers/copies/{order.pk}/form.docx", "/carriers/copies/0/",
                "/carriers/copies/99999999999999999999/"):
        assert client.get(url).status_code == 404, url
    assert ask(client, carrier).status_code == 404


@pytest.mark.rule("T2")
def test_admins_open_no_copy_page(client, sysadmin, auditor, register):
    carrier = register()
    for admin in (sysadmin, auditor):
        client.force_login(admin)
        for url in (f"/carriers/{carrier.pk}/copy/", "/carriers/prints/",
                    "/carriers/prints/export.xlsx"):
            assert client.get(url).status_code == 404, (admin.username, url)


def test_only_the_office_makes_copies_and_bad_dates_stay_on_the_form(client, office, head,
                                                                     reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    ask(client, carrier)
    order = approve_all(CopyOrder.objects.get(), head, office)
    made_on = {"action": "make", "made_on": today().isoformat()}
    assert client.post(f"/carriers/copies/{order.pk}/", made_on).status_code == 404
    client.force_login(head)  # sees it as the head of the department, keeps no ledger
    assert client.post(f"/carriers/copies/{order.pk}/", made_on).status_code == 404
    client.force_login(office)
    response = client.post(f"/carriers/copies/{order.pk}/",
                           {"action": "make", "made_on": "2999-01-01"})
    assert response.status_code == 400 and "made_on" in response.content.decode()
    assert CopyOrder.objects.get().state == CopyState.APPROVED
    assert not Carrier.objects.filter(original=carrier).exists()


def test_the_requester_withdraws_on_the_order_page(client, head, reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    ask(client, carrier)
    order = CopyOrder.objects.get()
    response = client.post(f"/carriers/copies/{order.pk}/", {"action": "withdraw"})
    assert response.status_code == 302
    assert CopyOrder.objects.get().state == CopyState.WITHDRAWN
    assert client.post(f"/carriers/copies/{order.pk}/", {"action": "withdraw"}).status_code == 404


@pytest.mark.rule("C4")
def test_a_carrier_on_loan_to_someone_else_cannot_be_asked_for(client, office,
                                                              register, item, approved_loan):
    carrier = register(secret_item=item)
    services.hand_out(office, approved_loan(carrier))  # out to the reader
    client.force_login(office)
    page = client.get(f"/carriers/{carrier.pk}/copy/").content.decode()
    assert 'id="copy-unavailable"' in page and 'id="copy-form"' not in page


@pytest.mark.rule("C4")
def test_the_top_secret_form_names_the_consent_and_the_leader(make_user, office, head, yf1,
                                                              register):
    senior = make_user("senior", roles=[Role.STAFF], category=Category.CORE,
                       department_=yf1, person__name="高级工程师")
    make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    top = register(level=Level.TOP_SECRET, custodian=senior.person, number="JM-02",
                   period_kind="long_term", period_value=None)
    order = services.request_copy(senior, top, kind=CopyKind.COPY, copies=1, purpose="上报",
                                  consent_unit="上级主管部门",
                                  consent_reference="装发密函〔2026〕3号", consent_on=today())
    text = docx_text(build_copy_docx(order, order.request.steps.all(), []))
    for expected in ("原定密机关、单位意见（绝密级）", "上级主管部门", "装发密函〔2026〕3号",
                     "单位领导意见", "待审批"):
        assert expected in text, expected
