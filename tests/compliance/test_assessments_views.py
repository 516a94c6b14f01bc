"""Assessment pages (rules Q2, Q3): the 保密办 and leaders of the unit open them, anyone else
and another unit's assessment get a 404; the forms start, score and complete an assessment
and show a service's refusal on the field; the standards page imports YAML with every
problem listed; the printed 评分表 holds the items, points and the result."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance.choices_assessments import AssessmentState
from baomi.compliance.models import Assessment, AssessmentScore, Standard
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

from .assessments_support import consulting, entries, office, scored, start
from .test_assessments_standards import SMALL

__all__ = ["consulting", "office"]
LIST = "/compliance/assessments/"
STANDARDS = "/compliance/standards/"


def sheet_data(assessment, lose=None, unmet=(), notes=None):
    """The POST of the scoring sheet for `entries(...)`."""
    data = {}
    rows = {r.item_code: r for r in assessment.scores.all()}
    for entry in entries(assessment, lose, unmet, notes):
        row = rows[entry["item"]]
        if row.veto:
            data[f"met_{row.position}"] = "yes" if entry["met"] else "no"
        else:
            data[f"awarded_{row.position}"] = str(entry["awarded"])
        data[f"note_{row.position}"] = entry["note"]
    return data


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE)


@pytest.mark.rule("Q3")
def test_the_office_starts_scores_and_completes_an_assessment(client, office, consulting):
    client.force_login(office)
    response = client.get(LIST)
    assert response.status_code == 200
    response = client.post(LIST, {"standard": consulting.pk, "year": "2026",
                                  "assessed_on": "2026-11-10", "kind": "self",
                                  "assessor_names": "刘保密、韩磊", "note": ""})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{assessment.pk}/")
    sheet = client.get(response.url)
    assert sheet.status_code == 200 and 'data-item="basic.1"' in sheet.content.decode()
    data = sheet_data(assessment, lose={"staff.4": 5}, unmet={"basic.3"},
                      notes={"basic.3": "经营业绩未连续2年盈利"})
    assert client.post(response.url, data).status_code == 302
    done = client.post(f"{LIST}{assessment.pk}/complete/")
    assert done.status_code == 302 and done.url.endswith("/result/")
    assessment.refresh_from_db()
    assert (assessment.state, assessment.score, assessment.passed, assessment.vetoed) == (
        AssessmentState.COMPLETED, 95, False, True)
    page = client.get(done.url).content.decode()
    assert 'data-passed="no"' in page and 'id="vetoes-failed"' in page
    assert "经营业绩未连续2年盈利" in page
    assert client.get(f"{LIST}{assessment.pk}/").status_code == 302  # the sheet is locked


@pytest.mark.rule("Q3")
def test_points_above_the_item_show_on_its_field(client, office, consulting):
    assessment = start(office, consulting)
    client.force_login(office)
    row = AssessmentScore.objects.get(assessment=assessment, item_code="org.2")
    response = client.post(f"{LIST}{assessment.pk}/", {f"awarded_{row.position}": "3.5"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"awarded_{row.position}"]
    assert not AssessmentScore.objects.filter(awarded__isnull=False).exists()


@pytest.mark.rule("Q3")
def test_completing_an_unscored_sheet_shows_the_refusal(client, office, consulting):
    assessment = start(office, consulting)
    client.force_login(office)
    response = client.post(f"{LIST}{assessment.pk}/complete/")
    assert response.status_code == 422
    assert response.context["complete_error"]
    assert Assessment.objects.get().state == AssessmentState.DRAFT


def test_the_result_compares_with_last_year(client, office, consulting):
    scored(office, consulting, year=2025, lose={"org.1": 4, "site.2": 3})
    this = scored(office, consulting, year=2026, lose={"site.2": 1})
    client.force_login(office)
    html = client.get(f"{LIST}{this.pk}/result/").content.decode()
    assert 'id="assessment-delta"' in html
    site = re.search(r'<tr class="group" data-group="site" data-lost="([\d.]+)" '
                     r'data-delta="([-\d.]*)"', html)
    assert site and (site.group(1), site.group(2)) == ("1.0", "2.0")


def test_a_leader_reads_but_cannot_write(client, leader, office, consulting):
    assessment = start(office, consulting)
    client.force_login(leader)
    listing = client.get(LIST)
    assert listing.status_code == 200 and 'id="assessment-form"' not in listing.content.decode()
    sheet = client.get(f"{LIST}{assessment.pk}/").content.decode()
    assert 'id="score-sheet"' in sheet and 'id="assessment-complete"' not in sheet
    assert 'id="standard-import-form"' not in client.get(STANDARDS).content.decode()
    assert client.post(f"{LIST}{assessment.pk}/complete/").status_code == 403
    response = client.post(STANDARDS, {"definition": SMALL})
    assert response.status_code == 403 and not Standard.objects.filter(unit__isnull=False)


@pytest.mark.rule("T2")
def test_others_and_another_units_assessment_get_a_404(client, office, consulting, make_user,
                                                      sysadmin, secadmin, auditor):
    assessment = start(office, consulting)
    other = UnitFactory(name="另一单位", code="OTHER")
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=other,
                         category=Category.CORE)
    staff = make_user("staff", roles=[Role.STAFF], category=Category.CORE)
    for user in (stranger, staff, sysadmin, secadmin, auditor):
        client.force_login(user)
        for url in (f"{LIST}{assessment.pk}/", f"{LIST}{assessment.pk}/result/",
                    f"{LIST}{assessment.pk}/score-sheet.docx"):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"{LIST}{assessment.pk}/complete/").status_code == 404
    for user in (staff, sysadmin):
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert client.get(STANDARDS).status_code == 404
    client.force_login(office)
    assert client.get(f"{LIST}99999999999999999999/").status_code == 404


def test_importing_a_standard_from_a_file(client, office):
    client.force_login(office)
    upload = SimpleUploadedFile("small.yaml", SMALL.encode(), "application/x-yaml")
    response = client.post(STANDARDS, {"file": upload})
    standard = Standard.objects.get(code="small")
    assert response.status_code == 302 and response.url.endswith(f"/{standard.pk}/")
    detail = client.get(response.url).content.decode()
    assert 'data-item="a.1"' in detail
    listing = client.get(STANDARDS).content.decode()
    assert 'data-code="small"' in listing and 'data-code="consulting_unit"' in listing
    again = client.post(STANDARDS, {"definition": SMALL})
    assert again.status_code == 409


def test_an_invalid_standard_lists_every_problem(client, office):
    client.force_login(office)
    text = SMALL.replace("version: 1", "version: x").replace("pass_mark: 6", "pass_mark: -6")
    response = client.post(STANDARDS, {"definition": text})
    assert response.status_code == 400
    errors = response.context["form"].errors["definition"]
    assert any(e.startswith("version: ") for e in errors)
    assert any(e.startswith("pass_mark: ") for e in errors)
    for nonsense in ({"definition": "a: ["}, {},
                     {"file": SimpleUploadedFile("x.yaml", b"\xff\xfe\x00")}):
        assert client.post(STANDARDS, nonsense).status_code == 400
    assert not Standard.objects.filter(unit__isnull=False).exists()


def test_the_printed_score_sheet(client, office, consulting):
    assessment = scored(office, consulting, lose={"org.1": 1.5}, unmet={"basic.2"},
                        notes={"org.1": "分工不明确"})
    client.force_login(office)
    response = client.get(f"{LIST}{assessment.pk}/score-sheet.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    table = document.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "条件", "评分项目", "评分标准", "分值", "得分", "扣分说明"]
    assert cells[2][1] == "基本条件（终止项）"
    assert (cells[2][4], cells[2][5]) == ("终止项", "不符合")
    org1 = next(row for row in cells if row[2].startswith("成立保密委员会"))
    assert (org1[4], org1[5], org1[6]) == ("4", "2.5", "分工不明确")
    assert cells[-1][1] == "合计" and (cells[-1][4], cells[-1][5]) == ("100", "98.5")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "不合格（终止项不符合）" in text and "评审人员签字" in text
    assert len(cells) == 1 + 24 + 1


def test_the_assessments_export(client, office, consulting):
    scored(office, consulting, year=2025)
    scored(office, consulting, year=2026, unmet={"basic.1"})
    client.force_login(office)
    response = client.get(f"{LIST}export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0] == 2026 and rows[1][7] == 100
    assert rows[2][0] == 2025
    assert json.loads(AuditEvent.objects.get(action="ASSESSMENTS_EXPORTED").after) == {"rows": 2}
