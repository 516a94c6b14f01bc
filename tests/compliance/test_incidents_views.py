"""Leak-incident pages (rules I1, I2, L5): any business user reports a leak; the list filters by
state and marks overdue and late reports; on the detail the 保密办 cleared for the level
records the bureau report, measures and the four items and closes it — refusals as form errors,
never a 500; the printed report."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from baomi.compliance import services_incidents as handling
from baomi.compliance.choices import IncidentState
from baomi.compliance.models import Incident, IncidentMeasure
from baomi.core.labels import Level

from . import incidents_support as support
from .incidents_support import ago

people, other_unit, reported, handled = (
    support.people, support.other_unit, support.reported, support.handled)
REPORT = "/compliance/incidents/report/"
LIST = "/compliance/incidents/"


def detail(incident):
    return f"/compliance/incidents/{incident.pk}/"


def moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.rule("I1")
def test_a_staff_member_reports_a_leak(client, people, unit):
    client.force_login(people["staff"])
    page = client.get(REPORT).content.decode()
    assert 'value="1"' in page and 'value="2"' not in page  # up to 秘密 (rule L5)
    response = client.post(REPORT, {"kind": "suspected_leak", "level": "1",
                                    "title": "秘密级文件被个人手机拍照",
                                    "discovered_at": moment(ago(hours=2)),
                                    "description": "会议室内发现"})
    assert response.status_code == 302 and response.url == REPORT  # staff cannot open it
    incident = Incident.objects.get()
    assert (incident.created_by, incident.level, incident.unit) == (people["staff"], 1, unit)
    client.force_login(people["office"])
    assert f'data-id="{incident.pk}"' in client.get(LIST).content.decode()


@pytest.mark.rule("L5")
def test_a_bad_report_is_a_form_error(client, people):
    client.force_login(people["staff"])
    base = {"kind": "leak", "level": "1", "title": "文件外泄",
            "discovered_at": moment(ago(hours=2))}
    for bad in ({"level": "2"}, {"discovered_at": "yesterday"}, {"title": ""},
                {"discovered_at": moment(timezone.now() + dt.timedelta(days=1))},
                {"title": "a\x00b"}):
        response = client.post(REPORT, {**base, **bad})
        assert response.status_code == 400, bad
        assert 'role="alert"' in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.rule("T2")
def test_the_three_admins_do_not_report(client, sysadmin, auditor, secadmin):
    for admin in (sysadmin, auditor, secadmin):
        client.force_login(admin)
        assert client.get(REPORT).status_code == 404


@pytest.mark.rule("I1")
def test_the_list_filters_by_state_and_marks_overdue_and_late(client, people, reported):
    overdue = reported(discovered_at=ago(hours=25))
    fresh = reported(discovered_at=ago(hours=23))
    late = reported(discovered_at=ago(days=3))
    handling.record_bureau_report(people["office"], late, reported_at=ago(days=1),
                                  reported_to="保密局")
    client.force_login(people["office"])
    html = client.get(LIST).content.decode()
    rows = {incident.pk: row_of(html, incident) for incident in (overdue, fresh, late)}
    assert 'data-flag="report-overdue"' in rows[overdue.pk]
    assert 'data-flag="report-overdue"' not in rows[fresh.pk]
    assert 'data-flag="reported-late"' in rows[late.pk]
    only_open = client.get(LIST, {"state": IncidentState.OPEN}).content.decode()
    assert f'data-id="{late.pk}"' not in only_open and f'data-id="{fresh.pk}"' in only_open
    assert client.get(LIST, {"state": "nonsense"}).status_code == 200


def row_of(html, incident):
    start = html.index(f'<tr data-id="{incident.pk}"')
    return html[start:html.index("</tr>", start)]


@pytest.mark.rule("I2")
def test_the_office_handles_an_incident_on_its_page(client, people, reported):
    incident = reported(discovered_at=ago(hours=30))
    client.force_login(people["office"])
    page = client.get(detail(incident)).content.decode()
    assert 'id="report-overdue"' in page and 'id="close-button" disabled' in page
    assert 'id="close-refusal"' in page
    posts = [{"action": "bureau_report", "bureau_report-reported_at": moment(ago(hours=2)),
              "bureau_report-reported_to": "市国家保密局"},
             {"action": "measure", "measure-taken_at": moment(ago(hours=1)),
              "measure-measure": "删除照片"},
             *({"action": name, f"{name}-text": text, f"{name}-on": ""}
               for name, text in support.ITEMS.items())]
    for data in posts:
        response = client.post(detail(incident), data)
        assert response.status_code == 302, (data, response.content.decode()[:2000])
    page = client.get(detail(incident)).content.decode()
    assert 'id="reported-late"' in page and 'id="close-refusal"' not in page
    assert client.post(detail(incident), {"action": "close"}).status_code == 302
    closed = Incident.objects.get(pk=incident.pk)
    assert closed.state == IncidentState.CLOSED and closed.education == support.ITEMS["education"]
    page = client.get(detail(incident)).content.decode()
    assert 'id="action-measure"' not in page and 'id="close-button"' not in page
    assert client.post(detail(incident), {"action": "close"}).status_code == 404


@pytest.mark.rule("I2")
def test_refusals_show_as_form_errors(client, people, reported):
    incident = reported(discovered_at=ago(hours=5))
    client.force_login(people["office"])
    refused = client.post(detail(incident), {"action": "close"})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.content.decode()
    before = client.post(detail(incident), {
        "action": "bureau_report", "bureau_report-reported_at": moment(ago(hours=6)),
        "bureau_report-reported_to": "保密局"})
    assert before.status_code == 400 and 'role="alert"' in before.content.decode()
    for bad in ({"action": "measure", "measure-taken_at": "x", "measure-measure": "封存"},
                {"action": "cause", "cause-text": "", "cause-on": ""},
                {"action": "cause", "cause-text": "x\x00", "cause-on": ""}):
        assert client.post(detail(incident), bad).status_code == 400, bad
    assert client.post(detail(incident), {"action": "other"}).status_code == 404
    assert not IncidentMeasure.objects.exists()
    assert Incident.objects.get(pk=incident.pk).state == IncidentState.OPEN


@pytest.mark.rule("L5")
def test_who_sees_the_forms(client, people, reported):
    confidential = reported(people["office"], level=Level.CONFIDENTIAL)
    secret = reported()
    client.force_login(people["office_secret"])
    assert client.get(detail(confidential)).status_code == 404
    assert 'id="action-measure"' in client.get(detail(secret)).content.decode()
    client.force_login(people["leader"])
    page = client.get(detail(secret)).content.decode()
    assert 'id="action-measure"' not in page
    assert client.post(detail(secret), {"action": "close"}).status_code == 404
    client.force_login(people["office2"])
    assert client.get(detail(secret)).status_code == 404


@pytest.mark.rule("I2")
def test_the_printed_report(client, people, handled):
    incident = handled()
    client.force_login(people["office"])
    assert f"/compliance/incidents/{incident.pk}/report.docx" in client.get(
        detail(incident)).content.decode()
    response = client.get(f"/compliance/incidents/{incident.pk}/report.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    cells = [[cell.text for cell in row.cells] for table in document.tables
             for row in table.rows]
    assert ["示范单位", "涉嫌泄密事件", "秘密", "已报告，查处中"] in cells
    assert cells[3][0] == "秘密级文件被个人手机拍照"
    assert any(row[2] == "删除照片" for row in cells)
    assert any(row[0] == "市国家保密局" and row[2] == "24小时内报告" for row in cells)
    items = {row[0]: row[1] for row in cells if row[0] in (
        "事件原因查清", "责任人员处理", "整改措施落实", "有关人员受到教育")}
    assert items == {"事件原因查清": support.ITEMS["cause"],
                     "责任人员处理": support.ITEMS["responsibility"],
                     "整改措施落实": support.ITEMS["rectification"],
                     "有关人员受到教育": support.ITEMS["education"]}
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "泄密事件报告" in text and "保密办负责人签字" in text
    client.force_login(people["office2"])
    assert client.get(f"/compliance/incidents/{incident.pk}/report.docx").status_code == 404
