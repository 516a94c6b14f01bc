"""Writes of inspections and rectifications (rules Q9, Q10).

The 保密办 of a unit starts an inspection on a checklist library (the items are copied, so a
later library version never changes it), records each item's result, finding and evidence,
opens a rectification (整改) with an owner and a due day for every problem, and completes the
inspection — refused while a problem has no rectification (rule Q10). The owner records the
measures taken; the 保密办 re-checks: passed → verified; failed → open again with a new due
day, the re-check kept as a `RectificationCheck`.

Every write checks access and input, moves states with a compare-and-set and records its
audit event in one transaction: a refused action leaves nothing behind, and of two concurrent
actions exactly one wins.
"""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Unit, User
from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, Conflict, NotFound, RuleViolation
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from .checklists import checklist
from .choices_inspections import InspectionKind, InspectionState, ItemResult, RectificationState
from .models import (
    Inspection,
    InspectionEvidence,
    InspectionItem,
    Rectification,
    RectificationCheck,
)
from .services import invalid, require_office

TITLE_MAX = 200
INSPECTORS_MAX = 300
FINDING_MAX = 2000
PROBLEM_MAX = 2000
MEASURES_MAX = 2000
NOTE_MAX = 1000
EVIDENCE_TITLE_MAX = 200
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "docx", "xlsx", "txt"})
YEAR_MIN, YEAR_MAX = 2000, 2100

INSPECTION = table("state", [(InspectionState.DRAFT, InspectionState.COMPLETED, None)])
RECTIFICATION = table("state", [
    (RectificationState.OPEN, RectificationState.DONE, None),
    (RectificationState.DONE, RectificationState.VERIFIED, None),
    (RectificationState.DONE, RectificationState.OPEN, None),
])


def _day(value: Any, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise invalid(field, _("Enter a valid date."))
    return value


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field, _("Choose yes or no."))
    return value


def _checked_unit(unit: Any) -> Unit:
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    return unit


def _department(department: Any, unit: Unit, kind: str) -> Department | None:
    if department is None:
        if kind == InspectionKind.DEPARTMENT:
            raise invalid("department", _("A department check names the department."),
                           code="department_required")
        return None
    if not isinstance(department, Department) or department.unit_id != unit.pk:
        raise invalid("department")
    return department


def _draft(inspection: Inspection) -> None:
    if inspection.state != InspectionState.DRAFT:
        raise Conflict(_("The inspection is completed; it no longer changes."),
                       code="inspection_completed")


def _fresh_inspection(inspection: Any) -> Inspection:
    """The inspection re-read and locked for the rest of the transaction."""
    if not isinstance(inspection, Inspection) or inspection.pk is None:
        raise NotFound()
    found = Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    if found is None:
        raise NotFound()
    return found


def inspection_values(inspection: Inspection) -> dict[str, Any]:
    return {"kind": inspection.kind, "title": inspection.title, "year": inspection.year,
            "library": f"{inspection.library_id}@{inspection.library_version}",
            "department": inspection.department_id, "state": inspection.state,
            "started_on": inspection.started_on.isoformat(),
            "finished_on": inspection.finished_on.isoformat()
            if inspection.finished_on else None}


def start_inspection(actor: Any, *, unit: Unit, kind: str, library: str, title: str = "",
                     started_on: dt.date | None = None, department: Department | None = None,
                     inspectors: str = "") -> Inspection:
    """The 保密办 starts an inspection of `unit` on a shipped library: its items are copied
    (rule Q9: a self-assessment on `self_assessment_58` covers the 13 areas of 条例§58)."""
    unit = _checked_unit(unit)
    office = require_office(actor, unit)
    if not isinstance(kind, str) or kind not in InspectionKind.values:
        raise invalid("kind")
    library_ = checklist(library)
    day = _day(started_on or timezone.localdate(), "started_on")
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise invalid("started_on", _("Enter a valid date."))
    department_ = _department(department, unit, kind)
    fields = {
        "title": clean_text(title, "title", TITLE_MAX, required=False) or library_.title,
        "inspectors": clean_text(inspectors, "inspectors", INSPECTORS_MAX, required=False)}
    with transaction.atomic():
        inspection = Inspection.objects.create(
            unit=unit, kind=kind, library_id=library_.id, library_version=library_.version,
            department=department_, year=day.year, started_on=day, created_by=office,
            **fields)
        InspectionItem.objects.bulk_create(
            InspectionItem(inspection=inspection, position=position, area_code=area.code,
                           area_title=area.title, code=item.code, text=item.text,
                           rules=", ".join(item.rules), guidance=item.guidance)
            for position, (area, item) in enumerate(
                ((area, item) for area in library_.areas for item in area.items), start=1))
        record_event(actor, "INSPECTION_STARTED", inspection,
                     after=inspection_values(inspection))
    return inspection


