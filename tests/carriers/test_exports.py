"""The ledger export (.xlsx): the filtered ledger of one scheme, audited, streamed with flat
memory however many rows."""

import json
import tracemalloc
from datetime import date

import pytest

from baomi.accounts.models import Department, Person
from baomi.audit.models import AuditEvent
from baomi.carriers.exports import ledger_headers, write_carriers
from baomi.carriers.models import Carrier, Container
from baomi.core.labels import Level, Scheme

from . import page_support as support
from .page_support import sheet_rows, streamed

keeper, office, register, safe, yf1 = (
    support.keeper, support.office, support.register, support.safe, support.yf1)


@pytest.mark.rule("C1")
def test_export_lists_the_filtered_ledger_and_is_audited(client, office, register):
    received = register(number="SW-01", title="通知", origin="received",
                        source_unit="国防科工局", source_document_no="科工密〔2026〕15号",
                        signed_by=office.person, copies=3, copy_no="第2份")
    register(number="ZT-02", level=Level.SECRET)
    client.force_login(office)
    response = client.get("/carriers/export.xlsx?level=2")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="carriers-state-')
    rows = sheet_rows(streamed(response))
    assert list(rows[0]) == ledger_headers()
    assert len(rows) == 2
    (number, title, mark, _kind, _origin, source_unit, document_no, received_on, copies,
     copy_no, pages, department, custodian, place, _state) = rows[1]
    assert (number, title, mark) == ("SW-01", "通知", "机密★10年")
    assert (source_unit, document_no) == ("国防科工局", "科工密〔2026〕15号")
    assert (copies, copy_no, pages) == (3, "第2份", 12)
    assert (department, custodian, place) == ("研发一部", "王保管", "MX-01")
    assert received_on.date() == received.received_on
    event = AuditEvent.objects.get(action="CARRIERS_EXPORTED")
    assert json.loads(event.after) == {"filters": {"level": 2, "scheme": "state"}, "rows": 1}


@pytest.mark.rule("L4")
def test_export_holds_one_scheme(client, office, register):
    register(number="ZT-01", level=Level.SECRET)
    register(number="GZ-01", scheme=Scheme.WORK, level=Level.SECRET, container=None)
    client.force_login(office)
    state = sheet_rows(streamed(client.get("/carriers/export.xlsx")))
    work = sheet_rows(streamed(client.get("/carriers/export.xlsx?scheme=work")))
    assert [r[0] for r in state[1:]] == ["ZT-01"]
    assert [r[0] for r in work[1:]] == ["GZ-01"] and work[1][2] == "工作秘密★10年"


def test_a_formula_in_a_title_stays_text(client, office, register):
    register(number="ZT-01", title="=HYPERLINK(\"http://x\")", level=Level.SECRET)
    client.force_login(office)
    rows = sheet_rows(streamed(client.get("/carriers/export.xlsx")))
    assert rows[1][1] == "=HYPERLINK(\"http://x\")"


def fake_carriers(count, department, custodian, container):
    """Unsaved carriers, made one at a time, as a database iterator yields them."""
    for n in range(count):
        yield Carrier(number=f"ZT-{n:07d}", title=f"载体{n}的标题，足够长以占用一些内存",
                      kind="paper", scheme=Scheme.STATE, level=Level.SECRET,
                      period_kind="years", period_value=10, origin="received",
                      source_unit="国防科工局", source_document_no=f"科工密〔2026〕{n}号",
                      received_on=date(2026, 1, 15), pages=12, copies=1,
                      department=department, custodian=custodian, container=container,
                      location="保密室", state="in_store")


def peak_while_writing(count, department, custodian, container):
    tracemalloc.start()
    try:
        output, rows = write_carriers(fake_carriers(count, department, custodian, container),
                                      Scheme.STATE)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    output.close()
    assert rows == count
    return peak


def test_memory_stays_flat_as_the_ledger_grows():
    """Ten times the rows, about the same peak: nothing keeps the rows (the 200,000-row
    ledger is exported the same way)."""
    department = Department(name="研发一部", code="YF1")
    custodian = Person(name="王保管", employee_no="K-001")
    container = Container(number="MX-01", kind="safe", rating=3, location="保密室")
    small = peak_while_writing(1_000, department, custodian, container)
    large = peak_while_writing(10_000, department, custodian, container)
    assert large < small * 1.5 + 1_000_000, (small, large)
