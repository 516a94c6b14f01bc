"""The pages of carriers leaving the unit (rules C2, C6): asking from the carrier, the movement
with its approval request, the 保密办's hand-over, return and receipt, the list with its
filters, the printed 审批单; refusals shown on the form with their status, never a 500, and
nothing shown to whom may not see it (rule L5)."""

import datetime as dt

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.docx_movement import build_movement_docx
from baomi.carriers.models import Carrier, Movement
from baomi.carriers.models.movement import MovementChannel, MovementKind, MovementState
from baomi.carriers.rules_movement import RECEIPT_DAYS
from baomi.core.labels import Category, Level

from . import page_support as support
from .page_support import docx_text, today

clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.clerk, support.head, support.item, support.keeper, support.office, support.reader,
    support.register, support.safe, support.yf1)

pytestmark = pytest.mark.django_db

CARRY = {"kind": "carry_out", "destination": "总体设计部评审会", "purpose": "方案评审",
         "escorts": "何读者\n张三\n", "channel": "", "due_back_on": ""}


def carry(**overrides):
    due = (today() + dt.timedelta(days=2)).isoformat()
    return {**CARRY, "due_back_on": due, **overrides}


def send(**overrides):
    return {**CARRY, "kind": "send_out", "channel": "traffic", "due_back_on": "", **overrides}


def ask(client, carrier, data):
    return client.post(f"/carriers/{carrier.pk}/movement/", data)


def approve_all(movement, *deciders):
    request = movement.request
    for decider in deciders:
        request = decide(decider, request, "approve", comment="同意。")
    return Movement.objects.select_related("carrier").get(pk=movement.pk)


def url(movement, suffix=""):
    return f"/carriers/movements/{movement.pk}/{suffix}"


@pytest.fixture
def senior(make_user, yf1):
    return make_user("senior", roles=[Role.STAFF], category=Category.CORE, department_=yf1,
                     person__name="高级工程师")


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE,
                     person__name="陈领导")


@pytest.fixture
def office2(make_user):
    """A second 保密办 officer, who decides what the first one files."""
    return make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="钱保密")


@pytest.fixture
def top(register, senior, leader, office2):
    """A 绝密 carrier kept by `senior` (no secret item: cleared is enough); the chain has its
    leader and a second 保密办 officer."""
    return register(level=Level.TOP_SECRET, custodian=senior.person, number="JM-01",
                    period_kind="long_term", period_value=None)


@pytest.fixture
def carried_out(client, office, head, reader, register, item):
    """A 机密 carrier of `item` that `reader` asked to take out, approved and handed over."""
    carrier = register(secret_item=item, number="ZT-0200")
    movement = services.request_movement(
        reader, carrier, kind=MovementKind.CARRY_OUT, destination="总体设计部评审会",
        purpose="方案评审", escorts=["何读者"], due_back_on=today() + dt.timedelta(days=2))
    movement = approve_all(movement, head, office)
    services.hand_over(office, movement)
    return Movement.objects.select_related("carrier").get(pk=movement.pk)


