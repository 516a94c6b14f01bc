"""Writes of the outside-firm register (rules Q8, Q11): the 保密办 registers the firms its unit
uses, records their conditions, 保密 protocols, change reports and their re-review, yearly
reports and contracts, strikes a firm off and reinstates it.

Classified work (a 国家秘密 contract above 非密) goes only to a firm qualified under Q11 and,
for a subcontractor, one on the 名录 (Q8); a struck-off firm signs no contract at all. Each
refusal names every condition the firm does not meet.
"""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from baomi.accounts.models import Person, Unit, User
from baomi.audit.services import record_event
from baomi.core.calendar import add_months, add_working_days
from baomi.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Level, Scheme
from baomi.core.policy import policy_of
from baomi.core.transitions import table
from baomi.core.validation import clean_text

from .choices_firms import ContractState, FirmKind, FirmState, ReviewResult
from .models import Firm, FirmChange, FirmContract, FirmProtocol, FirmYearReport
from .services import invalid, require_office

NAME_MAX = 200
CONTACT_MAX = 200
DIRECTORY_NUMBER_MAX = 60
NOTE_MAX = 500
REASON_MAX = 500
SCOPE_MAX = 1000
DESCRIPTION_MAX = 1000
TITLE_MAX = 200
WORK_KIND_MAX = 200
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
YEAR_MIN, YEAR_MAX = 2000, 2100
# Dates outside these bounds are typing errors; inside them every computed deadline fits.
DATE_MIN, DATE_MAX = dt.date(1950, 1, 1), dt.date(2199, 12, 31)

CHANGE_REVIEW_DAYS_KEY = "compliance.firm_change_review_days"
SUSPENSION_MONTHS_KEY = "compliance.firm_suspension_months"
REAPPLY_MONTHS_KEY = "compliance.firm_reapply_months"
YEAR_REPORT_MONTH_KEY = "compliance.firm_year_report_month"

# GB 32100-2015: the unified social credit code is 18 characters of this alphabet, the last a
# check character computed from the first 17 with these weights.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

FIRM_FIELDS = ("name", "credit_code", "kind", "contact", "foreign_capital",
               "security_review_passed_on", "last_suspension_on", "on_directory",
               "directory_number", "note")
FIRM_STATES = table("state", [
    (FirmState.ACTIVE, FirmState.STRUCK_OFF, None),
    (FirmState.STRUCK_OFF, FirmState.ACTIVE, None),  # guarded by reinstate_firm (rule Q11)
])
REVIEW_STATES = table("result", [
    (ReviewResult.PENDING, ReviewResult.PASSED, None),
    (ReviewResult.PENDING, ReviewResult.FAILED, None),
])
CONTRACT_STATES = table("state", [(ContractState.ACTIVE, ContractState.ENDED, None)])


# --- checks of input ------------------------------------------------------------------------

def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value is None and not required:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime) \
            or not DATE_MIN <= value <= DATE_MAX:
        raise invalid(field, _("Enter a valid date."))
    return value


def _day(value: Any, field: str) -> dt.date:
    day = _date(value, field)
    assert day is not None
    return day


def _not_before(later: dt.date | None, earlier: dt.date | None, field: str) -> None:
    if later is not None and earlier is not None and later < earlier:
        raise invalid(field, _("This date cannot be before %(day)s.") % {"day": earlier},
                       code="date_order")


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field)
    return value


