"""Receiving the reports of the check tool (rule D11): who may, what is refused, where the
report goes (the device's check of the same local day), the rectifications it opens and that
it is received once."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.compliance.models import Rectification
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.policy import policy_of
from baomi.devices.models import DeviceCheck
from baomi.scans import services
from baomi.scans.models import ScanReport
from baomi.scans.report import REPORT_MAX_BYTES, canonical_json

from . import support
from .support import CHECKED_ON, SHANGHAI, make_report

people, yf1, other_unit, register_device, device, record = (
    support.people, support.yf1, support.other_unit, support.register_device, support.device,
    support.record)


def nothing_written() -> bool:
    return not ScanReport.objects.exists() and not Rectification.objects.exists() \
        and not AuditEvent.objects.filter(action="SCAN_REPORT_RECEIVED").exists()


@pytest.mark.rule("D11")
def test_office_receives_a_report_of_a_computer_not_on_the_ledger(people):
    scan = services.receive_report(people["office"], "BM-FM-0099", make_report(2))
    assert scan.device is None and scan.device_number == "BM-FM-0099"
    assert (scan.host, scan.profile, scan.violations, scan.highest_level, scan.is_clean) == (
        "pc-017", "unclassified", 2, 2, False)
    assert scan.started_at == dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.UTC)
    assert scan.check_record is None
    # owner: the uploader, as the computer has no responsible person on the ledger
    assert {r.owner for r in scan.rectifications.all()} == {people["office"]}
    event = AuditEvent.objects.get(action="SCAN_REPORT_RECEIVED")
    assert event.object_id == str(scan.pk)


@pytest.mark.rule("D11")
def test_the_number_in_the_report_is_used_when_none_is_given(people):
    scan = services.receive_report(people["office"], None, make_report(device="BM-FM-0042"))
    assert scan.device_number == "BM-FM-0042" and scan.is_clean
    assert not Rectification.objects.exists()


@pytest.mark.rule("D11")
@pytest.mark.parametrize("who", ["top", "head", "leader", "none"])
def test_only_the_secrecy_office_uploads(people, who):
    with pytest.raises(AccessDenied):
        services.receive_report(people[who], "BM-1", make_report(1))
    assert nothing_written()


def test_an_admin_role_alone_uploads_nothing(secadmin):
    with pytest.raises(AccessDenied):
        services.receive_report(secadmin, "BM-1", make_report(1))


def test_a_device_of_another_unit_is_unknown_here(people, device):
    scan = services.receive_report(people["office2"], device.number, make_report(1))
    assert scan.device is None and scan.unit == people["office2"].person.unit


def padded(size: int) -> dict:
    """A valid report whose canonical JSON is exactly `size` bytes."""
    report = make_report(1, padding="")
    report["padding"] = "x" * (size - len(canonical_json(report)))
    assert len(canonical_json(report)) == size
    return report


@pytest.mark.rule("D11")
def test_five_megabytes_are_received_and_one_byte_more_is_refused(people):
    with pytest.raises(InvalidInput) as refused:
        services.receive_report(people["office"], "BM-1", padded(REPORT_MAX_BYTES + 1))
    assert refused.value.code == "invalid_report" and "5 MB" in refused.value.message
    assert nothing_written()
    assert services.receive_report(people["office"], "BM-1", padded(REPORT_MAX_BYTES)).pk


BAD_REPORTS = {
    "not an object": [1, 2],
    "other schema": make_report(schema="other"),
    "version 2": make_report(version=2),
    "version true": make_report(version=True),
    "version as text": make_report(version="1"),
    "no summary": {k: v for k, v in make_report().items() if k != "summary"},
    "negative count": make_report(summary={**make_report()["summary"], "files_scanned": -1}),
    "count too large": make_report(summary={**make_report()["summary"], "marks": 2**31}),
    "level 4": make_report(summary={**make_report()["summary"], "highest_level": 4}),
    "clean as text": make_report(summary={**make_report()["summary"], "clean": "yes"}),
    "no host": make_report(host={}),
    "files not a list": make_report(files={}),
    "file without path": make_report(files=[{"level": 1, "violation": True, "findings": []}]),
    "violation of nothing": make_report(violations=[{"kind": "other", "message": ""}]),
    "file violation level text": make_report(
        violations=[{"kind": "file", "path": "/a", "level": "2", "message": ""}]),
    "no offset": make_report(started_at="2025-03-03T09:30:00"),
    "not a date": make_report(started_at="gestern"),
    "finished before started": make_report(finished_at="2025-03-03T09:00:00+08:00"),
    "NUL character": make_report(host={"hostname": "pc\x00017"}),
    "lone surrogate": make_report(host={"hostname": "pc\ud800"}),
    "not a number": make_report(padding=float("nan")),
    "trace without status": make_report(traces=[{"check": "usb_storage"}]),
}


@pytest.mark.rule("D11")
@pytest.mark.parametrize("name", list(BAD_REPORTS))
def test_what_is_not_a_schema_1_report_is_refused(people, name):
    with pytest.raises(InvalidInput) as refused:
        services.receive_report(people["office"], "BM-1", BAD_REPORTS[name])
    assert refused.value.code == "invalid_report", name
    assert nothing_written()


@pytest.mark.rule("D11")
def test_attached_to_the_device_check_of_the_same_local_day(people, device, record):
    check = record()
    # 00:30 in Shanghai is the day before in UTC: the local day counts.
    started = dt.datetime(CHECKED_ON.year, CHECKED_ON.month, CHECKED_ON.day, 0, 30,
                          tzinfo=SHANGHAI)
    scan = services.receive_report(people["office"], device.number, make_report(1, started=started))
    assert scan.device == device and scan.check_record == check
    check.refresh_from_db()
    assert check.report["host"]["hostname"] == "pc-017"
    assert AuditEvent.objects.filter(action="DEVICE_CHECK_REPORT_ATTACHED").count() == 1
    # owner: the login of the device's responsible person
    assert {r.owner for r in scan.rectifications.all()} == {people["top"]}


@pytest.mark.rule("D11")
def test_not_attached_to_the_check_of_the_next_day(people, device, record):
    check = record()
    started = dt.datetime(CHECKED_ON.year, CHECKED_ON.month, CHECKED_ON.day, 23, 59,
                          tzinfo=SHANGHAI) - dt.timedelta(days=1)
    scan = services.receive_report(people["office"], device.number, make_report(started=started))
    assert scan.device == device and scan.check_record is None
    assert DeviceCheck.objects.get(pk=check.pk).report is None


@pytest.mark.rule("D11")
@pytest.mark.parametrize(("violations", "traces", "opened"),
                         [(0, 0, 0), (1, 1, 2), (50, 0, 50), (51, 0, 51), (49, 3, 51), (70, 0, 51)])
def test_one_rectification_per_violation_at_most_fifty_and_one_for_the_rest(
        people, violations, traces, opened):
    scan = services.receive_report(people["office"], "BM-FM-0099",
                                   make_report(violations, trace_violations=traces))
    problems = list(scan.rectifications.order_by("id").values_list("problem", flat=True))
    assert len(problems) == opened == Rectification.objects.count()
    assert all(r.item is None for r in Rectification.objects.all())
    total = violations + traces
    if total > 50:
        assert f"{total - 50} 项" in problems[-1] and "BM-FM-0099" in problems[-1]
    if violations:
        assert "报告0.docx" in problems[0] and "机密" in problems[0] and "pc-017" in problems[0]
    if traces and total <= 50:
        assert "网络接口" in problems[-1]


@pytest.mark.rule("D11")
@pytest.mark.parametrize("days", [1, 180])
def test_rectifications_are_due_after_the_policy_days(people, unit, days):
    unit.policy_overrides = {"scans.rectification_days": days}
    unit.save(update_fields=["policy_overrides"])
    people["office"].person.unit.refresh_from_db()
    services.receive_report(people["office"], "BM-1", make_report(1))
    assert Rectification.objects.get().due_on == timezone.localdate() + dt.timedelta(days=days)


def test_the_policy_default_is_thirty_days(unit):
    assert policy_of(unit)["scans.rectification_days"] == 30


@pytest.mark.rule("D11")
def test_the_same_report_is_received_once(people):
    report = make_report(1)
    services.receive_report(people["office"], "BM-1", report)
    reordered = json.loads(json.dumps(dict(reversed(list(report.items())))))
    with pytest.raises(Conflict) as refused:
        services.receive_report(people["office"], "BM-2", reordered)
    assert refused.value.code == "duplicate_report" and refused.value.status == 409
    assert ScanReport.objects.count() == 1 and Rectification.objects.count() == 1
    # another unit may keep the same report
    assert services.receive_report(people["office2"], "BM-1", report).pk


@pytest.mark.rule("D11")
def test_the_owner_rectifies_and_the_office_re_checks(people, device):
    from baomi.compliance import services_inspections as compliance
    from baomi.compliance.choices_inspections import RectificationState

    services.receive_report(people["office"], device.number, make_report(1))
    rectification = Rectification.objects.get()
    compliance.record_measures(people["top"], rectification, measures="已删除该文件并上报保密办")
    compliance.recheck_rectification(people["office"], Rectification.objects.get(),
                                     passed=True)
    assert Rectification.objects.get().state == RectificationState.VERIFIED
