"""The outside-firm pages (rules Q8, Q11): the 保密办 registers a firm, records its
conditions and signs contracts; a refusal shows on the form with every reason; leaders read
without forms; anyone else and another unit's firm get a 404; the register exports to .xlsx."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_firms as services
from baomi.compliance.choices_firms import FirmKind, FirmState
from baomi.compliance.models import Firm, FirmContract, FirmProtocol
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory

from .test_firms import credit_code, firm, qualify, sign

LIST = "/compliance/firms/"


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


def action(client, the_firm, name, data):
    return client.post(f"{LIST}{the_firm.pk}/{name}/", data)


def test_the_office_registers_a_firm_from_the_register(client, unit, office):
    client.force_login(office)
    assert client.get(LIST).status_code == 200
    response = client.post(LIST, {"name": "华审会计师事务所", "credit_code": credit_code(5),
                                  "kind": FirmKind.AUDIT, "contact": "李会计"})
    stored = Firm.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{stored.pk}/")
    assert (stored.unit, stored.kind) == (unit, FirmKind.AUDIT)
    bad = client.post(LIST, {"name": "某所", "credit_code": "91110108000000000X",
                             "kind": FirmKind.AUDIT})
    assert bad.status_code == 400 and Firm.objects.count() == 1
    assert "credit_code" in bad.context["form"].errors


@pytest.mark.rule("Q11")
def test_a_classified_contract_is_refused_on_the_form_with_its_reasons(client, unit, office):
    the_firm = firm(office, unit, foreign_capital=True)
    client.force_login(office)
    response = action(client, the_firm, "contract", {
        "contract-title": "涉密审计", "contract-scheme": "state",
        "contract-level": str(Level.SECRET), "contract-work_kind": "审计",
        "contract-signed_on": "2026-03-02", "contract-responsible": office.person.pk})
    assert response.status_code == 422
    errors = response.context["forms"]["contract"].errors
    assert "firm" not in errors and errors["__all__"]
    assert response.context["row"]["shortfalls"][0] in errors["__all__"][0]
    assert FirmContract.objects.count() == 0


@pytest.mark.rule("Q11")
def test_the_office_records_protocol_review_change_report_and_strike_off(client, unit, office):
    the_firm = firm(office, unit)
    client.force_login(office)
    fields = {f"update-{k}": v for k, v in {
        "name": the_firm.name, "credit_code": the_firm.credit_code, "kind": the_firm.kind,
        "security_review_passed_on": "2026-01-05"}.items()}
    assert action(client, the_firm, "update", fields).status_code == 302
    assert action(client, the_firm, "protocol", {
        "protocol-signed_on": "2026-01-06", "protocol-filed_on": "2026-01-07",
        "protocol-scope": "年度审计", "protocol-secrecy_clauses": "on"}).status_code == 302
    page = client.get(f"{LIST}{the_firm.pk}/")
    assert page.context["row"]["shortfalls"] == []
    assert action(client, the_firm, "change", {
        "change-occurred_on": "2026-02-01", "change-reported_on": "2026-02-02",
        "change-description": "合伙人变更"}).status_code == 302
    change = the_firm.changes.get()
    assert action(client, the_firm, "rereview", {
        "rereview-change": change.pk, "rereview-rereviewed_on": "2026-02-10",
        "rereview-passed": "passed"}).status_code == 302
    assert action(client, the_firm, "year_report", {
        "year_report-year": "2025", "year_report-received_on": "2026-03-01"}).status_code == 302
    assert action(client, the_firm, "strike_off", {
        "strike_off-struck_off_on": "2026-06-01",
        "strike_off-reason": "泄露军品秘密"}).status_code == 302
    early = action(client, the_firm, "reinstate", {"reinstate-reinstated_on": "2027-05-31"})
    assert early.status_code == 422 and early.context["forms"]["reinstate"].errors
    assert Firm.objects.get().state == FirmState.STRUCK_OFF
    assert FirmProtocol.objects.count() == 1
    assert action(client, the_firm, "bogus", {}).status_code == 404


def test_leaders_read_without_forms_and_others_get_404(client, unit, office, make_user):
    the_firm = firm(office, unit)
    sign(office, the_firm, level=Level.NONSECRET)
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    client.force_login(leader)
    page = client.get(f"{LIST}{the_firm.pk}/")
    assert page.status_code == 200 and page.context["forms"] == {}
    assert client.get(LIST).context["form"] is None
    assert action(client, the_firm, "strike_off", {
        "strike_off-struck_off_on": "2026-06-01", "strike_off-reason": "x"}).status_code == 404
    staff = make_user("staff", roles=[Role.STAFF])
    client.force_login(staff)
    assert client.get(LIST).status_code == 404
    assert client.get(f"{LIST}{the_firm.pk}/").status_code == 404
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())
    client.force_login(stranger)
    assert client.get(f"{LIST}{the_firm.pk}/").status_code == 404
    assert client.get(LIST).context["rows"] == []


def test_contracts_above_the_readers_clearance_are_not_shown(client, unit, office, make_user):
    the_firm = qualify(office, firm(office, unit))
    sign(office, the_firm, level=Level.CONFIDENTIAL, title="机密项目")
    sign(office, the_firm, level=Level.SECRET, title="秘密项目")
    leader = make_user("leader", roles=[Role.LEADER], category=Category.GENERAL)
    client.force_login(leader)
    titles = [c.title for c in client.get(f"{LIST}{the_firm.pk}/").context["contracts"].items]
    assert titles == ["秘密项目"]


@pytest.mark.rule("Q8")
def test_the_register_filters_by_kind_qualification_and_directory(client, unit, office):
    audit = qualify(office, firm(office, unit, 1))
    firm(office, unit, 2, kind=FirmKind.SUBCONTRACTOR, on_directory=True,
         directory_number="ML-01")
    firm(office, unit, 3, kind=FirmKind.SUBCONTRACTOR)
    client.force_login(office)

    def names(query):
        return [row["firm"].name for row in client.get(LIST + query).context["rows"]]

    assert names("?qualified=yes") == [audit.name]
    assert names("?kind=subcontractor&directory=yes") == ["外协单位2"]
    assert names("?kind=subcontractor&directory=no") == ["外协单位3"]
    assert len(names("?qualified=no")) == 2
    assert len(names("?kind=nonsense&qualified=maybe")) == 3


def test_the_register_exports_to_xlsx(client, unit, office):
    qualify(office, firm(office, unit, 1))
    firm(office, unit, 2, foreign_capital=True)
    client.force_login(office)
    response = client.get(LIST + "export.xlsx?qualified=no")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "外协单位2" and rows[1][1] == credit_code(2)
    assert rows[1][11] and rows[1][12]  # not qualified, and why
    assert AuditEvent.objects.filter(action="FIRMS_EXPORTED").count() == 1
    assert all(isinstance(cell, str) for cell in rows[0])


def _cells(content):
    from docx import Document

    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for table in document.tables
            for row in table.rows], "\n".join(p.text for p in document.paragraphs)


@pytest.mark.rule("Q11")
def test_the_printed_review_form_shows_conditions_and_cleared_contracts(client, unit, office,
                                                                        make_user):
    the_firm = qualify(office, firm(office, unit, kind=FirmKind.SUBCONTRACTOR,
                                    on_directory=True, directory_number="ML-07"))
    sign(office, the_firm, level=Level.CONFIDENTIAL, title="机密项目")
    sign(office, the_firm, level=Level.SECRET, title="秘密项目")
    services.report_change(office, the_firm, occurred_on=dt.date(2026, 9, 24),
                           reported_on=dt.date(2026, 9, 25), description="股东变更")
    leader = make_user("leader", roles=[Role.LEADER], category=Category.GENERAL)
    client.force_login(leader)
    response = client.get(f"{LIST}{the_firm.pk}/form.docx")
    assert response.status_code == 200
    rows, text = _cells(response.content)
    assert ["统一社会信用代码", the_firm.credit_code] in rows
    assert ["无外资参股或外资背景", "符合"] in rows
    assert ["条件变更已报告并重新审查通过", "不符合"] in rows
    assert ["列入外协单位名录（ML-07）", "符合"] in rows
    assert any(row[:2] == ["秘密项目", "秘密"] for row in rows)
    assert not any(row[0] == "机密项目" for row in rows)  # above the leader's clearance
    assert any(row[3:] == ["2026年10月29日", "未审查"] for row in rows)
    assert "不具备承担涉密业务的条件" in text
    client.force_login(make_user("staff", roles=[Role.STAFF]))
    assert client.get(f"{LIST}{the_firm.pk}/form.docx").status_code == 404