def credit_code_valid(code: str) -> bool:
    """GB 32100-2015: 18 characters of the code alphabet with a correct check character."""
    if len(code) != 18 or any(ch not in CREDIT_ALPHABET for ch in code):
        return False
    total = sum(CREDIT_ALPHABET.index(ch) * weight
                for ch, weight in zip(code[:17], CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31] == code[17]


def _credit_code(value: Any) -> str:
    code = clean_text(value, "credit_code", 18).upper()
    if not credit_code_valid(code):
        raise invalid("credit_code", _("Enter a valid 18-character unified social credit code."),
                       code="invalid_credit_code")
    return code


def _firm_fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(FIRM_FIELDS)
    if unknown:
        raise invalid(sorted(unknown)[0])
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in FirmKind.values:
        raise invalid("kind")
    fields: dict[str, Any] = {
        "name": clean_text(data.get("name"), "name", NAME_MAX),
        "credit_code": _credit_code(data.get("credit_code")),
        "kind": kind,
        "contact": clean_text(data.get("contact", ""), "contact", CONTACT_MAX, required=False),
        "foreign_capital": _flag(data.get("foreign_capital", False), "foreign_capital"),
        "security_review_passed_on": _date(data.get("security_review_passed_on"),
                                           "security_review_passed_on", required=False),
        "last_suspension_on": _date(data.get("last_suspension_on"), "last_suspension_on",
                                    required=False),
        "on_directory": _flag(data.get("on_directory", False), "on_directory"),
        "directory_number": clean_text(data.get("directory_number", ""), "directory_number",
                                       DIRECTORY_NUMBER_MAX, required=False),
        "note": clean_text(data.get("note", ""), "note", NOTE_MAX, required=False)}
    if fields["on_directory"] and not fields["directory_number"]:
        message = _("Enter the number of the firm on the directory.")
        raise InvalidInput(message, code="required", fields={"directory_number": message})
    if not fields["on_directory"]:
        fields["directory_number"] = ""
    return fields


def _firm_values(firm: Firm) -> dict[str, Any]:
    values = {name: getattr(firm, name) for name in FIRM_FIELDS}
    for name in ("security_review_passed_on", "last_suspension_on"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def _credit_code_exists() -> Conflict:
    message = _("The unit already registered a firm with this credit code.")
    return Conflict(message, code="credit_code_exists", fields={"credit_code": message})


def _stored_firm(firm: Any) -> Firm:
    if not isinstance(firm, Firm) or firm.pk is None:
        raise NotFound()
    return firm


# --- qualification (rules Q8, Q11) ----------------------------------------------------------

def is_classified(scheme: str, level: int) -> bool:
    """rule Q11: classified work is 国家秘密 work above 非密 (rule L4 keeps 工作秘密 and
    商业秘密 apart: their contracts do not need a Q11-qualified firm)."""
    return scheme == Scheme.STATE and level > Level.NONSECRET


def _suspension_clear_from(firm: Firm, months: int) -> dt.date | None:
    """rule Q11: the first day with no suspension in the last `months` months — a firm
    suspended on D may take classified work again from D + 12 months, not the day before."""
    if firm.last_suspension_on is None:
        return None
    return add_months(firm.last_suspension_on, months)


def q11_unmet(firm: Firm, on: dt.date) -> list[str]:
    """rule Q11: every condition `firm` does not meet on day `on` for classified work; empty
    when it is qualified. Rule Q8 (the 名录 of subcontractors) is `q8_unmet`."""
    months = int(policy_of(firm.unit)[SUSPENSION_MONTHS_KEY])
    unmet = []
    if firm.state == FirmState.STRUCK_OFF:
        unmet.append(str(_("it is struck off")))
    if firm.foreign_capital:
        unmet.append(str(_("it has foreign capital")))
    if firm.security_review_passed_on is None or firm.security_review_passed_on > on:
        unmet.append(str(_("it has not passed the security review")))
    clear_from = _suspension_clear_from(firm, months)
    if clear_from is not None and firm.last_suspension_on is not None \
            and firm.last_suspension_on <= on < clear_from:
        unmet.append(str(_("it was suspended within the last %(months)s months (on %(day)s)")
                         % {"months": months, "day": firm.last_suspension_on}))
    if not firm.protocols.filter(valid_protocol_q(on)).exists():
        unmet.append(str(_("no filed protocol with secrecy clauses in force")))
    if firm.changes.filter(reported_on__lte=on).exclude(result=ReviewResult.PASSED).exists():
        unmet.append(str(_("a reported change of its conditions has not passed re-review")))
    return unmet


def q8_unmet(firm: Firm) -> list[str]:
    """rule Q8: classified work is subcontracted only to units on the 名录."""
    if firm.kind == FirmKind.SUBCONTRACTOR and not firm.on_directory:
        return [str(_("the subcontractor is not on the directory"))]
    return []


def qualification_shortfalls(firm: Firm, on: dt.date) -> list[str]:
    """Everything that keeps `firm` from classified work on `on` (rules Q11 and Q8)."""
    return q11_unmet(firm, on) + q8_unmet(firm)


def valid_protocol_q(on: dt.date, prefix: str = "") -> Q:
    """SQL: a protocol (through `prefix`) signed and filed by `on`, with its 保密 clauses
    confirmed, not expired on `on` (rule Q11)."""
    return (Q(**{f"{prefix}signed_on__lte": on, f"{prefix}filed_on__lte": on,
                 f"{prefix}secrecy_clauses": True})
            & (Q(**{f"{prefix}expires_on__isnull": True})
               | Q(**{f"{prefix}expires_on__gte": on})))


def qualified_q(on: dt.date, suspension_months: int) -> Q:
    """SQL: the firms qualified for classified work on `on` — the same conditions as
    `qualification_shortfalls` (rules Q8, Q11), for the register's filter."""
    protocols = FirmProtocol.objects.filter(valid_protocol_q(on), firm=OuterRef("pk"))
    unreviewed = FirmChange.objects.filter(firm=OuterRef("pk"), reported_on__lte=on).exclude(
        result=ReviewResult.PASSED)
    suspended_since = add_months(on, -suspension_months)
    recently_suspended = Q(last_suspension_on__gt=suspended_since,
                           last_suspension_on__lte=on)
    # One edge differs from `q11_unmet`: add_months clamps to the month's end, so a
    # suspension on 29 February is read one day longer here (the page shows the Python reading).
    return (Q(state=FirmState.ACTIVE, foreign_capital=False,
              security_review_passed_on__lte=on)
            & ~recently_suspended & Exists(protocols) & ~Exists(unreviewed)
            & ~Q(kind=FirmKind.SUBCONTRACTOR, on_directory=False))


# --- the firm --------------------------------------------------------------------------------

def register_firm(actor: Any, *, unit: Unit, **data: Any) -> Firm:
    """The 保密办 registers an outside firm of its unit with its conditions (rule Q11)."""
    if not isinstance(unit, Unit) or unit.pk is None:
        raise invalid("unit")
    require_office(actor, unit)
    fields = _firm_fields(data)
    try:
        with transaction.atomic():
            if Firm.objects.filter(unit=unit, credit_code=fields["credit_code"]).exists():
                raise _credit_code_exists()
            firm = Firm.objects.create(unit=unit, **fields)
            record_event(actor, "FIRM_REGISTERED", firm, after=_firm_values(firm))
    except IntegrityError:  # firm_unique_credit_code: a concurrent registration won
        raise _credit_code_exists() from None
    return firm


def update_firm(actor: Any, firm: Firm, **data: Any) -> Firm:
    """The 保密办 records a firm's details and conditions as they are now (a security review
    passed, a suspension, its place on the 名录 …)."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    fields = _firm_fields(data)
    try:
        with transaction.atomic():
            fresh = Firm.objects.select_for_update().get(pk=firm.pk)
            if Firm.objects.filter(unit_id=fresh.unit_id, credit_code=fields["credit_code"]
                                   ).exclude(pk=fresh.pk).exists():
                raise _credit_code_exists()
            before = _firm_values(fresh)
            for name, value in fields.items():
                setattr(fresh, name, value)
            fresh.save()
            record_event(actor, "FIRM_UPDATED", fresh, before=before, after=_firm_values(fresh))
    except IntegrityError:
        raise _credit_code_exists() from None
    return fresh


def strike_off_firm(actor: Any, firm: Firm, *, struck_off_on: dt.date, reason: str) -> Firm:
    """rule Q11: a firm struck off signs no new contract; it may re-apply 12 months later."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    day = _day(struck_off_on, "struck_off_on")
    text = clean_text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        FIRM_STATES.apply(firm, FirmState.STRUCK_OFF, struck_off_on=day,
                          strike_off_reason=text)
        record_event(actor, "FIRM_STRUCK_OFF", firm, reason=text,
                     after={"struck_off_on": day.isoformat()})
    return firm


def reapply_from(firm: Firm) -> dt.date | None:
    """rule Q11: the first day a struck-off firm may be reinstated (struck off on D: from D +
    12 months)."""
    if firm.struck_off_on is None:
        return None
    return add_months(firm.struck_off_on, int(policy_of(firm.unit)[REAPPLY_MONTHS_KEY]))


def reinstate_firm(actor: Any, firm: Firm, *, reinstated_on: dt.date) -> Firm:
    """rule Q11: a struck-off firm re-applies and is reinstated, not before 12 months after it
    was struck off. It still takes classified work only once it meets every condition."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    day = _day(reinstated_on, "reinstated_on")
    earliest = reapply_from(firm)
    if firm.state == FirmState.STRUCK_OFF and earliest is not None and day < earliest:
        # rule Q11: 十二个月后方能重新申请
        message = _("A struck-off firm may re-apply from %(day)s.") % {"day": earliest}
        raise RuleViolation(message, code="reapply_too_soon", rule="Q11",
                            fields={"reinstated_on": message})
    with transaction.atomic():
        FIRM_STATES.apply(firm, FirmState.ACTIVE, reinstated_on=day)
        record_event(actor, "FIRM_REINSTATED", firm, after={"reinstated_on": day.isoformat()})
    return firm


# --- protocols, changes, yearly reports ------------------------------------------------------

def _attachment(value: Any) -> UploadedFile | None:
    if value is None:
        return None
    if not isinstance(value, UploadedFile) or (value.size or 0) > ATTACHMENT_MAX_BYTES:
        raise invalid("attachment", _("Attach one file of at most 20 MB."))
    return value


def record_protocol(actor: Any, firm: Firm, *, signed_on: dt.date,
                    filed_on: dt.date | None = None, expires_on: dt.date | None = None,
                    scope: str, secrecy_clauses: bool,
                    attachment: UploadedFile | None = None) -> FirmProtocol:
    """rule Q11: a 保密 protocol signed with the firm; it qualifies the firm once filed with
    the 保密办, its 保密 clauses confirmed, until it expires."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    signed = _day(signed_on, "signed_on")
    filed = _date(filed_on, "filed_on", required=False)
    expires = _date(expires_on, "expires_on", required=False)
    _not_before(filed, signed, "filed_on")
    _not_before(expires, signed, "expires_on")
    fields = {"signed_on": signed, "filed_on": filed, "expires_on": expires,
              "scope": clean_text(scope, "scope", SCOPE_MAX),
              "secrecy_clauses": _flag(secrecy_clauses, "secrecy_clauses")}
    upload = _attachment(attachment)
    with transaction.atomic():
        protocol = FirmProtocol(firm=firm, **fields)
        if upload is not None:
            protocol.attachment.save(upload.name or "protocol", upload, save=False)
        protocol.save()
        record_event(actor, "FIRM_PROTOCOL_RECORDED", protocol, unit_id=firm.unit_id, after={
            "firm": firm.pk, "signed_on": signed.isoformat(),
            "filed_on": filed.isoformat() if filed else None,
            "expires_on": expires.isoformat() if expires else None,
            "secrecy_clauses": fields["secrecy_clauses"],
            "attachment": protocol.attachment.name or ""})
    return protocol


def report_change(actor: Any, firm: Firm, *, occurred_on: dt.date, reported_on: dt.date,
                  description: str) -> FirmChange:
    """rule Q11: a change of the firm's conditions, reported to the unit; the firm takes no
    classified work until the change passes re-review, due within 20 working days of the
    report."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    occurred = _day(occurred_on, "occurred_on")
    reported = _day(reported_on, "reported_on")
    _not_before(reported, occurred, "reported_on")
    text = clean_text(description, "description", DESCRIPTION_MAX)
    with transaction.atomic():
        change = FirmChange.objects.create(firm=firm, occurred_on=occurred, reported_on=reported,
                                           description=text)
        record_event(actor, "FIRM_CHANGE_REPORTED", change, unit_id=firm.unit_id, after={
            "firm": firm.pk, "occurred_on": occurred.isoformat(),
            "reported_on": reported.isoformat(), "description": text})
    return change


def change_review_due(change: FirmChange) -> dt.date:
    """rule Q11: the last day to re-review a change — 20 working days after its report."""
    days = int(policy_of(change.firm.unit)[CHANGE_REVIEW_DAYS_KEY])
    return add_working_days(change.reported_on, days).date


def rereview_change(actor: Any, change: FirmChange, *, rereviewed_on: dt.date,
                    passed: bool) -> FirmChange:
    """rule Q11: the 保密办 re-reviews a reported change, once; of two concurrent re-reviews
    exactly one is recorded."""
    if not isinstance(change, FirmChange) or change.pk is None:
        raise NotFound()
    require_office(actor, change.firm.unit)
    day = _day(rereviewed_on, "rereviewed_on")
    _not_before(day, change.reported_on, "rereviewed_on")
    result = ReviewResult.PASSED if _flag(passed, "passed") else ReviewResult.FAILED
    with transaction.atomic():
        REVIEW_STATES.apply(change, result, rereviewed_on=day)
        record_event(actor, "FIRM_CHANGE_REREVIEWED", change, unit_id=change.firm.unit_id,
                     after={"result": result, "rereviewed_on": day.isoformat(),
                            "due": change_review_due(change).isoformat()})
    return change


def year_report_due(unit: Unit, year: int) -> dt.date:
    """rule Q11: the yearly report for `year` is due by the end of the first quarter of the next
    year (the last day of month `compliance.firm_year_report_month`)."""
    return report_month_end(year, int(policy_of(unit)[YEAR_REPORT_MONTH_KEY]))


def report_month_end(year: int, month: int) -> dt.date:
    """The last day of `month` of the year after `year` (31 March for month 3)."""
    return add_months(dt.date(year + 1, month, 1), 1) - dt.timedelta(days=1)


def record_year_report(actor: Any, firm: Firm, *, year: int,
                       received_on: dt.date) -> FirmYearReport:
    """rule Q11: the firm's yearly report for `year`, received by the 保密办 (late reports are
    recorded too: the obligation shows they were late)."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise invalid("year", _("Enter a year from %(min)s to %(max)s.") % {
            "min": YEAR_MIN, "max": YEAR_MAX})
    day = _day(received_on, "received_on")
    if day.year < year:
        raise invalid("received_on", _("A yearly report is received in its year or later."),
                       code="date_order")
    exists = Conflict(_("The report of this year is already recorded."),
                      code="year_report_exists", fields={"year": _("Already recorded.")})
    try:
        with transaction.atomic():
            if FirmYearReport.objects.filter(firm=firm, year=year).exists():
                raise exists
            report = FirmYearReport.objects.create(firm=firm, year=year, received_on=day)
            record_event(actor, "FIRM_YEAR_REPORT_RECORDED", report, unit_id=firm.unit_id,
                         after={"firm": firm.pk, "year": year, "received_on": day.isoformat(),
                                "due": year_report_due(firm.unit, year).isoformat()})
    except IntegrityError:
        raise exists from None
    return report