def record_item_result(actor: Any, item: InspectionItem, *, result: str,
                       finding: str = "") -> InspectionItem:
    """The result of one item of a draft inspection, with what was found. A problem is
    described; an item whose rectification is open stays a problem (rule Q10)."""
    if not isinstance(item, InspectionItem) or item.pk is None:
        raise NotFound()
    if not isinstance(result, str) or result not in ItemResult.values:
        raise invalid("result")
    finding = clean_text(finding, "finding", FINDING_MAX, required=False)
    if result == ItemResult.PROBLEM and not finding:
        raise invalid("finding", _("Describe the problem found."), code="finding_required")
    with transaction.atomic():
        inspection = _fresh_inspection(item.inspection)
        require_office(actor, inspection.unit)
        _draft(inspection)
        fresh = InspectionItem.objects.select_for_update().get(pk=item.pk)
        if result != ItemResult.PROBLEM and Rectification.objects.filter(item=fresh).exists():
            raise Conflict(_("This item has a rectification; it stays a problem."),
                           code="rectification_exists")
        before = {"result": fresh.result, "finding": fresh.finding}
        fresh.result, fresh.finding = result, finding
        fresh.save(update_fields=["result", "finding"])
        record_event(actor, "INSPECTION_ITEM_RECORDED", fresh, before=before,
                     after={"code": fresh.code, "result": result, "finding": finding})
    return fresh


def file_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def add_evidence(actor: Any, item: InspectionItem, *, title: str,
                 uploaded_file: UploadedFile | None) -> InspectionEvidence:
    """Attach an evidence file (a photo, a scanned register page …) to an item of a draft
    inspection: at most 20 MB, of a type listed in EVIDENCE_EXTENSIONS."""
    if not isinstance(item, InspectionItem) or item.pk is None:
        raise NotFound()
    title = clean_text(title, "title", EVIDENCE_TITLE_MAX, required=False)
    name = str(getattr(uploaded_file, "name", "") or "")
    if uploaded_file is None or not name:
        raise invalid("file", _("Choose a file."), code="required")
    size = uploaded_file.size
    if size is None or size > EVIDENCE_MAX_BYTES:
        raise invalid("file", _("The file is too large (at most 20 MB)."), code="too_large")
    extension = file_extension(name)
    if extension not in EVIDENCE_EXTENSIONS:
        raise invalid("file", _("Allowed file types: %(types)s.") % {
            "types": ", ".join(sorted(EVIDENCE_EXTENSIONS))}, code="file_type")
    title = title or clean_text(name[-EVIDENCE_TITLE_MAX:], "file", EVIDENCE_TITLE_MAX)
    with transaction.atomic():
        inspection = _fresh_inspection(item.inspection)
        require_office(actor, inspection.unit)
        _draft(inspection)
        evidence = InspectionEvidence(item=item, title=title, size=size, uploaded_by=actor)
        evidence.file.save(f"inspection-{inspection.pk}-{item.pk}.{extension}", uploaded_file,
                           save=False)
        evidence.save()
        record_event(actor, "INSPECTION_EVIDENCE_ADDED", item,
                     after={"evidence": evidence.pk, "title": title, "size": size})
    return evidence


def _owner(owner: Any, unit: Unit) -> User:
    if not isinstance(owner, User) or not owner.is_active or owner.person.unit_id != unit.pk:
        raise invalid("owner", _("Choose an active user of the unit."))
    return owner


def rectification_values(rectification: Rectification) -> dict[str, Any]:
    return {"problem": rectification.problem, "owner": rectification.owner_id,
            "due_on": rectification.due_on.isoformat(), "state": rectification.state,
            "measures": rectification.measures,
            "done_on": rectification.done_on.isoformat() if rectification.done_on else None,
            "verified_on": rectification.verified_on.isoformat()
            if rectification.verified_on else None}


def open_rectification(actor: Any, item: InspectionItem, *, owner: User, due_on: dt.date,
                       problem: str = "") -> Rectification:
    """rule Q10: a problem found gets a rectification with an owner and a due day, not before
    the day of the inspection; one per item. `problem` defaults to the item's finding."""
    if not isinstance(item, InspectionItem) or item.pk is None:
        raise NotFound()
    due_on = _day(due_on, "due_on")
    with transaction.atomic():
        inspection = _fresh_inspection(item.inspection)
        office = require_office(actor, inspection.unit)
        _draft(inspection)
        fresh = InspectionItem.objects.get(pk=item.pk)
        if fresh.result != ItemResult.PROBLEM:
            raise Conflict(_("Only an item with a problem gets a rectification."),
                           code="not_a_problem")
        owner_ = _owner(owner, inspection.unit)
        # rule Q10: the due day cannot come before the inspection itself.
        if due_on < inspection.started_on:
            raise invalid("due_on", _("The due day cannot be before the inspection."),
                           code="due_before_inspection")
        text = clean_text(problem or fresh.finding, "problem", PROBLEM_MAX)
        if Rectification.objects.filter(item=fresh).exists():
            raise Conflict(_("This item already has a rectification."),
                           code="rectification_exists")
        try:
            with transaction.atomic():
                rectification = Rectification.objects.create(
                    unit=inspection.unit, item=fresh, problem=text, owner=owner_,
                    due_on=due_on, created_by=office)
        except IntegrityError:  # a concurrent request opened it first
            raise Conflict(_("This item already has a rectification."),
                           code="rectification_exists") from None
        record_event(actor, "RECTIFICATION_OPENED", rectification,
                     after={"item": fresh.code, "inspection": inspection.pk,
                            **rectification_values(rectification)})
    return rectification


