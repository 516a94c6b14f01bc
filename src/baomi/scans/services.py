"""Every write of the check tool's server side (rule D11): keyword lists, profiles, and the
reports `baomi scan` uploads.

Only the 保密办 of a unit writes (the role that keeps the device ledger, `manages_devices`).
Each write checks its input, changes the rows and records its audit event in one transaction;
a refused write leaves nothing behind. A report is received once per unit: the unique
(unit, sha256 of its canonical JSON) refuses a second upload, also when two arrive at once.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baomi.accounts.models import Unit, User
from baomi.audit.services import record_event
from baomi.compliance.models import Rectification
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.policy import policy_of
from baomi.core.validation import clean_text
from baomi.devices.models import Device, DeviceCheck
from baomi.devices.selectors import devices_visible_to, manages_devices
from baomi.devices.services import attach_scan_report
from baomi.scanner.model import LEVEL_NAMES, Limits

from .choices import ProfileBase
from .models import KeywordList, ScanProfile, ScanReport
from .report import CheckedReport, check_report

NAME_MAX = 100
PROFILE_NAME_MAX = 50
NOTE_MAX = 2000
NUMBER_MAX = 50
TERMS_MAX = 50_000
TERMS_BYTES_MAX = 1024 * 1024
TERM_MAX = 200
# At most this many rectifications per report; one more sums up the rest.
RECTIFICATIONS_MAX = 50
RECTIFICATION_DAYS_KEY = "scans.rectification_days"
LIMIT_KEYS = tuple(Limits.__dataclass_fields__)
TRACE_NAMES = {
    "usb_storage": gettext_lazy("a USB storage device"),
    "browser_history": gettext_lazy("browser history"),
    "recent_files": gettext_lazy("recently used files"),
    "network_interfaces": gettext_lazy("a network interface"),
}


def invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def require_office(actor: Any, unit: Unit) -> User:
    """The 保密办 of `unit` (the role that keeps its device ledger)."""
    if not isinstance(actor, User) or not actor.is_active \
            or not manages_devices(actor, unit.pk):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")
    return actor


def home_unit(actor: Any) -> Unit:
    """The unit a 保密办 officer acts for: their own."""
    if not isinstance(actor, User):
        raise AccessDenied(_("Only the secrecy office of the unit can do this."),
                           code="not_secrecy_office")
    unit: Unit = actor.person.unit
    require_office(actor, unit)
    return unit


# --- keyword lists ------------------------------------------------------------------------------


def parse_terms(value: Any) -> list[str]:
    """One term per line, stripped, empty lines and repeats dropped, order kept; at most
    TERMS_MAX terms of TERM_MAX characters and TERMS_BYTES_MAX bytes in all."""
    if not isinstance(value, str):
        raise invalid("terms", _("Enter the terms as text, one per line."))
    if len(value.encode("utf-8", "replace")) > TERMS_BYTES_MAX:
        raise invalid("terms", _("The list is larger than 1 MB."), code="too_large")
    terms = list(dict.fromkeys(line.strip() for line in value.splitlines()))
    terms = [term for term in terms if term]
    if len(terms) > TERMS_MAX:
        raise invalid("terms", _("At most %(n)s terms.") % {"n": TERMS_MAX}, code="too_many")
    for term in terms:
        if len(term) > TERM_MAX or any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF
                                       for ch in term):
            raise invalid("terms", _("A term is longer than %(n)s characters or holds control "
                                     "characters: %(term)s") % {"n": TERM_MAX, "term": term[:40]})
    return terms


def decode_terms(content: bytes) -> str:
    """The text of an uploaded .txt: UTF-8 (with or without BOM), else GB18030."""
    if len(content) > TERMS_BYTES_MAX:
        raise invalid("file", _("The file is larger than 1 MB."), code="too_large")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise invalid("file", _("The file is neither UTF-8 nor GB18030 text."), code="bad_encoding")


LIST_NAME_TAKEN = gettext_lazy("The unit already has a keyword list of this name.")
PROFILE_NAME_TAKEN = gettext_lazy("The unit already has a profile of this name.")


@contextmanager
def name_taken_is_invalid(message: Any) -> Iterator[None]:
    """Two writers that both passed the name check: the unique constraint decides, and the
    loser gets the same 400 as a name found taken."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise invalid("name", str(message), code="duplicate_name") from None


