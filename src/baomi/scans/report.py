"""Validation of an uploaded `baomi scan` report (docs/scan-report.md, schema version 1).

Only what the server relies on is checked; anything else refuses the whole report with
`invalid_report` (400) naming what is wrong, in Chinese. Fields may be added within version 1,
so unknown keys are kept as they are.
"""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from baomi.core.errors import InvalidInput
from baomi.scanner import SCHEMA, SCHEMA_VERSION

REPORT_MAX_BYTES = 5 * 1024 * 1024
SUMMARY_COUNTS = ("files_scanned", "files_skipped", "files_with_findings", "marks",
                  "keyword_hits", "violations")
# A count past this does not fit the register's columns (PostgreSQL integer).
COUNT_MAX = 2**31 - 1
LEVELS = range(0, 4)
VIOLATION_KINDS = ("file", "trace")
# PostgreSQL's jsonb stores no NUL character: a \u0000 escape not itself escaped.
ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


@dataclass(frozen=True)
class CheckedReport:
    """A valid report, its canonical JSON and what the register keeps in columns."""

    data: dict[str, Any]
    canonical: bytes
    sha256: str
    started_at: dt.datetime
    finished_at: dt.datetime


def refuse(what: str) -> InvalidInput:
    message = _("The report is not a valid check tool report: %(what)s") % {"what": what}
    return InvalidInput(message, code="invalid_report", fields={"report": message})


def canonical_json(report: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same report always gives the same bytes."""
    try:
        text = json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError, RecursionError, UnicodeEncodeError):
        raise refuse(_("it cannot be written as JSON")) from None


def check_report(report: Any) -> CheckedReport:
    """The report if it is a schema-1 report of at most 5 MB; InvalidInput otherwise."""
    if not isinstance(report, dict):
        raise refuse(_("it is not a JSON object"))
    canonical = canonical_json(report)
    if len(canonical) > REPORT_MAX_BYTES:
        raise refuse(_("it is larger than 5 MB"))
    if ESCAPED_NUL.search(canonical.decode("utf-8")):
        raise refuse(_("it contains NUL characters"))
    if report.get("schema") != SCHEMA:
        raise refuse(_("the schema is not “%(schema)s”") % {"schema": SCHEMA})
    if type(report.get("version")) is not int or report["version"] != SCHEMA_VERSION:
        raise refuse(_("version %(version)s is not supported") % {"version": SCHEMA_VERSION})
    _check_parts(report)
    started, finished = _moment(report, "started_at"), _moment(report, "finished_at")
    if finished < started:
        raise refuse(_("it finished before it started"))
    return CheckedReport(report, canonical, hashlib.sha256(canonical).hexdigest(),
                         started, finished)


def _check_parts(report: dict[str, Any]) -> None:
    _mapping(report, "tool", ("name", "version"))
    _mapping(report, "host", ("hostname",))
    _mapping(report, "profile", ("name",))
    if report.get("device") is not None and not isinstance(report.get("device"), str):
        raise refuse(_("“device” is not text"))
    _check_summary(_mapping(report, "summary", ()))
    for entry in _list(report, "files"):
        _check_file(entry)
    for entry in _list(report, "violations"):
        _check_violation(entry)
    for entry in _list(report, "traces"):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("check"), str) \
                or not isinstance(entry.get("status"), str):
            raise refuse(_("a trace has no check or status"))
    for entry in report.get("skipped", []) if isinstance(report.get("skipped"), list) else ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("path"), str):
            raise refuse(_("a skipped file has no path"))


def _mapping(report: dict[str, Any], key: str, texts: tuple[str, ...]) -> Mapping[str, Any]:
    value = report.get(key)
    if not isinstance(value, Mapping):
        raise refuse(_("“%(key)s” is missing") % {"key": key})
    for name in texts:
        if not isinstance(value.get(name), str):
            raise refuse(_("“%(key)s.%(name)s” is missing") % {"key": key, "name": name})
    return value


def _list(report: dict[str, Any], key: str) -> list[Any]:
    value = report.get(key)
    if not isinstance(value, list):
        raise refuse(_("“%(key)s” is not a list") % {"key": key})
    return value


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= COUNT_MAX


def _check_summary(summary: Mapping[str, Any]) -> None:
    for key in SUMMARY_COUNTS:
        if not _count(summary.get(key)):
            raise refuse(_("“summary.%(key)s” is not a count") % {"key": key})
    if type(summary.get("highest_level")) is not int or summary["highest_level"] not in LEVELS:
        raise refuse(_("“summary.highest_level” is not a level from 0 to 3"))
    if not isinstance(summary.get("clean"), bool):
        raise refuse(_("“summary.clean” is not true or false"))


def _check_file(entry: Any) -> None:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("path"), str):
        raise refuse(_("a file has no path"))
    if type(entry.get("level")) is not int or entry["level"] not in LEVELS:
        raise refuse(_("a file's level is not from 0 to 3"))
    if not isinstance(entry.get("violation"), bool) or not isinstance(entry.get("findings"), list):
        raise refuse(_("a file has no violation flag or findings"))
    if not all(isinstance(finding, Mapping) for finding in entry["findings"]):
        raise refuse(_("a finding is not an object"))


def _check_violation(entry: Any) -> None:
    if not isinstance(entry, Mapping) or entry.get("kind") not in VIOLATION_KINDS:
        raise refuse(_("a violation is neither of a file nor of a trace"))
    if entry["kind"] == "file" and (not isinstance(entry.get("path"), str)
                                    or entry.get("level") not in LEVELS
                                    or type(entry.get("level")) is not int):
        raise refuse(_("a file violation has no path or level"))
    if entry["kind"] == "trace" and not isinstance(entry.get("check"), str):
        raise refuse(_("a trace violation names no check"))
    if not isinstance(entry.get("message", ""), str):
        raise refuse(_("a violation's message is not text"))


def _moment(report: dict[str, Any], key: str) -> dt.datetime:
    """An ISO 8601 moment with its UTC offset."""
    value = report.get(key)
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 2000 <= moment.year <= 2100:
        raise refuse(_("“%(key)s” is not a date and time with its offset") % {"key": key})
    return moment
