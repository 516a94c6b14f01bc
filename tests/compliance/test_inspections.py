"""Inspections and rectifications (rules Q9, Q10): starting an inspection on a library
snapshot, results, rectifications with owner and due day, completing (refused while a
problem lacks its rectification), the owner's measures and the 保密办's re-check cycle; every
refusal has a stable code and writes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_inspections as services
from baomi.compliance.models import (
    Inspection,
    InspectionEvidence,
    InspectionItem,
    Rectification,
    RectificationCheck,
)
from baomi.compliance.selectors_inspections import inspection_summary
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation

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

DUE = STARTED_ON + dt.timedelta(days=30)


@pytest.mark.rule("Q9")
def test_a_self_assessment_copies_the_13_areas_of_the_library(inspection, unit):
    rows = items(inspection)
    assert len({item.area_code for item in rows}) == 13
    assert inspection.library_id == "self_assessment_58" and inspection.library_version == 1
    assert (inspection.year, inspection.state, inspection.unit) == (2026, "draft", unit)
    assert all(item.result == "unchecked" for item in rows)
    assert AuditEvent.objects.filter(action="INSPECTION_STARTED").count() == 1


def test_bad_starts_are_refused(office, unit, department):
    for kwargs, code in [({"kind": "nope", "library": "self_assessment_58"}, "invalid"),
                         ({"kind": "self", "library": "nope"}, "unknown_library"),
                         ({"kind": "department", "library": "department_self_check"},
                          "department_required")]:
        with pytest.raises(InvalidInput) as error:
            services.start_inspection(office, unit=unit, **kwargs)
        assert error.value.code == code
    assert not Inspection.objects.exists()
    department_check = services.start_inspection(
        office, unit=unit, kind="department", library="department_self_check",
        department=department)
    assert department_check.department == department


def test_only_the_office_of_the_unit_starts_one(make_user, unit, outsider):
    staff = make_user("staff", roles=[Role.STAFF])
    for actor in (staff, outsider):
        with pytest.raises(AccessDenied):
            services.start_inspection(actor, unit=unit, kind="self",
                                      library="self_assessment_58")
    assert not Inspection.objects.exists()


def test_a_problem_needs_a_finding(office, inspection):
    item = items(inspection)[0]
    with pytest.raises(InvalidInput) as error:
        services.record_item_result(office, item, result="problem", finding=" ")
    assert error.value.code == "finding_required"
    with pytest.raises(InvalidInput):
        services.record_item_result(office, item, result="maybe")
    services.record_item_result(office, item, result="problem", finding="未签订责任书")
    item.refresh_from_db()
    assert (item.result, item.finding) == ("problem", "未签订责任书")


@pytest.mark.rule("Q10")
def test_completing_with_a_problem_lacking_a_rectification_is_refused(office, owner,
                                                                      inspection):
    check_all(office, inspection, problems={"A01-01", "A06-01"})
    with pytest.raises(RuleViolation) as error:
        services.complete_inspection(office, inspection, finished_on=STARTED_ON)
    assert error.value.code == "problem_without_rectification"
    assert "A01-01" in error.value.message and "A06-01" in error.value.message
    for code in ("A01-01", "A06-01"):
        services.open_rectification(office, InspectionItem.objects.get(
            inspection=inspection, code=code), owner=owner, due_on=DUE)
    done = services.complete_inspection(office, inspection, finished_on=STARTED_ON)
    assert (done.state, done.finished_on) == ("completed", STARTED_ON)
    assert Rectification.objects.filter(state="open", owner=owner).count() == 2


def test_completing_with_unchecked_items_is_refused(office, inspection):
    services.record_item_result(office, items(inspection)[0], result="pass")
    with pytest.raises(RuleViolation) as error:
        services.complete_inspection(office, inspection)
    assert error.value.code == "items_unchecked"
    assert Inspection.objects.get().state == "draft"


@pytest.mark.rule("Q10")
def test_the_due_day_is_not_before_the_inspection_day(office, owner, inspection):
    item = items(inspection)[0]
    services.record_item_result(office, item, result="problem", finding="制度未更新")
    with pytest.raises(InvalidInput) as error:
        services.open_rectification(office, item, owner=owner,
                                    due_on=STARTED_ON - dt.timedelta(days=1))
    assert error.value.code == "due_before_inspection"
    assert not Rectification.objects.exists()
    on_the_day = services.open_rectification(office, item, owner=owner, due_on=STARTED_ON)
    assert on_the_day.due_on == STARTED_ON and on_the_day.problem == "制度未更新"


def test_rectification_refusals(office, owner, inspection, outsider):
    first, second = items(inspection)[:2]
    services.record_item_result(office, first, result="pass")
    with pytest.raises(Conflict) as error:
        services.open_rectification(office, first, owner=owner, due_on=DUE)
    assert error.value.code == "not_a_problem"
    services.record_item_result(office, second, result="problem", finding="x")
    with pytest.raises(InvalidInput) as error:
        services.open_rectification(office, second, owner=outsider, due_on=DUE)
    assert error.value.fields.keys() == {"owner"}
    services.open_rectification(office, second, owner=owner, due_on=DUE)
    with pytest.raises(Conflict) as error:
        services.open_rectification(office, second, owner=owner, due_on=DUE)
    assert error.value.code == "rectification_exists"
    with pytest.raises(Conflict) as error:
        services.record_item_result(office, second, result="pass")
    assert error.value.code == "rectification_exists"
    assert Rectification.objects.count() == 1


def test_a_completed_inspection_no_longer_changes(office, inspection):
    check_all(office, inspection)
    services.complete_inspection(office, inspection)
    with pytest.raises(Conflict) as error:
        services.record_item_result(office, items(inspection)[0], result="not_applicable")
    assert error.value.code == "inspection_completed"
    with pytest.raises(Conflict):
        services.complete_inspection(office, inspection)


def test_evidence_files_are_limited(office, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = items(inspection)[0]
    with pytest.raises(InvalidInput) as error:
        services.add_evidence(office, item, title="x", uploaded_file=SimpleUploadedFile(
            "a.exe", b"MZ"))
    assert error.value.code == "file_type"
    with pytest.raises(InvalidInput) as error:
        services.add_evidence(office, item, title="x", uploaded_file=None)
    assert error.value.code == "required"
    big = SimpleUploadedFile("big.pdf", b"0")
    big.size = services.EVIDENCE_MAX_BYTES + 1
    with pytest.raises(InvalidInput) as error:
        services.add_evidence(office, item, title="x", uploaded_file=big)
    assert error.value.code == "too_large"
    evidence = services.add_evidence(office, item, title="责任书扫描件",
                                     uploaded_file=SimpleUploadedFile("scan.pdf", b"%PDF-1"))
    assert InspectionEvidence.objects.get() == evidence and evidence.size == 6
    assert evidence.file.read() == b"%PDF-1"


@pytest.mark.rule("Q10")
def test_the_re_check_cycle(office, owner, inspection, make_user):
    check_all(office, inspection, problems={"A03-02"}, rectify_owner=owner)
    services.complete_inspection(office, inspection, finished_on=STARTED_ON)
    rectification = Rectification.objects.get()
    stranger = make_user("stranger", roles=[Role.STAFF])
    with pytest.raises(AccessDenied):
        services.record_measures(stranger, rectification, measures="x")
    with pytest.raises(Conflict) as error:  # nothing done yet to re-check
        services.recheck_rectification(office, rectification, passed=True)
    assert error.value.code == "illegal_transition"
    services.record_measures(owner, rectification, measures="补充培训4学时",
                             done_on=DUE - dt.timedelta(days=2))
    with pytest.raises(InvalidInput) as error:
        services.recheck_rectification(office, rectification, passed=False, note="学时仍不足")
    assert error.value.code == "new_due_required"
    with pytest.raises(InvalidInput) as error:
        services.recheck_rectification(office, rectification, passed=False, checked_on=DUE,
                                       new_due_on=DUE - dt.timedelta(days=1))
    assert error.value.code == "due_before_recheck"
    with pytest.raises(AccessDenied):
        services.recheck_rectification(owner, rectification, passed=True)
    failed = services.recheck_rectification(office, rectification, passed=False,
                                            note="学时仍不足", checked_on=DUE,
                                            new_due_on=DUE + dt.timedelta(days=15))
    rectification.refresh_from_db()
    assert (rectification.state, rectification.due_on) == ("open",
                                                           DUE + dt.timedelta(days=15))
    assert (failed.passed, failed.previous_due_on) == (False, DUE)
    services.record_measures(owner, rectification, measures="再补充培训8学时")
    services.recheck_rectification(office, rectification, passed=True, note="已达标")
    rectification.refresh_from_db()
    assert rectification.state == "verified"
    assert list(RectificationCheck.objects.values_list("passed", flat=True)) == [False, True]
    assert AuditEvent.objects.filter(action__startswith="RECTIFICATION_").count() == 5


def test_an_object_of_another_kind_is_not_found(office):
    with pytest.raises(NotFound):
        services.record_measures(office, object(), measures="x")


@pytest.mark.rule("D11")
def test_the_summary_counts_the_year(office, owner, inspection, unit):
    check_all(office, inspection, problems={"A01-01", "A02-01"}, rectify_owner=owner,
              due_on=DUE)
    services.complete_inspection(office, inspection, finished_on=STARTED_ON)
    services.record_measures(owner, Rectification.objects.order_by("id").first(),
                             measures="已整改")
    summary = inspection_summary(unit, 2026, today=DUE + dt.timedelta(days=1))
    assert summary["by_kind"]["self"] == {"total": 1, "completed": 1}
    assert summary["by_kind"]["bureau"] == {"total": 0, "completed": 0}
    assert (summary["inspections"], summary["problems"], summary["rectifications"]) == (1, 2, 2)
    assert summary["rectifications_by_state"] == {"open": 1, "done": 1, "verified": 0}
    assert (summary["overdue"], summary["self_assessment_completed"]) == (1, True)
    assert inspection_summary(unit, 2026, today=DUE)["overdue"] == 0
    assert summary["device_check_findings"] == {"open": 0, "rectified": 0, "verified": 0,
                                                "overdue": 0}
    assert inspection_summary(unit, 2025)["inspections"] == 0
