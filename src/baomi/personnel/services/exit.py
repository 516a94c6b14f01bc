"""Writes of the exit of classified personnel (rule P10) and of the 脱密期 (rules P11–P14).

The 保密办 files the 离岗 or 离职; the approvals chain `approvals.chains.exit` decides it. The
last approval is refused while the person still holds carriers, devices or media (rule C9,
`personnel.custody`); it ends the posts held, withdraws clearance and access, and starts the
脱密期 from the approval date for the months the unit's policy gives the person's category.
The 保密办 then records the 离岗离职保密承诺书, the reminder talk and the revoked door access,
visits the person every `declassification.visit_interval_months` (rule P13) and, when the
period is over, files the 撤销备案 (rule P14), which releases the person.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.services import withdraw_access_on_exit
from baomi.audit.services import record_event
from baomi.core.calendar import add_months, period_last_day
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category
from baomi.core.policy import policy_of
from baomi.core.validation import clean_text

from ..choices import ExitKind, ExitState, FileState, VisitMethod
from ..custody import outstanding_custody
from ..models import DeclassificationVisit, ExitCase, PersonnelFile, PostHolding
from ..selectors.people import files_visible_to, manages_unit
from ..transitions import EXIT, FILE
from .people import apply_clearance

MAX_NAMES = 10
NAME_MAX = 50
TEXT_MAX = 2000
MAX_PERIOD_MONTHS = 600  # rule P11 allows longer periods; fifty years bounds typing errors

# rule P11: the policy setting of the 脱密期 of each category.
PERIOD_KEYS = {
    Category.CORE: "declassification.period_months.core",
    Category.IMPORTANT: "declassification.period_months.important",
    Category.GENERAL: "declassification.period_months.general",
}


# --- helpers -------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def _date(value: Any, field: str, *, not_after_today: bool = True) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid(field, _("Enter a valid date."))
    if not_after_today and value > _today():
        raise _invalid(field, _("The date cannot be in the future."), code="future_date")
    return value


def _not_before(value: dt.date, earliest: dt.date | None, field: str) -> None:
    if earliest is not None and value < earliest:
        raise _invalid(field, _("The date cannot be before %(date)s.")
                       % {"date": earliest.isoformat()}, code="date_too_early")


def _names(value: Any, field: str) -> list[str]:
    """Distinct non-empty names, in the order given."""
    if not isinstance(value, list | tuple) or len(value) > MAX_NAMES:
        raise _invalid(field, _("Give at most %(max)d names.") % {"max": MAX_NAMES})
    names: list[str] = []
    for raw in value:
        name = clean_text(raw, field, NAME_MAX)
        if name not in names:
            names.append(name)
    return names


def _require_office(actor: Any, file: PersonnelFile) -> None:
    """The 保密办 of the unit; whoever only sees the file is refused, others learn nothing."""
    if actor is not None and manages_unit(actor, file.unit_id):
        return
    if actor is None or not files_visible_to(actor).filter(pk=file.pk).exists():
        raise NotFound()
    raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                       code="not_secrecy_office")


def _locked_case(actor: Any, case: ExitCase) -> ExitCase:
    _require_office(actor, case.file)
    return (ExitCase.objects.select_for_update(of=("self",))
            .select_related("file", "file__person", "file__unit").get(pk=case.pk))


def _refresh(case: ExitCase, fresh: ExitCase) -> ExitCase:
    for field in ExitCase._meta.concrete_fields:
        setattr(case, field.attname, getattr(fresh, field.attname))
    return case


def _require_state(case: ExitCase, file_state: str) -> None:
    if case.state != ExitState.APPROVED or case.file.state != file_state:
        raise Conflict(_("This action is not possible in the current state (%(state)s).")
                       % {"state": case.file.get_state_display()}, code="illegal_transition")


def period_months_of(file: PersonnelFile) -> int:
    """rule P11: the 脱密期 of the file's category in the unit's policy profile."""
    key = PERIOD_KEYS.get(Category(file.category), PERIOD_KEYS[Category.GENERAL])
    return int(policy_of(file.unit)[key])


def period_end(start: dt.date, months: int) -> dt.date:
    """rule P11: the last day of a 脱密期 of `months` counted from `start` (the approval date)."""
    return period_last_day(start, months)


def next_visit_due(file: PersonnelFile, last: dt.date, ends_on: dt.date) -> dt.date | None:
    """rule P13: the next 回访 is due `declassification.visit_interval_months` after the last
    one (or after the start); none once that falls after the end of the period."""
    due = add_months(last, int(policy_of(file.unit)["declassification.visit_interval_months"]))
    return due if due <= ends_on else None


# --- filing and deciding the exit (rule P10) -------------------------------------------------


def file_exit(actor: Any, file: PersonnelFile, *, kind: str, leave_on: dt.date, reason: str,
              destination: str = "") -> ExitCase:
    """rule P10: the 保密办 files a 离岗 or 离职 of a person in post and submits it to the
    approvals chain `exit`; the file is 离岗审批中 until it is decided."""
    if kind not in ExitKind.values:
        raise _invalid("kind", _("Choose whether the person leaves the post or the unit."))
    leave_on = _date(leave_on, "leave_on", not_after_today=False)
    reason = clean_text(reason, "reason", TEXT_MAX)
    destination = clean_text(destination, "destination", 200, required=False)
    try:
        with transaction.atomic():
            _require_office(actor, file)
            fresh = PersonnelFile.objects.select_for_update(of=("self",)).select_related(
                "person", "person__department", "unit").get(pk=file.pk)
            _not_before(leave_on, fresh.in_post_since, "leave_on")
            FILE.apply(fresh, FileState.LEAVING)
            case = ExitCase.objects.create(
                file=fresh, kind=kind, leave_on=leave_on, reason=reason,
                destination=destination, category=fresh.category, created_by=actor)
            case.request = _submit(actor, case)
            ExitCase.objects.filter(pk=case.pk).update(request=case.request)
            record_event(actor, "EXIT_FILED", case,
                         after={"file": fresh.pk, "kind": kind, "leave_on": leave_on.isoformat(),
                                "request": case.request.pk})
    except IntegrityError:  # exit_case_one_open: a concurrent filing won
        raise Conflict(_("An exit of this person is already in progress."),
                       code="exit_open") from None
    file.state = FileState.LEAVING
    return case


def _submit(actor: Any, case: ExitCase) -> Any:
    from baomi.approvals.services import submit_request

    from ..request_types import ExitRequest, exit_payload

    title = _("%(kind)s: %(person)s") % {"kind": case.get_kind_display(),
                                         "person": case.file.person.name}
    return submit_request(actor, ExitRequest.code, title=title[:200],
                          payload=exit_payload(case), subject=case)


def custody_refusal(file: PersonnelFile) -> RuleViolation | None:
    """rule C9: what the person still holds blocks the exit; None when nothing is left."""
    items = outstanding_custody(file.person)
    if not items:
        return None
    listed = "、".join(f"{item.kind} {item.reference}" for item in items[:10])
    if len(items) > 10:
        listed += _(" and %(count)d more") % {"count": len(items) - 10}
    return RuleViolation(
        _("The exit cannot be approved while the person still holds: %(items)s.")
        % {"items": listed}, code="custody_outstanding", rule="C9")


def conclude_exit(actor: Any, case: ExitCase, *, approved: bool) -> ExitCase:
    """The approvals engine decided (request type `exit`); runs in its transaction."""
    fresh = (ExitCase.objects.select_for_update(of=("self",))
             .select_related("file", "file__person", "file__unit").get(pk=case.pk))
    file = fresh.file
    if not approved:
        EXIT.apply(fresh, ExitState.REJECTED)
        FILE.apply(file, FileState.IN_POST)
        record_event(actor, "EXIT_REJECTED", fresh, before={"state": ExitState.PENDING},
                     after={"state": fresh.state})
        return _refresh(case, fresh)
    refusal = custody_refusal(file)
    if refusal is not None:  # rule C9
        raise refusal
    today = _today()
    months = period_months_of(file)
    ends_on = period_end(today, months)
    PostHolding.objects.filter(person_id=file.person_id, ended_on__isnull=True).update(
        ended_on=today)
    apply_clearance(file.person, Category.NONE)  # rule L2: no new access from today
    withdrawn = withdraw_access_on_exit(  # rule P10
        actor, file.person, leaves_unit=fresh.kind == ExitKind.LEAVE_UNIT,
        reason=str(_("Exit approved")))
    FILE.apply(file, FileState.DECLASSIFYING, left_on=today, declassification_ends_on=ends_on)
    EXIT.apply(fresh, ExitState.APPROVED, approved_on=today, period_months=months,
               ends_on=ends_on, access_withdrawn=withdrawn,
               next_visit_due_on=next_visit_due(file, today, ends_on))
    record_event(actor, "EXIT_APPROVED", fresh, before={"state": ExitState.PENDING},
                 after={"state": fresh.state, "kind": fresh.kind, "approved_on": today.isoformat(),
                        "period_months": months, "ends_on": ends_on.isoformat(),
                        "category": fresh.category, "access": withdrawn})
    return _refresh(case, fresh)


def withdraw_exit(actor: Any, case: ExitCase) -> ExitCase:
    """The requester took the exit request back (approvals engine): the person stays in post."""
    fresh = (ExitCase.objects.select_for_update(of=("self",)).select_related("file")
             .get(pk=case.pk))
    EXIT.apply(fresh, ExitState.WITHDRAWN)
    FILE.apply(fresh.file, FileState.IN_POST)
    record_event(actor, "EXIT_WITHDRAWN", fresh, before={"state": ExitState.PENDING},
                 after={"state": fresh.state})
    return _refresh(case, fresh)


# --- after the approval (rule P10) -----------------------------------------------------------


def record_exit_commitment(actor: Any, case: ExitCase, *, signed_on: dt.date,
                           text_version: str) -> ExitCase:
    """rule P10: the 离岗离职保密承诺书 signed (once), with the version of its text."""
    signed_on = _date(signed_on, "signed_on")
    text_version = clean_text(text_version, "text_version", 50)
    with transaction.atomic():
        fresh = _locked_case(actor, case)
        _require_state(fresh, FileState.DECLASSIFYING)
        _not_before(signed_on, timezone.localdate(fresh.created_at), "signed_on")
        updated = ExitCase.objects.filter(pk=fresh.pk, committed_on__isnull=True).update(
            committed_on=signed_on, commitment_version=text_version)
        if updated != 1:
            raise Conflict(_("The exit commitment is already recorded."),
                           code="already_recorded")
        fresh.committed_on, fresh.commitment_version = signed_on, text_version
        record_event(actor, "EXIT_COMMITMENT_RECORDED", fresh,
                     after={"signed_on": signed_on.isoformat(), "text_version": text_version})
    return _refresh(case, fresh)


def record_exit_talk(actor: Any, case: ExitCase, *, held_on: dt.date, talkers: Any,
                     notes: str = "") -> ExitCase:
    """rule P10: the 保密提醒谈话 on leaving is held by at least two people (once)."""
    names = _names(talkers, "talkers")
    if len(names) < 2:  # rule P10
        raise RuleViolation(_("The reminder talk is held by at least two people."),
                            code="two_talkers", rule="P10",
                            fields={"talkers": _("Name at least two people.")})
    held_on = _date(held_on, "held_on")
    notes = clean_text(notes, "notes", TEXT_MAX, required=False)
    with transaction.atomic():
        fresh = _locked_case(actor, case)
        _require_state(fresh, FileState.DECLASSIFYING)
        _not_before(held_on, timezone.localdate(fresh.created_at), "held_on")
        updated = ExitCase.objects.filter(pk=fresh.pk, talk_on__isnull=True).update(
            talk_on=held_on, talkers=names, talk_notes=notes)
        if updated != 1:
            raise Conflict(_("The reminder talk is already recorded."), code="already_recorded")
        fresh.talk_on, fresh.talkers, fresh.talk_notes = held_on, names, notes
        record_event(actor, "EXIT_TALK_RECORDED", fresh,
                     after={"held_on": held_on.isoformat(), "talkers": names})
    return _refresh(case, fresh)


def record_door_access_revoked(actor: Any, case: ExitCase, *, revoked_on: dt.date) -> ExitCase:
    """rule P10: door and building access (outside baomi) recorded as revoked (once)."""
    revoked_on = _date(revoked_on, "revoked_on")
    with transaction.atomic():
        fresh = _locked_case(actor, case)
        _require_state(fresh, FileState.DECLASSIFYING)
        _not_before(revoked_on, timezone.localdate(fresh.created_at), "revoked_on")
        updated = ExitCase.objects.filter(pk=fresh.pk, door_access_revoked_on__isnull=True
                                          ).update(door_access_revoked_on=revoked_on)
        if updated != 1:
            raise Conflict(_("The revoked door access is already recorded."),
                           code="already_recorded")
        fresh.door_access_revoked_on = revoked_on
        record_event(actor, "EXIT_DOOR_ACCESS_REVOKED", fresh,
                     after={"revoked_on": revoked_on.isoformat()})
    return _refresh(case, fresh)


def missing_formalities(case: ExitCase) -> list[str]:
    """What rule P10 still needs after the approval, for people to read."""
    missing = []
    if case.committed_on is None:
        missing.append(str(_("exit commitment")))
    if case.talk_on is None:
        missing.append(str(_("reminder talk")))
    if case.door_access_revoked_on is None:
        missing.append(str(_("door access revoked")))
    return missing


# --- the 脱密期 (rules P11–P14) ----------------------------------------------------------------


def extend_declassification(actor: Any, case: ExitCase, *, months: Any,
                            reason: str) -> ExitCase:
    """rule P11: a person who knows much may be kept longer; the period only grows."""
    if isinstance(months, bool) or not isinstance(months, int) or not (
            0 < months <= MAX_PERIOD_MONTHS):
        raise _invalid("months", _("Enter the new length in months."))
    reason = clean_text(reason, "reason", TEXT_MAX)
    with transaction.atomic():
        fresh = _locked_case(actor, case)
        _require_state(fresh, FileState.DECLASSIFYING)
        assert fresh.approved_on is not None and fresh.period_months is not None
        if months <= fresh.period_months:  # rule P11: never shorter than what applies
            raise RuleViolation(
                _("The declassification period can only be extended beyond %(months)d months.")
                % {"months": fresh.period_months}, code="period_not_longer", rule="P11",
                fields={"months": _("Enter more months than now.")})
        before = {"period_months": fresh.period_months, "ends_on": _iso(fresh.ends_on)}
        ends_on = period_end(fresh.approved_on, months)
        last = fresh.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
        next_due = next_visit_due(fresh.file, last or fresh.approved_on, ends_on)
        ExitCase.objects.filter(pk=fresh.pk).update(period_months=months, ends_on=ends_on,
                                                    next_visit_due_on=next_due)
        PersonnelFile.objects.filter(pk=fresh.file_id).update(declassification_ends_on=ends_on)
        fresh.period_months, fresh.ends_on, fresh.next_visit_due_on = months, ends_on, next_due
        record_event(actor, "DECLASSIFICATION_EXTENDED", fresh, before=before,
                     after={"period_months": months, "ends_on": ends_on.isoformat()},
                     reason=reason)
    return _refresh(case, fresh)


def record_declassification_visit(actor: Any, case: ExitCase, *, visited_on: dt.date,
                                  method: str, visitors: Any, current_employer: str = "",
                                  restrictions_kept: bool = True,
                                  findings: str = "") -> DeclassificationVisit:
    """rule P13: a 回访 during the 脱密期 (the 脱密期回访记录表); the next one falls due
    `declassification.visit_interval_months` later. A visit finding the rule P12 restrictions
    broken must say what was found."""
    if method not in VisitMethod.values:
        raise _invalid("method", _("Choose how the visit was made."))
    names = _names(visitors, "visitors")
    if not names:
        raise _invalid("visitors", _("Name who visited."))
    visited_on = _date(visited_on, "visited_on")
    current_employer = clean_text(current_employer, "current_employer", 200, required=False)
    findings = clean_text(findings, "findings", TEXT_MAX, required=False)
    if not isinstance(restrictions_kept, bool):
        raise _invalid("restrictions_kept", _("Say whether the restrictions were kept."))
    if not restrictions_kept and not findings:  # rule P12
        raise _invalid("findings", _("Describe what was found when a restriction was broken."),
                       code="findings_required")
    with transaction.atomic():
        fresh = _locked_case(actor, case)
        _require_state(fresh, FileState.DECLASSIFYING)
        assert fresh.approved_on is not None and fresh.ends_on is not None
        _not_before(visited_on, fresh.approved_on, "visited_on")
        if visited_on > fresh.ends_on:
            raise _invalid("visited_on", _("The visit falls after the end of the period."),
                           code="after_period")
        visit = DeclassificationVisit.objects.create(
            exit=fresh, visited_on=visited_on, method=method, visitors=names,
            current_employer=current_employer, restrictions_kept=restrictions_kept,
            findings=findings, recorded_by=actor)
        last = max(visited_on, *fresh.visits.values_list("visited_on", flat=True))
        fresh.next_visit_due_on = next_visit_due(fresh.file, last, fresh.ends_on)
        ExitCase.objects.filter(pk=fresh.pk).update(next_visit_due_on=fresh.next_visit_due_on)
        record_event(actor, "DECLASSIFICATION_VISIT_RECORDED", fresh,
                     after={"visit": visit.pk, "visited_on": visited_on.isoformat(),
                            "visitors": names, "restrictions_kept": restrictions_kept,
                            "next_visit_due_on": _iso(fresh.next_visit_due_on)})
    _refresh(case, fresh)
    return visit


def release_from_declassification(actor: Any, case: ExitCase, *, withdrawn_on: dt.date,
                                  reference: str = "") -> ExitCase:
    """rule P14: after the last day of the 脱密期 the unit files the 撤销备案 with the
    保密局; the person is then 已解脱."""
    withdrawn_on = _date(withdrawn_on, "withdrawn_on")
    reference = clean_text(reference, "reference", 100, required=False)
    with transaction.atomic():
        fresh = _locked_case(actor, case)
        _require_state(fresh, FileState.DECLASSIFYING)
        assert fresh.ends_on is not None
        if withdrawn_on <= fresh.ends_on:  # rule P14: the period must be over
            raise RuleViolation(
                _("The declassification period runs until %(date)s; the filing can be "
                  "withdrawn from the day after.") % {"date": fresh.ends_on.isoformat()},
                code="period_not_over", rule="P14",
                fields={"withdrawn_on": _("Choose a date after the end of the period.")})
        FILE.apply(fresh.file, FileState.RELEASED)
        ExitCase.objects.filter(pk=fresh.pk).update(
            filing_withdrawn_on=withdrawn_on, filing_reference=reference, next_visit_due_on=None)
        fresh.filing_withdrawn_on, fresh.filing_reference = withdrawn_on, reference
        fresh.next_visit_due_on = None
        record_event(actor, "DECLASSIFICATION_RELEASED", fresh,
                     after={"withdrawn_on": withdrawn_on.isoformat(), "reference": reference})
    return _refresh(case, fresh)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