# --- contracts -------------------------------------------------------------------------------

def _refuse_contract(firm: Firm, scheme: str, level: int, day: dt.date) -> None:
    """rules Q8, Q11: a struck-off firm signs nothing; classified work needs a qualified firm
    and, for a subcontractor, one on the 名录. The message names every unmet condition."""
    if firm.state == FirmState.STRUCK_OFF:  # rule Q11: 不得签订新的合同
        message = _("The firm is struck off and signs no new contract; it may re-apply from "
                    "%(day)s.") % {"day": reapply_from(firm)}
        raise RuleViolation(message, code="firm_struck_off", rule="Q11",
                            fields={"firm": message})
    if not is_classified(scheme, level):
        return
    q11 = q11_unmet(firm, day)  # rule Q11
    q8 = q8_unmet(firm)  # rule Q8
    if not q11 and not q8:
        return
    message = _("The firm cannot take classified work: %(reasons)s.") % {
        "reasons": "; ".join(q11 + q8)}
    code, rule = ("firm_unqualified", "Q11") if q11 else ("not_on_directory", "Q8")
    raise RuleViolation(message, code=code, rule=rule, fields={"firm": message})


def _label(scheme: Any, level: Any) -> tuple[str, int]:
    if not isinstance(scheme, str) or scheme not in Scheme.values:
        raise invalid("scheme")
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise invalid("level")
    if scheme != Scheme.STATE and level != Level.NONSECRET:
        # rule L4: the state-secret levels belong to the 国家秘密 scheme only.
        raise invalid("level", _("Only state-secret work carries a state-secret level."))
    return scheme, level


