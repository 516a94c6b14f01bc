"""Writes of the unit's 资质/备案 records (rules Q3, Q4, Q6), by the 保密办 of the unit.

- A qualification is registered with its certificate; a 备案 is valid 3 years (rule Q4): with
  no expiry given it runs to the day before the same date 3 years on, and a 备案 never runs
  longer. It expires by itself (the daily job `compliance.qualification_expiry`), is revoked
  by the authority, or is superseded by the certificate of a passed renewal.
- An application (new or renewal) is filed, reviewed (scored out of 100, rule Q3) and, when
  passed, gets its certificate. After a failed review the unit files no application of the
  same type before 6 months have passed (rule Q3, code `reapply_too_soon`).
- A change of the unit is recorded with its report deadline, 10 working days after it
  occurred (rule Q6), and reported — late reports are kept and flagged.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Unit, User
from baomi.audit.services import record_event
from baomi.core.calendar import WorkingDay, add_months, add_working_days, period_last_day
from baomi.core.errors import Conflict, NotFound, RuleViolation
from baomi.core.policy import policy_of
from baomi.core.transitions import table
from baomi.core.validation import clean_text
from baomi.obligations.registry import daily_job

from .choices_qualification import (
    FILING_AMENDMENT_KINDS,
    NEW_FILING_KINDS,
    ApplicationKind,
    ApplicationResult,
    QualificationGrade,
    QualificationState,
    QualificationType,
    UnitChangeKind,
)
from .models import Qualification, QualificationApplication, UnitChange
from .services import invalid, require_office

NUMBER_MAX = 100
AUTHORITY_MAX = 200
NOTE_MAX = 500
DESCRIPTION_MAX = 500
VALUE_MAX = 300
REPORTED_TO_MAX = 200
SCORE_MAX = Decimal(100)

VALID_YEARS_KEY = "compliance.filing_valid_years"
REAPPLY_MONTHS_KEY = "compliance.reapply_wait_months"
PASS_SCORE_KEY = "compliance.qualification_pass_score"
REQUALIFY_DAYS_KEY = "compliance.requalification_working_days"
NOTICE_DAYS_KEY = "compliance.requalification_notice_days"
CHANGE_REPORT_DAYS_KEY = "compliance.change_report_working_days"

# A renewal in these results keeps the holder from being chased for it (rule Q4).
RENEWAL_FILED = (ApplicationResult.PENDING, ApplicationResult.PASSED)

QUALIFICATION_STATES = table("state", [
    (QualificationState.VALID, QualificationState.EXPIRED, None),
    (QualificationState.VALID, QualificationState.REVOKED, None),
    (QualificationState.VALID, QualificationState.SUPERSEDED, None),
    (QualificationState.EXPIRED, QualificationState.SUPERSEDED, None),
])
APPLICATION_RESULTS = table("result", [
    (ApplicationResult.PENDING, ApplicationResult.PASSED, None),
    (ApplicationResult.PENDING, ApplicationResult.FAILED, None),
])


# --- checks of input --------------------------------------------------------------------------

def _choice(value: Any, choices: Any, field: str, *, required: bool = True) -> str:
    if not required and value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in choices.values:
        raise invalid(field)
    return value


def _day(value: Any, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise invalid(field, _("Enter a valid date."))
    return value


def _unit(unit: Any) -> Unit:
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    return unit


def _not_future(day: dt.date, field: str) -> dt.date:
    if day > timezone.localdate():
        raise invalid(field, _("The date cannot be in the future."), "future_date")
    return day


def _score(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str, float)):
        raise invalid("score", _("Enter a score from 0 to 100."))
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise invalid("score", _("Enter a score from 0 to 100.")) from None
    if not score.is_finite() or not Decimal(0) <= score <= SCORE_MAX:
        raise invalid("score", _("Enter a score from 0 to 100."))
    return score


# --- qualifications (rule Q4) -----------------------------------------------------------------

def default_expiry(unit: Unit, issued_on: dt.date) -> dt.date:
    """rule Q4: a 备案 is valid 3 years (policy `compliance.filing_valid_years`): issued
    2024-03-01, its last day is 2027-02-28."""
    return period_last_day(issued_on, 12 * int(policy_of(unit)[VALID_YEARS_KEY]))


def _expiry(unit: Unit, type_: str, issued_on: dt.date, expires_on: Any) -> dt.date:
    longest = default_expiry(unit, issued_on)
    if expires_on in (None, ""):
        return longest
    expires = _day(expires_on, "expires_on")
    if expires <= issued_on:
        raise invalid("expires_on", _("The expiry date must come after the issue date."),
                       "expiry_before_issue")
    if type_ == QualificationType.CONSULTING_FILING and expires > longest:
        # rule Q4: a 备案 is valid 3 years at most; other certificates state their own term.
        raise invalid("expires_on", _("A filing is valid for %(years)s years at most.") % {
            "years": policy_of(unit)[VALID_YEARS_KEY]}, "filing_too_long")
    return expires


def _qualification_fields(unit: Unit, data: dict[str, Any]) -> dict[str, Any]:
    type_ = _choice(data.get("type"), QualificationType, "type")
    issued_on = _not_future(_day(data.get("issued_on"), "issued_on"), "issued_on")
    return {
        "type": type_,
        "grade": _choice(data.get("grade"), QualificationGrade, "grade", required=False),
        "certificate_number": clean_text(data.get("certificate_number"), "certificate_number",
                                         NUMBER_MAX),
        "issuing_authority": clean_text(data.get("issuing_authority"), "issuing_authority",
                                        AUTHORITY_MAX),
        "issued_on": issued_on,
        "expires_on": _expiry(unit, type_, issued_on, data.get("expires_on")),
        "note": clean_text(data.get("note"), "note", NOTE_MAX, required=False),
    }


QUALIFICATION_INPUT = ("type", "grade", "certificate_number", "issuing_authority",
                       "issued_on", "expires_on", "note")


def _known(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise invalid(sorted(unknown)[0])


def qualification_values(qualification: Qualification) -> dict[str, Any]:
    return {"type": qualification.type, "grade": qualification.grade,
            "certificate_number": qualification.certificate_number,
            "issuing_authority": qualification.issuing_authority,
            "issued_on": qualification.issued_on.isoformat(),
            "expires_on": qualification.expires_on.isoformat(),
            "state": qualification.state, "note": qualification.note}


def register_qualification(actor: Any, *, unit: Unit, **data: Any) -> Qualification:
    """The 保密办 registers a certificate the unit holds (rule Q4); one already past its
    expiry is registered as expired."""
    unit = _unit(unit)
    require_office(actor, unit)
    _known(data, QUALIFICATION_INPUT)
    fields = _qualification_fields(unit, data)
    if fields["expires_on"] < timezone.localdate():
        fields["state"] = QualificationState.EXPIRED
    with transaction.atomic():
        qualification = Qualification.objects.create(unit=unit, **fields)
        record_event(actor, "QUALIFICATION_REGISTERED", qualification,
                     after=qualification_values(qualification))
    return qualification


def update_qualification(actor: Any, qualification: Qualification,
                         **data: Any) -> Qualification:
    """The 保密办 corrects a certificate's particulars (all of them, as on the certificate);
    a revoked or superseded one is history and stays as it was."""
    if not isinstance(qualification, Qualification) or qualification.pk is None:
        raise NotFound()
    require_office(actor, qualification.unit)
    _known(data, QUALIFICATION_INPUT)
    fields = _qualification_fields(qualification.unit, data)
    with transaction.atomic():
        fresh = Qualification.objects.select_for_update().get(pk=qualification.pk)
        if fresh.state not in (QualificationState.VALID, QualificationState.EXPIRED):
            raise Conflict(_("A revoked or superseded qualification can no longer be changed."),
                           code="qualification_closed")
        before = qualification_values(fresh)
        for name, value in fields.items():
            setattr(fresh, name, value)
        today = timezone.localdate()
        # The corrected expiry decides again whether it is still valid.
        fresh.state = (QualificationState.EXPIRED if fresh.expires_on < today
                       else QualificationState.VALID)
        fresh.save()
        record_event(actor, "QUALIFICATION_UPDATED", fresh, before=before,
                     after=qualification_values(fresh))
    return fresh


def revoke_qualification(actor: Any, qualification: Qualification, *,
                         reason: str = "") -> Qualification:
    """The authority withdrew the certificate (撤销/撤出备案); the 保密办 records it."""
    if not isinstance(qualification, Qualification) or qualification.pk is None:
        raise NotFound()
    require_office(actor, qualification.unit)
    reason = clean_text(reason, "reason", NOTE_MAX)
    with transaction.atomic():
        QUALIFICATION_STATES.apply(qualification, QualificationState.REVOKED)
        record_event(actor, "QUALIFICATION_REVOKED", qualification, reason=reason,
                     after={"state": qualification.state})
    return qualification


def effective_state(qualification: Qualification, today: dt.date | None = None) -> str:
    """The state as it reads today: a valid one past its expiry is expired even before the
    daily job has recorded it."""
    today = today or timezone.localdate()
    if qualification.state == QualificationState.VALID and qualification.expires_on < today:
        return QualificationState.EXPIRED
    return qualification.state


def requalification_deadline(qualification: Qualification) -> WorkingDay:
    """rule Q4: the last day to file the renewal, 60 working days before expiry (policy
    `compliance.requalification_working_days`), by the official calendar."""
    days = int(policy_of(qualification.unit)[REQUALIFY_DAYS_KEY])
    return add_working_days(qualification.expires_on, -days)


@daily_job("compliance.qualification_expiry", "Q4")
def expire_qualifications(today: dt.date, actor: Any = None) -> int:
    """rule Q4: a valid qualification whose last day (`expires_on`) is past becomes expired.
    Returns the number changed; one audit event each (a unit holds a handful)."""
    changed = 0
    with transaction.atomic():
        due = list(Qualification.objects.select_for_update().filter(
            state=QualificationState.VALID, expires_on__lt=today).order_by("id"))
        for qualification in due:
            QUALIFICATION_STATES.apply(qualification, QualificationState.EXPIRED)
            record_event(actor if isinstance(actor, User) else None, "QUALIFICATION_EXPIRED",
                         qualification, after={"state": qualification.state,
                                               "expires_on": qualification.expires_on.isoformat()})
            changed += 1
    return changed


# --- applications (rules Q3, Q4) --------------------------------------------------------------

def reapply_from(unit: Unit, type_: str) -> dt.date | None:
    """rule Q3: the first day the unit may apply again for `type_` after its latest failed
    review (6 months on, policy `compliance.reapply_wait_months`); None when nothing bars it."""
    failed = (QualificationApplication.objects
              .filter(unit=unit, type=type_, result=ApplicationResult.FAILED)
              .exclude(reviewed_on=None).order_by("-reviewed_on").values_list(
                  "reviewed_on", flat=True).first())
    if failed is None:
        return None
    return add_months(failed, int(policy_of(unit)[REAPPLY_MONTHS_KEY]))


def _check_may_apply(unit: Unit, type_: str, applied_on: dt.date) -> None:
    # rule Q3: after a failed review, no new application before 6 months; the day itself is
    # allowed.
    allowed_from = reapply_from(unit, type_)
    if allowed_from is not None and applied_on < allowed_from:
        raise RuleViolation(
            _("After a failed review the unit may apply again from %(day)s.") % {
                "day": allowed_from.isoformat()},
            code="reapply_too_soon", rule="Q3", fields={"applied_on": _(
                "Not before %(day)s.") % {"day": allowed_from.isoformat()}})
    if QualificationApplication.objects.filter(
            unit=unit, type=type_, result=ApplicationResult.PENDING).exists():
        raise Conflict(_("An application of this type is already awaiting review."),
                       code="application_pending")


def _renewed(unit: Unit, type_: str, kind: str, renews: Any) -> Qualification | None:
    if kind == ApplicationKind.NEW:
        if renews is not None:
            raise invalid("renews")
        return None
    if renews is None:
        return None
    if not isinstance(renews, Qualification) or renews.unit_id != unit.pk \
            or renews.type != type_:
        raise invalid("renews", _("Choose a qualification of this type held by the unit."))
    return renews


def application_values(application: QualificationApplication) -> dict[str, Any]:
    return {"type": application.type, "kind": application.kind,
            "renews": application.renews_id, "applied_on": application.applied_on.isoformat(),
            "reviewed_on": application.reviewed_on.isoformat()
            if application.reviewed_on else None,
            "score": str(application.score) if application.score is not None else None,
            "result": application.result, "certificate": application.certificate_id,
            "note": application.note}


def file_application(actor: Any, *, unit: Unit, type: str, kind: str,  # noqa: A002
                     applied_on: dt.date, renews: Qualification | None = None,
                     note: str = "") -> QualificationApplication:
    """The 保密办 records an application filed with the authority. Refused before 6 months
    after a failed review of the same type (rule Q3) and while one of the type is pending."""
    unit = _unit(unit)
    require_office(actor, unit)
    type_ = _choice(type, QualificationType, "type")
    kind = _choice(kind, ApplicationKind, "kind")
    applied_on = _not_future(_day(applied_on, "applied_on"), "applied_on")
    renewed = _renewed(unit, type_, kind, renews)
    note = clean_text(note, "note", NOTE_MAX, required=False)
    with transaction.atomic():
        # Serialise the unit's applications: of two filed at once only one passes the checks.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        _check_may_apply(unit, type_, applied_on)
        application = QualificationApplication.objects.create(
            unit=unit, type=type_, kind=kind, renews=renewed, applied_on=applied_on,
            note=note)
        record_event(actor, "QUALIFICATION_APPLICATION_FILED", application,
                     after=application_values(application))
    return application


def record_review(actor: Any, application: QualificationApplication, *, reviewed_on: dt.date,
                  passed: bool, score: Any = None) -> QualificationApplication:
    """The 保密办 records the result of the on-site review (rule Q3: scored out of 100, pass
    at 90 or more — a veto item fails a higher score, so a failure may carry any score, but a
    pass never scores below the pass mark)."""
    if not isinstance(application, QualificationApplication) or application.pk is None:
        raise NotFound()
    require_office(actor, application.unit)
    reviewed_on = _not_future(_day(reviewed_on, "reviewed_on"), "reviewed_on")
    if reviewed_on < application.applied_on:
        raise invalid("reviewed_on", _("The review cannot come before the application."),
                       "review_before_application")
    if not isinstance(passed, bool):
        raise invalid("passed")
    points = _score(score)
    pass_mark = int(policy_of(application.unit)[PASS_SCORE_KEY])
    if passed and points is not None and points < pass_mark:  # rule Q3
        raise RuleViolation(_("A review scoring below %(mark)s points is not passed.") % {
            "mark": pass_mark}, code="score_below_pass", rule="Q3",
            fields={"score": _("At least %(mark)s points to pass.") % {"mark": pass_mark}})
    result = ApplicationResult.PASSED if passed else ApplicationResult.FAILED
    with transaction.atomic():
        APPLICATION_RESULTS.apply(application, result, reviewed_on=reviewed_on, score=points)
        record_event(actor, "QUALIFICATION_REVIEW_RECORDED", application,
                     after=application_values(application))
    return application


def issue_certificate(actor: Any, application: QualificationApplication,
                      **data: Any) -> Qualification:
    """A passed application gets its certificate: a new valid Qualification of the type, which
    supersedes the one the application renews (and any other still held of the type)."""
    if not isinstance(application, QualificationApplication) or application.pk is None:
        raise NotFound()
    unit = application.unit
    require_office(actor, unit)
    _known(data, tuple(name for name in QUALIFICATION_INPUT if name != "type"))
    fields = _qualification_fields(unit, {**data, "type": application.type})
    with transaction.atomic():
        fresh = QualificationApplication.objects.select_for_update().get(pk=application.pk)
        if fresh.result != ApplicationResult.PASSED or fresh.certificate_id is not None:
            raise Conflict(_("Only a passed application without a certificate gets one."),
                           code="not_certifiable")
        if fields["expires_on"] < timezone.localdate():
            fields["state"] = QualificationState.EXPIRED
        certificate = Qualification.objects.create(unit=unit, **fields)
        for old in Qualification.objects.select_for_update().filter(
                unit=unit, type=application.type,
                state__in=(QualificationState.VALID, QualificationState.EXPIRED)).exclude(
                pk=certificate.pk).order_by("id"):
            QUALIFICATION_STATES.apply(old, QualificationState.SUPERSEDED)
            record_event(actor, "QUALIFICATION_SUPERSEDED", old,
                         after={"state": old.state, "superseded_by": certificate.pk})
        QualificationApplication.objects.filter(pk=fresh.pk).update(certificate=certificate)
        application.certificate = certificate
        record_event(actor, "QUALIFICATION_REGISTERED", certificate,
                     after={**qualification_values(certificate), "application": fresh.pk})
    return certificate


# --- unit changes (rule Q6) -------------------------------------------------------------------

def change_report_due(unit: Unit, occurred_on: dt.date) -> WorkingDay:
    """rule Q6: reported within 10 working days (policy `compliance.change_report_working_days`)
    of the change, counted from the day after it by the official calendar."""
    return add_working_days(occurred_on, int(policy_of(unit)[CHANGE_REPORT_DAYS_KEY]))


def change_values(change: UnitChange) -> dict[str, Any]:
    return {"kind": change.kind, "description": change.description,
            "old_value": change.old_value, "new_value": change.new_value,
            "occurred_on": change.occurred_on.isoformat(),
            "report_due_on": change.report_due_on.isoformat(),
            "reported_on": change.reported_on.isoformat() if change.reported_on else None,
            "reported_to": change.reported_to, "reported_late": change.reported_late,
            "requires_new_filing": change.requires_new_filing,
            "requires_filing_amendment": change.requires_filing_amendment}


def record_unit_change(actor: Any, *, unit: Unit, kind: str, description: str,
                       occurred_on: dt.date, old_value: str = "",
                       new_value: str = "") -> UnitChange:
    """The 保密办 records a change of the unit; its report falls due 10 working days later
    (rule Q6, obligation `compliance.change_report_due`). Whether the 备案 must be amended or
    filed anew follows from the kind (seed 000 细则§34–35)."""
    unit = _unit(unit)
    office = require_office(actor, unit)
    kind = _choice(kind, UnitChangeKind, "kind")
    occurred_on = _not_future(_day(occurred_on, "occurred_on"), "occurred_on")
    due = change_report_due(unit, occurred_on)
    fields = {
        "description": clean_text(description, "description", DESCRIPTION_MAX),
        "old_value": clean_text(old_value, "old_value", VALUE_MAX, required=False),
        "new_value": clean_text(new_value, "new_value", VALUE_MAX, required=False)}
    with transaction.atomic():
        change = UnitChange.objects.create(
            unit=unit, kind=kind, occurred_on=occurred_on, report_due_on=due.date,
            report_due_estimated=due.estimated, recorded_by=office,
            requires_new_filing=kind in NEW_FILING_KINDS,
            requires_filing_amendment=kind in FILING_AMENDMENT_KINDS, **fields)
        record_event(actor, "UNIT_CHANGE_RECORDED", change, after=change_values(change))
    return change


def report_unit_change(actor: Any, change: UnitChange, *, reported_on: dt.date,
                       reported_to: str) -> UnitChange:
    """The 保密办 records the report of a change to the authority (rule Q6). A report after
    the due day is accepted and flagged `reported_late`; a change is reported once."""
    if not isinstance(change, UnitChange) or change.pk is None:
        raise NotFound()
    require_office(actor, change.unit)
    reported_on = _not_future(_day(reported_on, "reported_on"), "reported_on")
    if reported_on < change.occurred_on:
        raise invalid("reported_on", _("The report cannot come before the change."),
                       "report_before_change")
    reported_to = clean_text(reported_to, "reported_to", REPORTED_TO_MAX)
    late = reported_on > change.report_due_on  # rule Q6: the due day itself is in time
    with transaction.atomic():
        updated = UnitChange.objects.filter(pk=change.pk, reported_on=None).update(
            reported_on=reported_on, reported_to=reported_to, reported_late=late)
        if updated != 1:  # reported already, or a concurrent report won
            raise Conflict(_("This change has already been reported."),
                           code="already_reported")
        change.reported_on, change.reported_to, change.reported_late = (
            reported_on, reported_to, late)
        record_event(actor, "UNIT_CHANGE_REPORTED", change, after=change_values(change))
    return change


def record_ledger_export(actor: Any, unit: Unit) -> None:
    """The 资质/备案台帐 was downloaded (DESIGN.md: exports are audited)."""
    with transaction.atomic():
        record_event(actor, "QUALIFICATION_LEDGER_EXPORTED", unit, unit_id=unit.pk)
