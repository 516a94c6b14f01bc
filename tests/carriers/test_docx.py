"""The printed forms: the 涉密载体台帐 of a department or a custodian and the 借阅登记 of a
loan, of what the reader sees only."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.core.labels import Level

from . import page_support as support
from .page_support import docx_text

approved_loan, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.approved_loan, support.clerk, support.head, support.item, support.keeper, support.office,
    support.reader, support.register, support.safe, support.yf1)


@pytest.mark.rule("C1")
def test_ledger_of_a_department(client, office, register, yf1, department):
    register(number="SW-01", title="通知", origin="received", source_unit="国防科工局",
             source_document_no="科工密〔2026〕15号", signed_by=office.person)
    register(number="ZT-02", title="设计报告", level=Level.SECRET)
    register(number="ZT-03", title="别的部门", level=Level.SECRET, department=department)
    client.force_login(office)
    response = client.get(f"/carriers/ledger.docx?department={yf1.pk}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "涉密载体台帐" in text and "部门：研发一部" in text
    for expected in ("SW-01", "机密★10年", "国防科工局 科工密〔2026〕15号", "ZT-02", "王保管",
                     "MX-01", "在库", "共2件", "保密办核对人"):
        assert expected in text, expected
    assert "ZT-03" not in text
    assert AuditEvent.objects.filter(action="CARRIERS_EXPORTED").count() == 1


def test_ledger_of_a_custodian(client, office, register, reader):
    register(number="ZT-01", custodian=reader.person)
    register(number="ZT-02")
    client.force_login(office)
    text = docx_text(client.get(f"/carriers/ledger.docx?custodian={reader.person_id}").content)
    assert "责任人：何读者" in text and "ZT-01" in text and "ZT-02" not in text


@pytest.mark.parametrize("query", ["", "?department=987654", "?custodian=abc",
                                   "?department=-1"])
def test_ledger_needs_a_department_or_person_of_the_unit(client, office, query):
    client.force_login(office)
    assert client.get(f"/carriers/ledger.docx{query}").status_code == 404


@pytest.mark.rule("C5")
def test_loan_form_shows_the_approvals_and_the_times(client, office, reader, register, item,
                                                     approved_loan):
    loan = approved_loan(register(number="ZT-01", secret_item=item))
    services.hand_out(office, loan)
    services.return_loan(office, loan)
    client.force_login(reader)
    response = client.get(f"/carriers/loans/{loan.pk}/form.docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in ("涉密载体借阅登记表", "ZT-01", "机密★10年", "何读者", "研发一部", "编写设计报告",
                     "保密阅览室", "部门负责人意见", "保密办意见", "张部长（系统审批记录）",
                     "刘保密（系统审批记录）", "已归还", "借阅人签字"):
        assert expected in text, expected


def test_loan_form_of_someone_elses_loan_is_hidden(client, make_user, register, item, reader,
                                                   head, yf1):
    loan = services.request_loan(reader, register(secret_item=item), kind="circulate",
                                 purpose="审阅")
    from baomi.accounts.roles import Role
    from baomi.core.labels import Category

    other = make_user("other", roles=[Role.STAFF], category=Category.CORE, department_=yf1)
    client.force_login(other)
    assert client.get(f"/carriers/loans/{loan.pk}/form.docx").status_code == 404
    client.force_login(reader)
    text = docx_text(client.get(f"/carriers/loans/{loan.pk}/form.docx").content)
    assert "涉密载体传阅登记表" in text and "当天阅读，当天退还" in text and "待审批" in text
