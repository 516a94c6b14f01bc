"""The print log page (rule C10): everyone logs their own printouts, the 保密办 anyone's and
may register one kept as a carrier; the 保密办 sees the unit's log, others their own; the log
as .xlsx, audited; refusals shown on the form."""

import pytest

from baomi.audit.models import AuditEvent
from baomi.carriers import services
from baomi.carriers.models import Carrier, PrintRecord
from baomi.core.labels import Level

from . import page_support as support
from .page_support import sheet_rows, streamed

clerk, head, item, keeper, office, reader, safe, yf1 = (
    support.clerk, support.head, support.item, support.keeper, support.office,
    support.reader, support.safe, support.yf1)

LOG = {"title": "型号总体方案（评审稿）", "scheme": "state", "level": "1", "pages": "12",
       "copies": "2", "device": "研发一部涉密打印机 YF1-PR-01"}


def log(actor, **overrides):
    fields = {"title": "设计报告", "scheme": "state", "level": Level.SECRET, "pages": 3,
              "copies": 1, "device": "YF1-PR-01"}
    return services.record_print(actor, **{**fields, **overrides})


@pytest.mark.rule("C10")
def test_staff_log_their_own_printouts(client, clerk, head):
    client.force_login(clerk)
    page = client.get("/carriers/prints/").content.decode()
    assert 'id="print-form"' in page
    assert 'name="printed_by"' not in page and 'name="register_carrier"' not in page
    response = client.post("/carriers/prints/", {**LOG, "approved_by": head.person_id})
    assert response.status_code == 302
    record = PrintRecord.objects.get()
    assert (record.printed_by, record.approved_by, record.pages) == (clerk.person,
                                                                     head.person, 12)
    assert f'data-id="{record.pk}"' in client.get("/carriers/prints/").content.decode()


@pytest.mark.rule("C10")
def test_a_print_above_the_clearance_is_refused_on_the_form(client, clerk):
    client.force_login(clerk)
    response = client.post("/carriers/prints/", {**LOG, "level": "2"})
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert not PrintRecord.objects.exists()
    assert client.post("/carriers/prints/", {**LOG, "pages": "0"}).status_code == 400


@pytest.mark.rule("C10")
def test_the_office_registers_a_printout_kept(client, office, reader, safe, item):
    client.force_login(office)
    page = client.get("/carriers/prints/").content.decode()
    assert 'name="printed_by"' in page and 'name="register_carrier"' in page
    response = client.post("/carriers/prints/", {
        **LOG, "level": "2", "printed_by": reader.person_id, "recipient": reader.person_id,
        "register_carrier": "on", "number": "DY-2026-001", "period_kind": "years",
        "period_value": "10", "secret_item": item.pk, "container": safe.pk})
    assert response.status_code == 302, response.content.decode()
    carrier = Carrier.objects.get(number="DY-2026-001")
    assert PrintRecord.objects.get().carrier == carrier and carrier.custodian == reader.person
    assert f'href="/carriers/{carrier.pk}/"' in client.get("/carriers/prints/").content.decode()
    response = client.post("/carriers/prints/", {**LOG, "register_carrier": "on",
                                                 "number": "DY-2026-001",
                                                 "period_kind": "years", "period_value": "5"})
    assert response.status_code == 409  # the number is taken: shown on the form
    assert "number" in response.content.decode() and PrintRecord.objects.count() == 1


@pytest.mark.rule("C10")
@pytest.mark.rule("L5")
def test_the_office_sees_the_unit_others_their_own(client, office, clerk, reader):
    mine, theirs = log(clerk), log(reader, level=Level.CONFIDENTIAL, title="雷达参数")
    client.force_login(office)
    body = client.get("/carriers/prints/").content.decode()
    assert f'data-id="{mine.pk}"' in body and f'data-id="{theirs.pk}"' in body
    client.force_login(clerk)
    body = client.get("/carriers/prints/").content.decode()
    assert f'data-id="{mine.pk}"' in body and f'data-id="{theirs.pk}"' not in body


@pytest.mark.rule("C10")
def test_the_log_exports_what_the_user_sees_and_is_audited(client, office, clerk, reader):
    log(clerk, title="甲")
    log(reader, level=Level.CONFIDENTIAL, title="乙")
    client.force_login(clerk)
    response = client.get("/carriers/prints/export.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = sheet_rows(streamed(response))
    assert len(rows) == 2 and rows[1][1] == "甲"
    client.force_login(office)
    rows = sheet_rows(streamed(client.get("/carriers/prints/export.xlsx")))
    assert sorted(row[1] for row in rows[1:]) == ["乙", "甲"]
    assert AuditEvent.objects.filter(action="CARRIER_PRINTS_EXPORTED").count() == 2