@pytest.mark.rule("C6")
def test_carry_out_from_request_to_return_through_the_pages(client, office, head, reader,
                                                            register, item):
    carrier = register(secret_item=item, number="ZT-0100")
    client.force_login(reader)
    detail = client.get(f"/carriers/{carrier.pk}/").content.decode()
    assert f'href="/carriers/{carrier.pk}/movement/"' in detail
    page = client.get(f"/carriers/{carrier.pk}/movement/").content.decode()
    assert 'id="movement-form"' in page and 'name="carried_by"' not in page  # carries it
    response = ask(client, carrier, carry())
    movement = Movement.objects.get()
    assert response.status_code == 302 and response["Location"] == url(movement)
    assert movement.escorts == ["何读者", "张三"] and movement.carried_by == reader.person
    body = client.get(url(movement)).content.decode()
    assert 'data-state="requested"' in body and 'id="movement-request"' in body
    assert 'id="movement-withdraw"' in body and 'id="movement-action-form"' not in body

    approve_all(movement, head, office)
    assert client.post(url(movement), {"action": "hand_over"}).status_code == 404
    client.force_login(office)
    body = client.get(url(movement)).content.decode()
    assert 'id="movement-hand_over"' in body
    assert client.post(url(movement), {"action": "hand_over"}).status_code == 302
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.OUT
    body = client.get(url(movement)).content.decode()
    assert 'data-state="out"' in body and 'id="movement-return"' in body
    assert 'id="movement-withdraw"' not in body
    carrier_page = client.get(f"/carriers/{carrier.pk}/").content.decode()
    assert f'href="/carriers/{carrier.pk}/movement/"' not in carrier_page  # not in store
    assert f'href="/carriers/movements/{movement.pk}/"' in carrier_page
    assert client.post(url(movement), {"action": "receipt", "signed_by_name": "王五",
                                       "received_on": today().isoformat()}).status_code == 404

    assert client.post(url(movement), {"action": "return"}).status_code == 302
    movement.refresh_from_db()
    assert movement.state == MovementState.RETURNED and movement.returned_at is not None
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.IN_STORE
    body = client.get(url(movement)).content.decode()
    assert 'data-state="returned"' in body and 'id="movement-action-form"' not in body


