"""The assessment API (rules Q2, Q3): the 保密办 imports a standard, starts an assessment,
scores it in bulk and completes it; a veto item not met fails it whatever its score; every
refusal is a 4xx with a stable code; another unit's objects are 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.accounts.roles import Role
from baomi.compliance.models import Assessment, Standard
from baomi.core.labels import Category
from baomi.core.testing.factories import UnitFactory

from .assessments_support import consulting, entries, office, scored, start
from .test_assessments_standards import SMALL

__all__ = ["consulting", "office"]
BASE = "/api/v1/compliance"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def as_json(rows):
    return [{**row, "awarded": float(row["awarded"])} if "awarded" in row else row
            for row in rows]


@pytest.mark.rule("Q3")
def test_the_office_scores_and_completes_an_assessment(client, office, consulting):
    client.force_login(office)
    standards = client.get(f"{BASE}/standards").json()["items"]
    shipped = next(s for s in standards if s["code"] == "consulting_unit")
    assert (shipped["unit_id"], shipped["total"], shipped["pass_mark"]) == (None, 100, 90)
    created = post(client, f"{BASE}/assessments", {
        "standard_id": shipped["id"], "year": 2026, "assessed_on": "2026-11-10",
        "kind": "review", "assessor_names": "审查组"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], len(body["scores"]), body["kind"]) == ("draft", 24, "review")
    assessment = Assessment.objects.get()
    rows = as_json(entries(assessment, lose={"staff.4": 5}, unmet={"basic.4"}))
    scored_ = post(client, f"{BASE}/assessments/{assessment.pk}/scores", {"scores": rows})
    assert scored_.status_code == 200, scored_.content
    done = post(client, f"{BASE}/assessments/{assessment.pk}/complete")
    assert done.status_code == 200, done.content
    result = done.json()
    assert (result["score"], result["passed"], result["vetoed"]) == (95, False, True)
    assert result["result"]["vetoes_failed"] == ["basic.4"]
    staff = next(g for g in result["result"]["groups"] if g["code"] == "staff")
    assert (staff["lost"], staff["delta"]) == (5, None)
    again = post(client, f"{BASE}/assessments/{assessment.pk}/complete")
    assert (again.status_code, again.json()["code"]) == (409, "completed")
    listing = client.get(f"{BASE}/assessments").json()
    assert [a["id"] for a in listing["items"]] == [assessment.pk]


@pytest.mark.rule("Q3")
def test_refusals_carry_their_codes(client, office, consulting):
    client.force_login(office)
    assessment = start(office, consulting)
    url = f"{BASE}/assessments/{assessment.pk}"
    too_many = post(client, f"{url}/scores", {"scores": [{"item": "org.1", "awarded": 4.5}]})
    assert (too_many.status_code, too_many.json()["code"]) == (400, "points_out_of_range")
    unscored = post(client, f"{url}/complete")
    assert (unscored.status_code, unscored.json()["code"]) == (422, "items_unscored")
    unknown = post(client, f"{url}/scores", {"scores": [{"item": "nope", "awarded": 1}]})
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_item")
    bad = post(client, f"{url}/scores", {"scores": [{"item": "org.1", "awarded": "NaN"}]})
    assert bad.status_code in (400, 422)


def test_importing_a_standard(client, office):
    client.force_login(office)
    created = post(client, f"{BASE}/standards", {"definition": SMALL})
    assert created.status_code == 201, created.content
    assert (created.json()["code"], created.json()["unit_id"]) == (
        "small", office.person.unit_id)
    assert created.json()["definition"]["groups"][0]["items"][0]["veto"] is True
    again = post(client, f"{BASE}/standards", {"definition": SMALL})
    assert (again.status_code, again.json()["code"]) == (409, "standard_exists")
    broken = post(client, f"{BASE}/standards", {"definition": "version: [\n"})
    assert (broken.status_code, broken.json()["code"]) == (400, "invalid_standard")
    assert "2" in broken.json()["fields"]["definition"]  # the line of the YAML error
    one = client.get(f"{BASE}/standards/{created.json()['id']}")
    assert one.status_code == 200 and one.json()["title"] == "小标准"
    assert Standard.objects.filter(unit__isnull=False).count() == 1


def test_another_units_objects_are_404(client, office, consulting, make_user):
    mine = scored(office, consulting, year=2025)
    other = UnitFactory(name="另一单位", code="OTHER")
    stranger = make_user("stranger", roles=[Role.SECRECY_OFFICE], unit=other,
                         category=Category.CORE)
    client.force_login(office)
    own = post(client, f"{BASE}/standards", {"definition": SMALL}).json()
    client.force_login(stranger)
    assert client.get(f"{BASE}/assessments/{mine.pk}").status_code == 404
    assert post(client, f"{BASE}/assessments/{mine.pk}/complete").status_code == 404
    assert client.get(f"{BASE}/standards/{own['id']}").status_code == 404
    assert client.get(f"{BASE}/assessments").json()["items"] == []
    refused = post(client, f"{BASE}/assessments", {
        "standard_id": own["id"], "year": 2026, "assessed_on": "2026-01-05"})
    assert refused.status_code == 404


def test_importing_a_standard_from_a_file(client, office):
    client.force_login(office)
    upload = SimpleUploadedFile("small.yaml", SMALL.encode(), "application/x-yaml")
    created = client.post(f"{BASE}/standards/file", {"file": upload})
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "small"
    latin = SimpleUploadedFile("bad.yaml", b"\xff\xfe\x00id", "application/x-yaml")
    refused = client.post(f"{BASE}/standards/file", {"file": latin})
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_standard")
