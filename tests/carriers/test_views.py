"""The carrier pages: the ledger with its filters, registration, one carrier with its
actions, containers and loans; a service's refusal is shown on the form with its status."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.carriers.choices import CarrierState, LoanState
from baomi.carriers.models import Carrier, Container, Loan
from baomi.core.labels import Category, Level, Scheme

from . import page_support as support
from .page_support import today

approved_loan, cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.approved_loan, support.cabinet, support.clerk, support.head, support.item, support.keeper,
    support.office, support.reader, support.register, support.safe, support.yf1)

PAGES = ("/carriers/", "/carriers/loans/")
OFFICE_PAGES = ("/carriers/new/", "/carriers/containers/", "/carriers/import/")


def test_pages_render_for_every_business_role(client, make_user, office):
    for role in (Role.LEADER, Role.DEPARTMENT_HEAD, Role.STAFF, Role.CLASSIFICATION_OFFICER):
        client.force_login(make_user(f"u-{role}", roles=[role], category=Category.IMPORTANT))
        for url in PAGES:
            assert client.get(url).status_code == 200, (role, url)
        for url in OFFICE_PAGES:  # only the 保密办 keeps the ledger
            assert client.get(url).status_code == 404, (role, url)
    client.force_login(office)
    for url in (*PAGES, *OFFICE_PAGES):
        assert client.get(url).status_code == 200, url


@pytest.mark.rule("T2")
def test_admins_open_no_carrier_page(client, sysadmin, auditor, secadmin):
    for admin in (sysadmin, auditor, secadmin):
        client.force_login(admin)
        for url in (*PAGES, *OFFICE_PAGES, "/carriers/export.xlsx"):
            assert client.get(url).status_code == 404, (admin.username, url)


def register_post(client, yf1, keeper, safe, **overrides):
    data = {"number": "SW-2026-015", "title": "关于型号研制保密管理的通知", "kind": "paper",
            "scheme": "state", "level": int(Level.CONFIDENTIAL), "period_kind": "years",
            "period_value": 10, "origin": "received", "source_unit": "国防科工局",
            "source_document_no": "科工密〔2026〕15号", "received_on": today().isoformat(),
            "signed_by": keeper.pk, "department": yf1.pk, "custodian": keeper.pk,
            "container": safe.pk, "location": "保密室", "pages": 12, "copies": 3,
            "copy_no": "第2份", "capacity": ""}
    data.update(overrides)
    return client.post("/carriers/new/", data)


@pytest.mark.rule("C2")
def test_office_registers_a_received_carrier(client, office, yf1, keeper, safe):
    client.force_login(office)
    response = register_post(client, yf1, keeper, safe)
    carrier = Carrier.objects.get()
    assert response.status_code == 302 and response.url == f"/carriers/{carrier.pk}/"
    assert (carrier.source_unit, carrier.signed_by, carrier.container) == (
        "国防科工局", keeper, safe)
    page = client.get("/carriers/")
    row = page.context["rows"][0]
    assert row["mark"] == "机密★10年"
    assert row["source"] == "国防科工局 科工密〔2026〕15号"
    assert row["copies"] == "3（第2份）" and row["place"] == "MX-01 保密室"
    assert "机密★10年" in page.content.decode()


@pytest.mark.rule("C2")
def test_received_carrier_without_signature_is_refused_on_the_form(client, office, yf1,
                                                                   keeper, safe):
    client.force_login(office)
    response = register_post(client, yf1, keeper, safe, signed_by="", source_unit="")
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["signed_by"] and form.errors["source_unit"]
    assert not Carrier.objects.exists()


@pytest.mark.rule("C3")
def test_container_rated_below_the_level_is_refused_on_the_form(client, office, yf1, keeper,
                                                                cabinet):
    client.force_login(office)
    response = register_post(client, yf1, keeper, cabinet, level=int(Level.TOP_SECRET),
                             period_value=30)
    assert response.status_code == 422
    assert response.context["form"].errors["container"]
    assert not Carrier.objects.exists()


def test_duplicate_number_is_a_conflict_on_the_number(client, office, yf1, keeper, safe,
                                                      register):
    register(number="SW-2026-015")
    client.force_login(office)
    response = register_post(client, yf1, keeper, safe)
    assert response.status_code == 409
    assert response.context["form"].errors["number"]


@pytest.mark.rule("L4")
def test_ledger_is_one_scheme_at_a_time_with_filters(client, office, register, keeper, yf1,
                                                     unit):
    state = register(title="设计报告", level=Level.SECRET)
    top = register(title="总体方案", level=Level.TOP_SECRET, period_value=30)
    work = register(title="工作秘密文件", scheme=Scheme.WORK, level=Level.SECRET,
                    period_value=5, container=None)
    client.force_login(office)

    def shown(query=""):
        return [c.pk for c in client.get(f"/carriers/{query}").context["page"].items]

    assert shown() == [top.pk, state.pk]  # 国家秘密 by default, newest first
    assert shown("?scheme=work") == [work.pk]
    assert shown("?scheme=bogus") == [top.pk, state.pk]
    assert shown(f"?level={int(Level.TOP_SECRET)}") == [top.pk]
    assert shown("?state=on_loan") == []
    assert shown("?kind=optical") == []
    assert shown(f"?department={yf1.pk}") == [top.pk, state.pk]
    assert shown("?q=王保管") == [top.pk, state.pk]
    assert shown(f"?q={state.number}") == [state.pk]
    assert shown("?q=nobody&level=x&department=-1") == []
    assert shown("?q=%00王保管%1f") == [top.pk, state.pk]  # control characters dropped
    page = client.get("/carriers/?scheme=work")
    assert page.context["rows"][0]["mark"] == "工作秘密★5年"


@pytest.mark.rule("C1")
def test_ledger_pages_by_key(client, office, register):
    carriers = [register(level=Level.SECRET) for _ in range(52)]
    client.force_login(office)
    first = client.get("/carriers/")
    assert len(first.context["page"].items) == 50
    second = client.get(first.context["page"].next_url.replace("?", "/carriers/?", 1))
    assert [c.pk for c in second.context["page"].items] == [carriers[1].pk, carriers[0].pk]


def test_opening_a_confidential_carrier_is_audited(client, office, register):
    confidential = register()
    secret = register(level=Level.SECRET)
    client.force_login(office)
    assert client.get(f"/carriers/{confidential.pk}/").status_code == 200
    assert client.get(f"/carriers/{secret.pk}/").status_code == 200
    reads = AuditEvent.objects.filter(action="CARRIER_READ")
    assert list(reads.values_list("object_id", flat=True)) == [str(confidential.pk)]


@pytest.mark.rule("C5")
def test_loan_from_request_to_return_through_the_pages(client, office, head, reader, register,
                                                       item):
    carrier = register(secret_item=item)
    client.force_login(reader)
    detail = client.get(f"/carriers/{carrier.pk}/")
    assert [action for action, _form in detail.context["forms"]] == ["loan"]
    response = client.post(f"/carriers/{carrier.pk}/", {
        "action": "loan", "loan-kind": "borrow", "loan-purpose": "编写设计报告",
        "loan-room": "保密阅览室"})
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert (loan.borrower, loan.state) == (reader.person, LoanState.REQUESTED)
    again = client.post(f"/carriers/{carrier.pk}/", {
        "action": "loan", "loan-kind": "borrow", "loan-purpose": "再借一次"})
    assert again.status_code == 409  # loan_in_progress, shown on the form
    assert again.context["forms"][0][1].non_field_errors()

    from baomi.approvals.services import decide

    request = loan.request
    for decider in (head, office):
        request = decide(decider, request, "approve")
    # the borrower may not hand it out
    refused = client.post(f"/carriers/{carrier.pk}/", {"action": "hand_out", "loan": loan.pk})
    assert refused.status_code == 404
    client.force_login(office)
    assert [row["actions"] for row in client.get(f"/carriers/{carrier.pk}/")
            .context["loans"]] == [["hand_out", "withdraw"]]
    response = client.post(f"/carriers/{carrier.pk}/", {"action": "hand_out", "loan": loan.pk})
    assert response.status_code == 302
    carrier.refresh_from_db()
    loan.refresh_from_db()
    assert (carrier.state, loan.state) == (CarrierState.ON_LOAN, LoanState.OUT)
    ledger = client.get("/carriers/")
    assert ledger.context["page"].items[0].state == CarrierState.ON_LOAN
    on_loan = client.get(f"/carriers/{carrier.pk}/")  # neither lent again nor moved
    assert [action for action, _form in on_loan.context["forms"]] == ["custodian"]
    # a stale button (already out) is not offered again
    assert client.post(f"/carriers/{carrier.pk}/",
                       {"action": "hand_out", "loan": loan.pk}).status_code == 404
    response = client.post("/carriers/loans/", {"action": "return", "loan": loan.pk})
    assert response.status_code == 302
    carrier.refresh_from_db()
    loan.refresh_from_db()
    assert (carrier.state, loan.state) == (CarrierState.IN_STORE, LoanState.RETURNED)


@pytest.mark.rule("C5")
def test_borrower_outside_the_scope_is_refused_on_the_form(client, make_user, office, yf1,
                                                           register, item):
    outsider = make_user("outsider", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE,
                         department_=yf1)
    carrier = register(secret_item=item)
    client.force_login(outsider)  # sees it as head of its department, not in the scope
    response = client.post(f"/carriers/{carrier.pk}/", {
        "action": "loan", "loan-kind": "circulate", "loan-purpose": "审阅"})
    assert response.status_code == 422
    assert not Loan.objects.exists()


def test_office_stores_and_hands_over_custody(client, office, register, cabinet, reader):
    carrier = register(level=Level.SECRET)
    client.force_login(office)
    response = client.post(f"/carriers/{carrier.pk}/", {
        "action": "store", "store-container": cabinet.pk, "store-location": "第二层"})
    assert response.status_code == 302
    response = client.post(f"/carriers/{carrier.pk}/", {
        "action": "custodian", "custodian-custodian": reader.person_id,
        "custodian-reason": "工作交接"})
    assert response.status_code == 302
    carrier.refresh_from_db()
    assert (carrier.container, carrier.location, carrier.custodian) == (
        cabinet, "第二层", reader.person)


@pytest.mark.rule("C3")
def test_storing_above_the_rating_is_refused_on_the_form(client, office, register, cabinet):
    carrier = register(level=Level.TOP_SECRET, period_value=30)
    client.force_login(office)
    response = client.post(f"/carriers/{carrier.pk}/", {
        "action": "store", "store-container": cabinet.pk})
    assert response.status_code == 422
    assert dict(response.context["forms"])["store"].errors["container"]


def test_only_the_office_gets_the_office_actions(client, head, register):
    carrier = register(level=Level.SECRET)
    client.force_login(head)  # sees the carriers of its department
    detail = client.get(f"/carriers/{carrier.pk}/")
    assert [action for action, _form in detail.context["forms"]] == ["loan"]
    assert client.post(f"/carriers/{carrier.pk}/", {
        "action": "store", "store-container": carrier.container_id}).status_code == 404


@pytest.mark.rule("C3")
def test_containers_register_edit_and_refuse(client, office, register, safe):
    client.force_login(office)
    response = client.post("/carriers/containers/", {
        "number": "WJG-09", "kind": "coded_cabinet", "rating": int(Level.TOP_SECRET),
        "location": "档案室"})
    assert response.status_code == 422  # a 密码文件柜 holds at most 机密
    assert response.context["form"].errors["rating"]
    response = client.post("/carriers/containers/", {
        "number": "WJG-09", "kind": "coded_cabinet", "rating": int(Level.CONFIDENTIAL),
        "location": "档案室"})
    assert response.status_code == 302
    register()
    listing = client.get("/carriers/containers/")
    counts = {c.number: c.carrier_count for c in listing.context["page"].items}
    assert counts == {"WJG-09": 0, "MX-01": 1}
    retire = client.post(f"/carriers/containers/{safe.pk}/", {"location": "保密室"})
    assert retire.status_code == 409  # container_not_empty
    assert Container.objects.get(pk=safe.pk).active
    empty = Container.objects.get(number="WJG-09")
    response = client.post(f"/carriers/containers/{empty.pk}/", {"location": "新档案室"})
    assert response.status_code == 302
    empty.refresh_from_db()
    assert (empty.location, empty.active) == ("新档案室", False)


@pytest.mark.rule("C5")
def test_loan_list_office_sees_the_unit_others_their_own(client, make_user, office, head,
                                                         reader, keeper, register, item,
                                                         approved_loan):
    from baomi.carriers import services

    out = approved_loan(register(secret_item=item))
    services.hand_out(office, out)
    Loan.objects.filter(pk=out.pk).update(due_on=today().replace(year=today().year - 1))
    other = register(level=Level.SECRET)
    make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    services.request_loan(office, other, kind="circulate", purpose="审阅", borrower=keeper)
    client.force_login(office)
    every = client.get("/carriers/loans/")
    assert len(every.context["rows"]) == 2
    overdue = client.get("/carriers/loans/?overdue=1")
    assert [row["loan"].pk for row in overdue.context["rows"]] == [out.pk]
    assert overdue.context["rows"][0]["actions"] == ["return"]
    client.force_login(reader)
    own = client.get("/carriers/loans/")
    assert [row["loan"].pk for row in own.context["rows"]] == [out.pk]
    assert own.context["rows"][0]["actions"] == []
    assert client.post("/carriers/loans/", {"action": "return", "loan": out.pk}).status_code == 404


def test_requester_withdraws_a_loan_awaiting_approval(client, reader, head, register, item):
    from baomi.carriers import services

    loan = services.request_loan(reader, register(secret_item=item), kind="borrow",
                                 purpose="阅读")
    client.force_login(reader)
    assert client.get("/carriers/loans/").context["rows"][0]["actions"] == ["withdraw"]
    response = client.post("/carriers/loans/", {"action": "withdraw", "loan": loan.pk})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.state == LoanState.WITHDRAWN


@pytest.mark.rule("L5")
def test_clearance_hides_a_confidential_carrier_everywhere(client, clerk, register, item, yf1):
    """A 秘密-cleared user, though named in the item's scope, never sees a 机密 carrier: not
    in the ledger, not in the export, 404 on its page, its form and the API."""
    from .page_support import docx_text, sheet_rows, streamed

    hidden = register(secret_item=item, title="机密方案")
    shown = register(title="秘密附件", level=Level.SECRET, custodian=clerk.person)
    client.force_login(clerk)
    assert [c.pk for c in client.get("/carriers/").context["page"].items] == [shown.pk]
    assert client.get(f"/carriers/?level={int(Level.CONFIDENTIAL)}").context["page"].items == []
    rows = sheet_rows(streamed(client.get("/carriers/export.xlsx")))
    assert [row[0] for row in rows[1:]] == [shown.number]
    assert client.get(f"/carriers/{hidden.pk}/").status_code == 404
    assert client.post(f"/carriers/{hidden.pk}/", {
        "action": "loan", "loan-kind": "borrow", "loan-purpose": "x"}).status_code == 404
    docx = client.get(f"/carriers/ledger.docx?department={yf1.pk}")
    assert docx.status_code == 200
    assert "秘密附件" in docx_text(docx.content) and "机密方案" not in docx_text(docx.content)
    assert client.get(f"/api/v1/carriers/carriers/{hidden.pk}").status_code == 404
    listed = client.get("/api/v1/carriers/carriers").json()["items"]
    assert [c["id"] for c in listed] == [shown.pk]
    assert client.post(f"/api/v1/carriers/carriers/{hidden.pk}/loans", {
        "kind": "borrow", "purpose": "x"}, content_type="application/json").status_code == 404