def _list_values(keyword_list: KeywordList) -> dict[str, Any]:
    terms = keyword_list.term_list
    return {"name": keyword_list.name, "count": len(terms)}


def _list_name(unit: Unit, value: Any, exclude: int | None = None) -> str:
    name = clean_text(value, "name", NAME_MAX)
    if KeywordList.objects.filter(unit=unit, name=name).exclude(pk=exclude or 0).exists():
        raise invalid("name", str(LIST_NAME_TAKEN), code="duplicate_name")
    return name


def create_keyword_list(actor: Any, *, name: Any, terms: Any) -> KeywordList:
    unit = home_unit(actor)
    clean_terms = parse_terms(terms)
    with transaction.atomic():
        name = _list_name(unit, name)
        with name_taken_is_invalid(LIST_NAME_TAKEN):
            keyword_list = KeywordList.objects.create(
                unit=unit, name=name, terms="\n".join(clean_terms), updated_by=actor)
        record_event(actor, "SCAN_KEYWORD_LIST_CREATED", keyword_list,
                     after=_list_values(keyword_list))
    return keyword_list


def update_keyword_list(actor: Any, keyword_list: KeywordList, *, name: Any = None,
                        terms: Any) -> KeywordList:
    """Replace the terms (and the name, when given) of a list of the actor's unit."""
    unit = home_unit(actor)
    clean_terms = parse_terms(terms)
    with transaction.atomic():
        fresh = KeywordList.objects.select_for_update().filter(
            pk=getattr(keyword_list, "pk", None) or 0, unit=unit).first()
        if fresh is None:
            raise invalid("keyword_list", _("Choose a keyword list of the unit."))
        before = _list_values(fresh)
        fresh.name = fresh.name if name is None else _list_name(unit, name, exclude=fresh.pk)
        fresh.terms = "\n".join(clean_terms)
        fresh.updated_by = actor
        with name_taken_is_invalid(LIST_NAME_TAKEN):
            fresh.save()
        record_event(actor, "SCAN_KEYWORD_LIST_UPDATED", fresh, before=before,
                     after=_list_values(fresh))
    return fresh


def import_keyword_list(actor: Any, keyword_list: KeywordList, content: bytes) -> KeywordList:
    """Replace the terms of a list with those of a .txt file, one term per line."""
    return update_keyword_list(actor, keyword_list, terms=decode_terms(content))


# --- profiles ---------------------------------------------------------------------------------


def _profile_values(profile: ScanProfile) -> dict[str, Any]:
    return {"name": profile.name, "base": profile.base, "keyword_list": profile.keyword_list_id,
            "limits": profile.limits, "note": profile.note}


def _profile_name(unit: Unit, value: Any, exclude: int | None = None) -> str:
    name = clean_text(value, "name", PROFILE_NAME_MAX)
    # The name is given on a command line and in a URL: letters, digits, '-' and '_'.
    if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in name):
        raise invalid("name", _("Use letters, digits, “-” and “_” only."), code="bad_name")
    if ScanProfile.objects.filter(unit=unit, name=name).exclude(pk=exclude or 0).exists():
        raise invalid("name", str(PROFILE_NAME_TAKEN), code="duplicate_name")
    return name


def clean_limits(value: Any) -> dict[str, Any] | None:
    """Limits of `baomi scan` (see scanner.model.Limits): positive numbers, known keys."""
    if value in (None, {}, ""):
        return None
    if not isinstance(value, dict):
        raise invalid("limits", _("Give the limits as a JSON object."))
    for key, number in value.items():
        if key not in LIMIT_KEYS:
            raise invalid("limits", _("Unknown limit: %(key)s") % {"key": str(key)[:50]})
        if isinstance(number, bool) or not isinstance(number, int | float) \
                or not 0 < number <= 2**53:
            raise invalid("limits", _("Each limit is a positive number."))
    return value