@pytest.mark.rule("C2")
def test_send_out_through_a_confidential_channel_and_signed_for(client, office, head, reader,
                                                               register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    assert ask(client, carrier, send(channel="mail")).status_code == 302
    movement = approve_all(Movement.objects.get(), head, office)
    assert movement.channel == MovementChannel.CONFIDENTIAL_MAIL
    client.force_login(office)
    client.post(url(movement), {"action": "hand_over"})
    body = client.get(url(movement)).content.decode()
    assert 'id="movement-receipt"' in body and 'name="signed_by_name"' in body
    assert client.post(url(movement), {"action": "return"}).status_code == 404

    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = client.post(url(movement), {"action": "receipt", "signed_by_name": "王五",
                                           "received_on": tomorrow})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert Movement.objects.get().state == MovementState.OUT
    response = client.post(url(movement), {"action": "receipt", "signed_by_name": "",
                                           "received_on": today().isoformat()})
    assert response.status_code == 400

    response = client.post(url(movement), {"action": "receipt", "signed_by_name": "王五",
                                           "received_on": today().isoformat()})
    assert response.status_code == 302
    movement.refresh_from_db()
    assert (movement.state, movement.receipt_signed_by) == (MovementState.DELIVERED, "王五")
    assert Carrier.objects.get(pk=carrier.pk).state == CarrierState.SENT
    body = client.get(url(movement)).content.decode()
    assert 'data-field="receipt"' in body and "王五" in body


@pytest.mark.rule("C2")
def test_sending_without_a_confidential_channel_is_refused_on_the_form(client, office, head,
                                                                      reader, register, item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = ask(client, carrier, send(channel=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert 'class="error"' in body and 'id="movement-form"' in body
    assert ask(client, carrier, send(channel="post")).status_code == 400  # not a choice
    # rule C2: delivered in person, two named people; one is not enough
    response = ask(client, carrier, send(channel="in_person", escorts="何读者"))
    assert response.status_code == 422
    assert not Movement.objects.exists()
    assert ask(client, carrier, send(channel="in_person")).status_code == 302


@pytest.mark.rule("C6")
def test_top_secret_never_abroad_and_two_people_on_the_form(client, office, senior, leader,
                                                            head, top):
    client.force_login(office)
    page = client.get(f"/carriers/{top.pk}/movement/").content.decode()
    assert 'name="carried_by"' in page  # the 保密办 asks for someone else
    abroad = carry(kind="abroad", carried_by=str(senior.person.pk))
    response = ask(client, top, abroad)
    assert response.status_code == 422 and 'class="error"' in response.content.decode()
    response = ask(client, top, carry(carried_by=str(senior.person.pk), escorts="高级工程师"))
    assert response.status_code == 422
    assert not Movement.objects.exists()
    response = ask(client, top, carry(carried_by=str(senior.person.pk),
                                      escorts="高级工程师\n刘保密"))
    assert response.status_code == 302
    movement = Movement.objects.get()
    assert movement.carried_by == senior.person and movement.request.steps.count() == 3


@pytest.mark.rule("C6")
def test_whoever_carries_it_must_be_cleared(client, office, clerk, register, item):
    carrier = register(secret_item=item)
    client.force_login(office)
    response = ask(client, carrier, carry(carried_by=str(clerk.person.pk)))  # 秘密 only
    assert response.status_code == 422 and 'class="error"' in response.content.decode()
    assert not Movement.objects.exists()


@pytest.mark.parametrize("overrides", [
    {"kind": "teleport"}, {"destination": ""}, {"destination": "x" * 201},
    {"due_back_on": "not a date"}, {"due_back_on": ""},
    {"due_back_on": "2000-01-01"}, {"escorts": "张三\n张三"}, {"escorts": "名" * 51},
    {"carried_by": "999999"},
])
def test_bad_input_stays_on_the_form(client, reader, register, item, overrides):
    carrier = register(secret_item=item)
    client.force_login(reader)
    response = ask(client, carrier, carry(**overrides))
    assert response.status_code == 400, response.status_code
    assert 'id="movement-form"' in response.content.decode()
    assert not Movement.objects.exists()


def test_a_carrier_not_in_store_offers_no_form(client, office, carried_out):
    client.force_login(office)
    page = client.get(f"/carriers/{carried_out.carrier_id}/movement/").content.decode()
    assert 'id="movement-unavailable"' in page and 'id="movement-form"' not in page
    assert f'data-id="{carried_out.pk}"' in page  # its earlier movements
    response = ask(client, carried_out.carrier, carry())
    assert response.status_code == 409 and Movement.objects.count() == 1


@pytest.mark.rule("L5")
def test_a_confidential_user_never_learns_of_a_top_secret_movement(client, office, senior,
                                                                   leader, head, reader,
                                                                   top):
    movement = services.request_movement(
        office, top, kind=MovementKind.CARRY_OUT, destination="上级主管部门",
        purpose="专题汇报", escorts=["高级工程师", "刘保密"], carried_by=senior.person,
        due_back_on=today() + dt.timedelta(days=1))
    client.force_login(reader)  # 机密
    for path in (url(movement), url(movement, "form.docx"), f"/carriers/{top.pk}/movement/"):
        assert client.get(path).status_code == 404, path
    assert client.post(url(movement), {"action": "withdraw"}).status_code == 404
    listing = client.get("/carriers/movements/").content.decode()
    assert f'data-id="{movement.pk}"' not in listing and "JM-01" not in listing
    client.force_login(senior)  # carries it: sees it
    assert client.get(url(movement)).status_code == 200
    assert f'data-id="{movement.pk}"' in client.get("/carriers/movements/").content.decode()


@pytest.mark.rule("L5")
def test_the_clerk_sees_no_confidential_movement(client, clerk, carried_out):
    client.force_login(clerk)  # in the item's scope, cleared only 秘密
    for path in (url(carried_out), url(carried_out, "form.docx"),
                 f"/carriers/{carried_out.carrier_id}/movement/", "/carriers/movements/0/",
                 "/carriers/movements/99999999999999999999/"):
        assert client.get(path).status_code == 404, path
    listing = client.get("/carriers/movements/").content.decode()
    assert f'data-id="{carried_out.pk}"' not in listing


@pytest.mark.rule("T2")
def test_admins_open_no_movement_page(client, sysadmin, auditor, carried_out):
    for admin in (sysadmin, auditor):
        client.force_login(admin)
        for path in ("/carriers/movements/", url(carried_out), url(carried_out, "form.docx"),
                     f"/carriers/{carried_out.carrier_id}/movement/"):
            assert client.get(path).status_code == 404, (admin.username, path)


def test_withdrawal_by_the_requester_and_by_the_office(client, office, head, reader,
                                                       register, item):
    first = register(secret_item=item)
    client.force_login(reader)
    ask(client, first, carry())
    movement = Movement.objects.get()
    client.force_login(office)  # awaiting approval: only the requester withdraws
    assert client.post(url(movement), {"action": "withdraw"}).status_code == 404
    client.force_login(reader)
    assert client.post(url(movement), {"action": "withdraw"}).status_code == 302
    assert Movement.objects.get().state == MovementState.WITHDRAWN
    assert client.post(url(movement), {"action": "withdraw"}).status_code == 404

    second = register(secret_item=item)
    ask(client, second, carry())
    movement = approve_all(Movement.objects.latest("id"), head, office)
    client.force_login(head)  # sees it, keeps no ledger, did not ask
    assert client.post(url(movement), {"action": "withdraw"}).status_code == 404
    client.force_login(office)  # approved, not handed over: the 保密办 cancels it
    assert client.post(url(movement), {"action": "withdraw"}).status_code == 302
    assert Movement.objects.get(pk=movement.pk).state == MovementState.WITHDRAWN
    assert Carrier.objects.get(pk=second.pk).state == CarrierState.IN_STORE


def test_only_offered_actions_are_accepted(client, office, reader, head, carried_out):
    client.force_login(reader)
    for action in ("return", "hand_over", "receipt", "withdraw", "", "delete"):
        assert client.post(url(carried_out), {"action": action}).status_code == 404, action
    client.force_login(head)
    assert client.post(url(carried_out), {"action": "return"}).status_code == 404
    client.force_login(office)
    assert client.post(url(carried_out), {"action": "hand_over"}).status_code == 404


def test_bad_times_stay_on_the_form(client, office, head, reader, register, item):
    carrier = register(secret_item=item)
    movement = services.request_movement(
        reader, carrier, kind=MovementKind.CARRY_OUT, destination="评审会", purpose="评审",
        escorts=[], due_back_on=today())
    movement = approve_all(movement, head, office)
    client.force_login(office)
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url(movement), {"action": "hand_over", "out_at": future})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    response = client.post(url(movement), {"action": "hand_over", "out_at": "yesterday"})
    assert response.status_code == 400
    assert Movement.objects.get().state == MovementState.APPROVED
    left = timezone.localtime() - dt.timedelta(hours=2)
    client.post(url(movement), {"action": "hand_over", "out_at": left.strftime("%Y-%m-%dT%H:%M")})
    assert Movement.objects.get().state == MovementState.OUT
    before = (left - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url(movement), {"action": "return", "returned_at": before})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert Movement.objects.get().state == MovementState.OUT


@pytest.mark.rule("C2")
@pytest.mark.rule("C6")
def test_list_filters_and_overdue(client, office, head, reader, register, item, carried_out):
    sent = services.request_movement(
        reader, register(secret_item=item, number="ZT-0300"), kind=MovementKind.SEND_OUT,
        destination="十四所", purpose="送审", channel=MovementChannel.CONFIDENTIAL_TRAFFIC,
        escorts=[])
    sent = approve_all(sent, head, office)
    services.hand_over(office, sent, out_at=timezone.now() - dt.timedelta(days=RECEIPT_DAYS + 2))
    fresh = services.request_movement(
        reader, register(secret_item=item, number="ZT-0400"), kind=MovementKind.SEND_OUT,
        destination="十四所", purpose="送审", channel=MovementChannel.CONFIDENTIAL_MAIL,
        escorts=[])
    fresh = approve_all(fresh, head, office)
    services.hand_over(office, fresh, out_at=timezone.now() - dt.timedelta(days=RECEIPT_DAYS))
    waiting = services.request_movement(
        reader, register(secret_item=item, number="ZT-0500"), kind=MovementKind.ABROAD,
        destination="新加坡", purpose="展会", escorts=[], due_back_on=today())

    def shown(query=""):
        body = client.get(f"/carriers/movements/{query}")
        assert body.status_code == 200, query
        content = body.content.decode()
        return {m.pk for m in (carried_out, sent, fresh, waiting)
                if f'data-id="{m.pk}"' in content}

    client.force_login(office)
    assert shown() == {carried_out.pk, sent.pk, fresh.pk, waiting.pk}
    assert shown("?state=out") == {carried_out.pk, sent.pk, fresh.pk}
    assert shown("?kind=send_out") == {sent.pk, fresh.pk}
    assert shown("?kind=abroad&state=requested") == {waiting.pk}
    # rule C2: sent out and not signed for after RECEIPT_DAYS days; the tenth day is not late
    assert shown("?overdue=1") == {sent.pk}
    # invalid filters are dropped: the whole list, never a 500
    for bad in ("?state=lost", "?kind=%00", "?after=abc", "?overdue=yes",
                "?state=" + "x" * 5000):
        assert shown(bad) == shown(), bad
    body = client.get("/carriers/movements/?overdue=1").content.decode()
    assert 'data-overdue="1"' in body and "ZT-0300" in body and "机密★10年" in body
    # rule C6: out past its due date
    Movement.objects.filter(pk=carried_out.pk).update(due_back_on=today() - dt.timedelta(days=1))
    assert shown("?overdue=1") == {sent.pk, carried_out.pk}

    client.force_login(head)  # neither asked nor carries any: sees none of them listed
    assert shown() == set()
    client.force_login(reader)
    assert shown() == {carried_out.pk, sent.pk, fresh.pk, waiting.pk}


@pytest.mark.rule("C6")
def test_the_printed_form_downloads_and_opens(client, office, head, reader, carried_out):
    client.force_login(reader)
    response = client.get(url(carried_out, "form.docx"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    for expected in ("涉密载体携带外出审批单", "ZT-0200", "机密★10年", "何读者", "总体设计部评审会",
                     "方案评审", "部门负责人意见", "保密办意见", "同意。", "张部长", "刘保密",
                     "已携出", "携带人签字"):
        assert expected in text, expected


@pytest.mark.rule("C2")
@pytest.mark.rule("C6")
def test_printed_forms_of_a_receipt_and_of_a_top_secret_request(office, head, reader, senior,
                                                               leader, register, item, top):
    carrier = register(secret_item=item, number="ZT-0600")
    sent = services.request_movement(
        reader, carrier, kind=MovementKind.SEND_OUT, destination="十四所", purpose="送审",
        channel=MovementChannel.IN_PERSON, escorts=["何读者", "张三"])
    sent = approve_all(sent, head, office)
    services.hand_over(office, sent)
    services.record_receipt(office, sent, signed_by_name="王五", received_on=today())
    sent = Movement.objects.get(pk=sent.pk)
    text = docx_text(build_movement_docx(sent, sent.request.steps.all()))
    for expected in ("涉密载体外发审批单", "派专人送达", "何读者、张三", "王五", "已送达签收",
                     "不得通过普通邮政"):
        assert expected in text, expected

    asked = services.request_movement(
        office, top, kind=MovementKind.CARRY_OUT, destination="上级主管部门", purpose="汇报",
        escorts=["高级工程师", "刘保密"], carried_by=senior.person, due_back_on=today())
    text = docx_text(build_movement_docx(asked, asked.request.steps.all()))
    for expected in ("绝密★长期", "高级工程师", "单位领导意见", "待审批", "不得携带出境"):
        assert expected in text, expected


def test_menu_links_the_list(client, reader):
    client.force_login(reader)
    assert 'href="/carriers/movements/"' in client.get("/carriers/").content.decode()
