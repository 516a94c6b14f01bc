"""Pages of inspections and rectifications (rules Q9, Q10): the list with its filters and
the start form, the sheet (results, rectification, evidence, completion refused with a
problem lacking its rectification — as a form error, never a 500), the ledger and its .xlsx,
the owner's page and the re-check, the printed forms; another unit's objects are 404."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.compliance import services_inspections as services
from baomi.compliance.models import Inspection, InspectionEvidence, Rectification

from .inspections_support import (  # noqa: F401
    STARTED_ON,
    check_all,
    inspection,
    items,
    office,
    other_unit,
    outsider,
    owner,
)


def item_url(inspection, item, action):
    return reverse("compliance:inspection_item_action", args=[inspection.pk, item.pk, action])


def test_the_office_starts_an_inspection_from_the_list(client, office):
    client.force_login(office)
    page = client.get(reverse("compliance:inspection_list"))
    assert page.status_code == 200 and b"inspection-form" in page.content
    response = client.post(reverse("compliance:inspection_list"), {
        "kind": "self", "library": "self_assessment_58", "started_on": "2026-03-10"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:inspection_detail",
                                           args=[inspection.pk])
    refused = client.post(reverse("compliance:inspection_list"), {
        "kind": "department", "library": "department_self_check", "started_on": "2026-03-10"})
    assert refused.status_code == 400 and "department" in refused.context["form"].errors
    assert Inspection.objects.count() == 1
    filtered = client.get(reverse("compliance:inspection_list"), {"kind": "bureau"})
    assert list(filtered.context["page"].items) == []
    assert client.get(reverse("compliance:inspection_list"), {"year": "x"}).status_code == 200


@pytest.mark.rule("Q10")
def test_the_sheet_records_results_rectifications_and_completion(client, office, owner,
                                                                  inspection, settings,
                                                                  tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office)
    first, *rest = items(inspection)
    for item in rest:
        services.record_item_result(office, item, result="pass")
    no_finding = client.post(item_url(inspection, first, "result"), {"result": "problem"})
    assert no_finding.status_code == 400 and "finding_required" not in no_finding.content.decode()
    response = client.post(item_url(inspection, first, "result"),
                           {"result": "problem", "finding": "责任书未签订"})
    assert response.status_code == 302
    refused = client.post(reverse("compliance:inspection_complete", args=[inspection.pk]),
                          {"finished_on": "2026-03-11"})
    assert refused.status_code == 422
    assert refused.context["complete_form"].non_field_errors()
    early = client.post(item_url(inspection, first, "rectification"),
                        {"owner": owner.pk, "due_on": "2026-03-01"})
    assert early.status_code == 400 and not Rectification.objects.exists()
    client.post(item_url(inspection, first, "rectification"),
                {"owner": owner.pk, "due_on": "2026-04-10"})
    assert Rectification.objects.get().owner == owner
    client.post(item_url(inspection, first, "evidence"),
                {"title": "照片", "file": SimpleUploadedFile("a.jpg", b"\xff\xd8")})
    evidence = InspectionEvidence.objects.get()
    download = client.get(reverse("compliance:inspection_evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\xff\xd8"
    done = client.post(reverse("compliance:inspection_complete", args=[inspection.pk]),
                       {"finished_on": "2026-03-11"})
    assert done.status_code == 302
    assert Inspection.objects.get().state == "completed"
    sheet = client.get(reverse("compliance:inspection_detail", args=[inspection.pk]))
    assert b"complete-form" not in sheet.content and b"rectification-link" in sheet.content


@pytest.mark.rule("Q10")
def test_the_owner_records_measures_and_the_office_re_checks(client, office, owner,
                                                             inspection):
    check_all(office, inspection, problems={"A05-01"}, rectify_owner=owner)
    rectification = Rectification.objects.get()
    url = reverse("compliance:rectification_detail", args=[rectification.pk])
    client.force_login(owner)
    mine = client.get(reverse("compliance:my_rectifications"))
    assert [r.pk for r in mine.context["page"].items] == [rectification.pk]
    assert client.get(reverse("compliance:rectification_list")).status_code == 404
    page = client.get(url)
    assert page.context["can_record"] and not page.context["can_recheck"]
    empty = client.post(url, {"action": "measures", "measures": "", "done_on": "2026-03-20"})
    assert empty.status_code == 400
    client.post(url, {"action": "measures", "measures": "已书面授权", "done_on": "2026-03-20"})
    client.force_login(office)
    failed = client.post(url, {"action": "recheck", "passed": "no", "note": "授权书未盖章",
                               "checked_on": "2026-03-21"})
    assert failed.status_code == 400 and "new_due_on" in failed.context["recheck_form"].errors
    client.post(url, {"action": "recheck", "passed": "no", "note": "授权书未盖章",
                      "checked_on": "2026-03-21", "new_due_on": "2026-04-21"})
    rectification.refresh_from_db()
    assert (rectification.state, rectification.due_on) == ("open", dt.date(2026, 4, 21))
    ledger = client.get(reverse("compliance:rectification_list"), {"overdue": "1"})
    assert [r.pk for r in ledger.context["page"].items] == [rectification.pk]
    assert list(client.get(reverse("compliance:rectification_list"),
                           {"state": "verified"}).context["page"].items) == []


@pytest.mark.rule("Q9")
def test_the_printed_record_and_the_ledger_export(client, office, owner, inspection, unit):
    check_all(office, inspection, problems={"A06-03"}, rectify_owner=owner)
    services.complete_inspection(office, inspection, finished_on=STARTED_ON)
    client.force_login(office)
    response = client.get(reverse("compliance:inspection_docx", args=[inspection.pk]))
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "保密工作自查自评表"
    header = document.tables[0]
    assert [c.text for c in header.rows[1].cells] == [unit.name, "单位自查自评", "—", "2026年"]
    item_tables = [t for t in document.tables if t.rows[0].cells[0].text == "编号"]
    assert len(item_tables) == 13
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in item_tables for r in t.rows[1:]}
    assert rows["A06-03"][3:] == ["存在问题", "A06-03 存在问题"]
    assert rows["A01-01"][3] == "符合"
    rectified = document.tables[-1]
    assert [c.text for c in rectified.rows[1].cells][:5] == [
        "1", "A06-03", "A06-03 存在问题", owner.person.name, "2026年4月9日"]
    assert any("存在问题1项" in p.text for p in document.paragraphs)
    export = client.get(reverse("compliance:rectification_export"))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values[0]) == 12
    assert values[1][2:5] == ("A06-03", "A06-03 存在问题", owner.person.name)
    assert values[1][5].date() == dt.date(2026, 4, 9)
    notice = client.get(reverse("compliance:rectification_notice",
                                args=[Rectification.objects.get().pk]))
    assert Document(io.BytesIO(notice.content)).paragraphs[0].text == "保密工作整改通知书"


def test_another_unit_and_the_admins_see_nothing(client, office, inspection, outsider,
                                                 secadmin, make_user, owner):
    check_all(office, inspection, problems={"A01-01"}, rectify_owner=owner)
    rectification = Rectification.objects.get()
    urls = [reverse("compliance:inspection_detail", args=[inspection.pk]),
            reverse("compliance:inspection_docx", args=[inspection.pk]),
            reverse("compliance:rectification_detail", args=[rectification.pk]),
            reverse("compliance:rectification_notice", args=[rectification.pk])]
    for user in (outsider, secadmin, make_user("someone", roles=[Role.STAFF])):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(outsider)
    assert client.post(item_url(inspection, items(inspection)[1], "result"),
                       {"result": "pass"}).status_code == 404
    client.force_login(secadmin)
    assert client.get(reverse("compliance:inspection_list")).status_code == 404
    assert client.get(reverse("compliance:my_rectifications")).status_code == 404