def complete_inspection(actor: Any, inspection: Inspection, *,
                        finished_on: dt.date | None = None) -> Inspection:
    """Complete a draft inspection: every item checked, and every problem with its
    rectification (rule Q10). Refused otherwise, naming what is missing."""
    day = _day(finished_on or timezone.localdate(), "finished_on")
    with transaction.atomic():
        fresh = _fresh_inspection(inspection)
        require_office(actor, fresh.unit)
        _draft(fresh)
        if day < fresh.started_on:
            raise invalid("finished_on", _("The inspection cannot finish before it started."),
                           code="before_start")
        items = InspectionItem.objects.filter(inspection=fresh)
        unchecked = list(items.filter(result=ItemResult.UNCHECKED).values_list("code", flat=True)
                         [:5])
        if unchecked:
            raise RuleViolation(_("Items not checked yet: %(codes)s.") % {
                "codes": ", ".join(unchecked)}, code="items_unchecked")
        # rule Q10: every problem found has a rectification with an owner and a due day.
        lacking = list(items.filter(result=ItemResult.PROBLEM, rectification__isnull=True)
                       .values_list("code", flat=True)[:5])
        if lacking:
            raise RuleViolation(_("Problems without a rectification: %(codes)s.") % {
                "codes": ", ".join(lacking)}, code="problem_without_rectification", rule="Q10")
        before = inspection_values(fresh)
        INSPECTION.apply(fresh, InspectionState.COMPLETED, finished_on=day)
        record_event(actor, "INSPECTION_COMPLETED", fresh, before=before,
                     after=inspection_values(fresh))
    return fresh


def _fresh_rectification(rectification: Any) -> Rectification:
    if not isinstance(rectification, Rectification) or rectification.pk is None:
        raise NotFound()
    found = Rectification.objects.select_related("unit").filter(pk=rectification.pk).first()
    if found is None:
        raise NotFound()
    return found


def record_measures(actor: Any, rectification: Rectification, *, measures: str,
                    done_on: dt.date | None = None) -> Rectification:
    """The owner (or the 保密办) records the measures taken; the rectification then awaits
    the 保密办's re-check (rule Q10)."""
    fresh = _fresh_rectification(rectification)
    if not isinstance(actor, User) or actor.pk != fresh.owner_id:
        require_office(actor, fresh.unit)
    text = clean_text(measures, "measures", MEASURES_MAX)
    day = _day(done_on or timezone.localdate(), "done_on")
    with transaction.atomic():
        before = rectification_values(fresh)
        RECTIFICATION.apply(fresh, RectificationState.DONE, measures=text, done_on=day)
        record_event(actor, "RECTIFICATION_MEASURES_RECORDED", fresh, before=before,
                     after=rectification_values(fresh))
    return fresh


def recheck_rectification(actor: Any, rectification: Rectification, *, passed: bool,
                          note: str = "", checked_on: dt.date | None = None,
                          new_due_on: dt.date | None = None) -> RectificationCheck:
    """The 保密办 re-checks a rectification the owner has done (rule Q10): passed → verified;
    failed → open again, due `new_due_on` (required, not before the re-check). Each re-check
    is kept."""
    fresh = _fresh_rectification(rectification)
    office = require_office(actor, fresh.unit)
    passed = _flag(passed, "passed")
    note = clean_text(note, "note", NOTE_MAX, required=False)
    day = _day(checked_on or timezone.localdate(), "checked_on")
    if not passed:
        if new_due_on is None:
            raise invalid("new_due_on", _("A failed re-check sets a new due day."),
                           code="new_due_required")
        new_due_on = _day(new_due_on, "new_due_on")
        if new_due_on < day:
            raise invalid("new_due_on", _("The new due day cannot be before the re-check."),
                           code="due_before_recheck")
    with transaction.atomic():
        before = rectification_values(fresh)
        previous_due = fresh.due_on
        if passed:
            RECTIFICATION.apply(fresh, RectificationState.VERIFIED, verified_on=day)
        else:
            assert new_due_on is not None
            RECTIFICATION.apply(fresh, RectificationState.OPEN, due_on=new_due_on,
                                done_on=None)
        check = RectificationCheck.objects.create(
            rectification=fresh, checked_on=day, checked_by=office, passed=passed, note=note,
            previous_due_on=previous_due, new_due_on=None if passed else new_due_on)
        record_event(actor, "RECTIFICATION_VERIFIED" if passed else "RECTIFICATION_REOPENED",
                     fresh, before=before,
                     after={**rectification_values(fresh), "note": note})
    return check


def require_owner_or_office(actor: Any, rectification: Rectification) -> None:
    """Who may open a rectification's page and act on it: its owner or the 保密办."""
    if isinstance(actor, User) and actor.pk == rectification.owner_id:
        return
    try:
        require_office(actor, rectification.unit)
    except AccessDenied:
        raise NotFound() from None