def _profile_fields(unit: Unit, base: Any, keyword_list: Any, limits: Any,
                    note: Any) -> dict[str, Any]:
    if base not in ProfileBase.values:
        raise invalid("base", _("Choose from the list."))
    if keyword_list is not None and (not isinstance(keyword_list, KeywordList)
                                     or keyword_list.unit_id != unit.pk):
        raise invalid("keyword_list", _("Choose a keyword list of the unit."))
    return {"base": base, "keyword_list": keyword_list, "limits": clean_limits(limits),
            "note": clean_text(note, "note", NOTE_MAX, required=False)}


def create_profile(actor: Any, *, name: Any, base: Any, keyword_list: Any = None,
                   limits: Any = None, note: Any = "") -> ScanProfile:
    unit = home_unit(actor)
    fields = _profile_fields(unit, base, keyword_list, limits, note)
    with transaction.atomic():
        clean_name = _profile_name(unit, name)
        with name_taken_is_invalid(PROFILE_NAME_TAKEN):
            profile = ScanProfile.objects.create(unit=unit, name=clean_name, **fields)
        record_event(actor, "SCAN_PROFILE_CREATED", profile, after=_profile_values(profile))
    return profile


def update_profile(actor: Any, profile: ScanProfile, *, name: Any, base: Any,
                   keyword_list: Any = None, limits: Any = None, note: Any = "") -> ScanProfile:
    unit = home_unit(actor)
    fields = _profile_fields(unit, base, keyword_list, limits, note)
    with transaction.atomic():
        fresh = ScanProfile.objects.select_for_update().filter(
            pk=getattr(profile, "pk", None) or 0, unit=unit).first()
        if fresh is None:
            raise invalid("profile", _("Choose a profile of the unit."))
        before = _profile_values(fresh)
        fresh.name = _profile_name(unit, name, exclude=fresh.pk)
        for key, value in fields.items():
            setattr(fresh, key, value)
        with name_taken_is_invalid(PROFILE_NAME_TAKEN):
            fresh.save()
        record_event(actor, "SCAN_PROFILE_UPDATED", fresh, before=before,
                     after=_profile_values(fresh))
    return fresh


# --- reports ----------------------------------------------------------------------------------


def rectification_days(unit: Unit) -> int:
    return int(policy_of(unit)[RECTIFICATION_DAYS_KEY])


def _device_number(given: Any, report: dict[str, Any]) -> str:
    """The 保密编号 given with the upload, else the one in the report; may be empty."""
    value = given if given not in (None, "") else report.get("device")
    if value is None:
        return ""
    return clean_text(value, "device", NUMBER_MAX, required=False)


def _device(actor: User, unit: Unit, number: str) -> Device | None:
    """The ledger device of that number the officer sees, or None (a 非涉密 computer is
    usually not on the ledger: the report is kept with the number as given)."""
    if not number:
        return None
    return devices_visible_to(actor).filter(unit=unit, number=number).first()


def _same_day_check(device: Device | None, day: dt.date) -> DeviceCheck | None:
    if device is None:
        return None
    return DeviceCheck.objects.filter(device=device, checked_on=day).order_by("-id").first()


def _owner(device: Device | None, uploader: User) -> User:
    """The login of the device's responsible person, else the uploader."""
    if device is not None:
        user = User.objects.filter(person_id=device.responsible_id, is_active=True).first()
        if user is not None:
            return user
    return uploader


def _computer(report: dict[str, Any], number: str) -> str:
    host = str(report["host"]["hostname"])[:100]
    if number:
        return _("computer %(host)s (secrecy number %(number)s)") % {"host": host,
                                                                     "number": number}
    return _("computer %(host)s (not on the ledger)") % {"host": host}


def problem_text(violation: dict[str, Any], computer: str, day: dt.date) -> str:
    """rule D11: what the check tool found, in the words of a rectification."""
    message = str(violation.get("message", ""))[:300]
    if violation["kind"] == "file":
        level = int(violation["level"])
        what = (_("marked %(level)s") % {"level": LEVEL_NAMES[level]} if level
                else _("contains alarm keywords"))
        text = _("Check tool report of %(day)s: on %(computer)s the file %(path)s is "
                 "%(what)s.") % {"day": day.isoformat(), "computer": computer,
                                 "path": str(violation["path"])[:1000], "what": what}
    else:
        trace = TRACE_NAMES.get(violation["check"], violation["check"][:50])
        text = _("Check tool report of %(day)s: on %(computer)s a trace of %(trace)s was "
                 "found.") % {"day": day.isoformat(), "computer": computer, "trace": trace}
    return f"{text} {message}".strip()