def sign_contract(actor: Any, firm: Firm, *, title: str, level: int, work_kind: str,
                  signed_on: dt.date, responsible: Person,
                  scheme: str = Scheme.STATE) -> FirmContract:
    """The 保密办 records a contract giving work to `firm` (rules Q8, Q11). The checks run on the
    firm row locked, so a strike-off at the same moment cannot slip past them."""
    firm = _stored_firm(firm)
    require_office(actor, firm.unit)
    scheme, level = _label(scheme, level)
    day = _day(signed_on, "signed_on")
    fields = {"title": clean_text(title, "title", TITLE_MAX),
              "work_kind": clean_text(work_kind, "work_kind", WORK_KIND_MAX)}
    if not isinstance(responsible, Person) or responsible.unit_id != firm.unit_id \
            or not responsible.active:
        raise invalid("responsible")
    with transaction.atomic():
        locked = Firm.objects.select_for_update().select_related("unit").get(pk=firm.pk)
        _refuse_contract(locked, scheme, level, day)
        contract = FirmContract.objects.create(firm=locked, scheme=scheme, level=level,
                                               signed_on=day, responsible=responsible, **fields)
        record_event(actor, "FIRM_CONTRACT_SIGNED", contract, unit_id=firm.unit_id, after={
            "firm": firm.pk, "title": contract.title, "scheme": scheme, "level": level,
            "signed_on": day.isoformat(), "responsible": responsible.pk})
    return contract


def end_contract(actor: Any, contract: FirmContract, *, ended_on: dt.date) -> FirmContract:
    """A contract ends (the work is done or cancelled); ended once."""
    if not isinstance(contract, FirmContract) or contract.pk is None:
        raise NotFound()
    require_office(actor, contract.firm.unit)
    day = _day(ended_on, "ended_on")
    _not_before(day, contract.signed_on, "ended_on")
    with transaction.atomic():
        CONTRACT_STATES.apply(contract, ContractState.ENDED, ended_on=day)
        record_event(actor, "FIRM_CONTRACT_ENDED", contract, unit_id=contract.firm.unit_id,
                     after={"ended_on": day.isoformat()})
    return contract


def record_firms_export(actor: Any, unit_id: int | None, filters: dict[str, Any],
                        rows: int) -> None:
    """An export of the register leaves a trace: who took which list out."""
    with transaction.atomic():
        record_event(actor, "FIRMS_EXPORTED", object_type="compliance.firm", unit_id=unit_id,
                     after={"filters": filters, "rows": rows})


def office_user(actor: Any, unit: Unit) -> User:
    """The 保密办 `actor` of `unit`, for callers that check before they show a form."""
    return require_office(actor, unit)