def _problems(report: dict[str, Any], number: str, day: dt.date) -> list[str]:
    computer = _computer(report, number)
    violations = report["violations"]
    problems = [problem_text(v, computer, day) for v in violations[:RECTIFICATIONS_MAX]]
    rest = len(violations) - RECTIFICATIONS_MAX
    if rest > 0:
        problems.append(_("Check tool report of %(day)s: on %(computer)s %(count)s more "
                          "violations; see the report.") % {"day": day.isoformat(),
                                                           "computer": computer, "count": rest})
    return problems


def _report_values(report: ScanReport, rectifications: list[int]) -> dict[str, Any]:
    return {"device": report.device_id, "device_number": report.device_number,
            "host": report.host, "profile": report.profile, "sha256": report.sha256,
            "started_at": report.started_at.isoformat(), "violations": report.violations,
            "highest_level": report.highest_level, "clean": report.is_clean,
            "check": report.check_record_id, "rectifications": rectifications}


def _new_report(actor: User, unit: Unit, device: Device | None, number: str,
                checked: CheckedReport) -> ScanReport:
    data, summary = checked.data, checked.data["summary"]
    duplicate = Conflict(_("This report was uploaded before."), code="duplicate_report")
    if ScanReport.objects.filter(unit=unit, sha256=checked.sha256).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return ScanReport.objects.create(
                unit=unit, device=device, device_number=number,
                host=str(data["host"]["hostname"])[:255],
                profile=str(data["profile"]["name"])[:50],
                tool_version=str(data["tool"]["version"])[:50],
                engine=str(data["tool"].get("engine") or "")[:50],
                started_at=checked.started_at, finished_at=checked.finished_at,
                highest_level=summary["highest_level"], is_clean=summary["clean"],
                report=data, sha256=checked.sha256, uploaded_by=actor,
                **{key: summary[key] for key in ("files_scanned", "files_skipped",
                                                 "files_with_findings", "marks",
                                                 "keyword_hits", "violations")})
    except IntegrityError:  # the same report, uploaded at the same moment
        raise duplicate from None


def receive_report(actor: Any, device_number: Any, report: Any) -> ScanReport:
    """rule D11: keep a report of `baomi scan` uploaded by the 保密办, attach it to the device's
    check of the same day (local date of `started_at`), open one rectification per violation
    (at most RECTIFICATIONS_MAX and one for the rest) owned by the device's responsible person
    (else the uploader), due after `scans.rectification_days` days."""
    unit = home_unit(actor)
    checked = check_report(report)
    number = _device_number(device_number, checked.data)
    day = timezone.localdate(checked.started_at)
    with transaction.atomic():
        device = _device(actor, unit, number)
        scan = _new_report(actor, unit, device, number, checked)
        check = _same_day_check(device, day)
        if check is not None:
            attach_scan_report(actor, check, checked.data)
            ScanReport.objects.filter(pk=scan.pk).update(check_record=check)
            scan.check_record = check
        owner = _owner(device, actor)
        due_on = timezone.localdate() + dt.timedelta(days=rectification_days(unit))
        opened = [rectification.pk for rectification in Rectification.objects.bulk_create(
            Rectification(unit=unit, problem=problem, owner=owner, due_on=due_on, created_by=actor)
            for problem in _problems(checked.data, number, day))]
        scan.rectifications.set(opened)
        record_event(actor, "SCAN_REPORT_RECEIVED", scan, after=_report_values(scan, opened))
    return scan


# --- reads that leave a trace ------------------------------------------------------------------

READ_AUDITED_FROM = 2  # 机密


def read_is_audited(report: ScanReport) -> bool:
    """A report that found 机密 or 绝密 marks, or of a 机密 or 绝密 device."""
    device_level = int(report.device.level) if report.device is not None else 0
    return max(report.highest_level, device_level) >= READ_AUDITED_FROM


def record_report_read(actor: Any, report: ScanReport) -> None:
    """DESIGN.md 'Access model': opening the detail of a 机密 or 绝密 object is audited."""
    if read_is_audited(report):
        with transaction.atomic():
            record_event(actor, "SCAN_REPORT_READ", report)
