"""Services of the 保密委员会 (rule Q1): the committee is recorded with its chair, the legal
representative; there is exactly one current chair; members are added and ended; meetings are
recorded with their attendance. Every refusal has a stable code and writes nothing."""

import datetime as dt

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_org
from baomi.compliance.models import (
    Committee,
    CommitteeMeeting,
    CommitteeMember,
    MeetingAttendance,
)
from baomi.compliance.selectors_org import committee_summary, is_quorate
from baomi.core.errors import DomainError
from baomi.core.testing.factories import UnitFactory

from .org_support import ESTABLISHED_ON, committee, leader, meet, member, office  # noqa: F401


def written():
    return (Committee.objects.count(), CommitteeMember.objects.count(),
            CommitteeMeeting.objects.count(), MeetingAttendance.objects.count(),
            AuditEvent.objects.filter(action__startswith="COMMITTEE_").count())


def refused(code, call, *args, **kwargs):
    before = written()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.as_dict()
    assert written() == before
    return caught.value


def establish(office, unit, **changes):  # noqa: F811
    fields = {"kind": "committee", "name": "保密委员会", "established_on": ESTABLISHED_ON,
              "legal_representative": "陈建华", "chair_name": "陈建华"}
    return services_org.establish_committee(office, unit=unit, **{**fields, **changes})


@pytest.mark.rule("Q1")
def test_the_committee_is_recorded_with_its_chair(committee, leader):  # noqa: F811
    [chair] = committee.members.all()
    assert (chair.user, chair.name, chair.position, chair.is_legal_representative,
            chair.from_on, chair.to_on) == (leader, "陈建华", "chair", True, ESTABLISHED_ON, None)
    actions = list(AuditEvent.objects.filter(action__startswith="COMMITTEE_")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["COMMITTEE_ESTABLISHED", "COMMITTEE_MEMBER_ADDED"]


@pytest.mark.rule("Q1")
def test_a_committee_needs_its_chair(unit, office):  # noqa: F811
    refused("chair_required", establish, office, unit, chair_name="")


@pytest.mark.rule("Q1")
def test_the_chair_must_be_the_legal_representative(unit, office):  # noqa: F811
    error = refused("chair_not_legal_representative", establish, office, unit,
                    chair_name="陈建")
    assert error.rule == "Q1"
    establish(office, unit, chair_name="陈建华")


@pytest.mark.rule("Q1")
def test_one_active_committee_per_unit(unit, office, committee):  # noqa: F811
    refused("committee_exists", establish, office, unit)


def test_only_the_secrecy_office_writes(unit, leader, committee, make_user):  # noqa: F811
    refused("not_secrecy_office", establish, leader, UnitFactory())
    refused("not_secrecy_office", services_org.add_member, leader, committee,
            position="member", name="王五", from_on=ESTABLISHED_ON)
    refused("not_secrecy_office", meet, leader, committee, dt.date(2025, 3, 1))
    other_office = make_user("other-office", roles=[Role.SECRECY_OFFICE], unit=UnitFactory())
    refused("not_secrecy_office", services_org.update_committee, other_office, committee,
            kind="committee", name="改名", established_on=ESTABLISHED_ON,
            legal_representative="陈建华")


@pytest.mark.rule("Q1")
def test_exactly_one_current_chair(office, committee):  # noqa: F811
    refused("one_chair", services_org.add_member, office, committee, position="chair",
            name="陈建华", from_on=dt.date(2024, 1, 1))
    refused("chair_not_legal_representative", services_org.add_member, office, committee,
            position="chair", name="李四", from_on=dt.date(2024, 1, 1), replaces_chair=True)
    [chair] = committee.members.filter(position="chair")
    refused("chair_required", services_org.end_member, office, chair, to_on=dt.date(2024, 1, 1))


@pytest.mark.rule("Q1")
def test_a_new_legal_representative_is_appointed_in_the_chairs_place(office, committee):  # noqa: F811
    services_org.update_committee(office, committee, kind="committee", name=committee.name,
                                  established_on=ESTABLISHED_ON, legal_representative="李四")
    committee.refresh_from_db()
    assert committee_summary(committee.unit, 2025)["chair_is_legal_representative"] is False
    new = services_org.add_member(office, committee, position="chair", name="李四",
                                  from_on=dt.date(2025, 6, 1), replaces_chair=True)
    old = committee.members.get(name="陈建华")
    assert old.to_on == dt.date(2025, 5, 31) and new.to_on is None
    assert committee.members.filter(position="chair", to_on__isnull=True).get() == new
    assert committee_summary(committee.unit, 2025)["chair_is_legal_representative"] is True


@pytest.mark.rule("Q1")
def test_of_two_concurrent_chair_appointments_one_wins(office, committee, monkeypatch):  # noqa: F811
    """The loser read "no current chair" before the winner committed: the unique constraint
    (one current chair) refuses it with `one_chair` and nothing of it is written."""
    monkeypatch.setattr(services_org, "_end_current_chair", lambda *args: None)
    refused("one_chair", services_org.add_member, office, committee, position="chair",
            name="陈建华", from_on=dt.date(2025, 6, 1))
    assert committee.members.filter(position="chair", to_on__isnull=True).count() == 1


def test_two_concurrent_ends_of_a_membership_one_wins(office, member):  # noqa: F811
    stale = CommitteeMember.objects.get(pk=member.pk)
    services_org.end_member(office, member, to_on=dt.date(2025, 6, 30))
    refused("already_ended", services_org.end_member, office, stale, to_on=dt.date(2025, 7, 1))
    assert CommitteeMember.objects.get(pk=member.pk).to_on == dt.date(2025, 6, 30)


def test_member_checks(office, committee, member, make_user):  # noqa: F811
    refused("already_member", services_org.add_member, office, committee, position="member",
            user=member.user, from_on=ESTABLISHED_ON)
    outsider = make_user("outsider", unit=UnitFactory())
    refused("invalid", services_org.add_member, office, committee, position="member",
            user=outsider, from_on=ESTABLISHED_ON)
    refused("required", services_org.add_member, office, committee, position="member",
            name=" ", from_on=ESTABLISHED_ON)
    refused("invalid", services_org.add_member, office, committee, position="boss",
            name="王五", from_on=ESTABLISHED_ON)
    refused("before_established", services_org.add_member, office, committee,
            position="member", name="王五", from_on=dt.date(2021, 3, 14))
    refused("invalid", services_org.add_member, office, committee, position="member",
            name="王\x00五", from_on=ESTABLISHED_ON)
    refused("before_start", services_org.end_member, office, member, to_on=dt.date(2021, 3, 14))


def test_a_meeting_with_its_attendance(office, committee, member):  # noqa: F811
    chair = committee.members.get(position="chair")
    meeting = meet(office, committee, dt.date(2025, 3, 18), [
        {"member": chair.pk, "present": True},
        {"member": member.pk, "present": False, "absence_reason": "出差"}])
    rows = {row.member_id: (row.present, row.absence_reason)
            for row in meeting.attendance.all()}
    assert rows == {chair.pk: (True, ""), member.pk: (False, "出差")}
    assert is_quorate(meeting) is False  # one of two: not more than half
    event = AuditEvent.objects.get(action="COMMITTEE_MEETING_RECORDED")
    assert event.unit_id == committee.unit_id


def test_meeting_checks(office, committee, member):  # noqa: F811
    chair = committee.members.get(position="chair")
    refused("absence_reason_required", meet, office, committee, dt.date(2025, 3, 18),
            [{"member": member.pk, "present": False}])
    refused("invalid", meet, office, committee, dt.date(2025, 3, 18),
            [{"member": chair.pk}, {"member": chair.pk}])
    refused("invalid", meet, office, committee, dt.date(2025, 3, 18), [{"member": 10**9}])
    refused("invalid_date", meet, office, committee, dt.date.today() + dt.timedelta(days=2))
    refused("before_established", meet, office, committee, dt.date(2021, 3, 14))
    refused("required", meet, office, committee, dt.date(2025, 3, 18), minutes="")
    refused("invalid", meet, office, committee, dt.date(2025, 3, 18), kind="party")
    ended = services_org.add_member(office, committee, position="member", name="王五",
                                    from_on=ESTABLISHED_ON)
    services_org.end_member(office, ended, to_on=dt.date(2024, 12, 31))
    refused("invalid", meet, office, committee, dt.date(2025, 3, 18), [{"member": ended.pk}])


@pytest.mark.rule("Q1")
def test_the_summary_of_a_year(office, committee, member):  # noqa: F811
    chair = committee.members.get(position="chair")
    meet(office, committee, dt.date(2025, 3, 18), [
        {"member": chair.pk}, {"member": member.pk, "present": False, "absence_reason": "病假"}])
    meet(office, committee, dt.date(2025, 12, 31), [{"member": chair.pk},
                                                     {"member": member.pk}])
    meet(office, committee, dt.date(2026, 1, 1))
    summary = committee_summary(committee.unit, 2025)
    assert {key: summary[key] for key in ("members", "meetings_held", "meetings_required",
                                          "meets_requirement", "attendance_rate")} == {
        "members": 2, "meetings_held": 2, "meetings_required": 2, "meets_requirement": True,
        "attendance_rate": 0.75}
    assert committee_summary(committee.unit, 2024)["meetings_held"] == 0
    assert committee_summary(UnitFactory(), 2025)["committee"] is None


def test_the_attachment_of_a_meeting(office, committee):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused("file_type", meet, office, committee, dt.date(2025, 3, 18),
            attachment=SimpleUploadedFile("纪要.exe", b"MZ"))
    big = SimpleUploadedFile("纪要.pdf", b"%PDF")
    big.size = services_org.ATTACHMENT_MAX_BYTES + 1
    refused("too_large", meet, office, committee, dt.date(2025, 3, 18), attachment=big)
    meeting = meet(office, committee, dt.date(2025, 3, 18),
                   attachment=SimpleUploadedFile("签到表.PDF", b"%PDF-1.4 scan"))
    assert meeting.attachment.name.endswith("meeting-20250318.pdf")
    with meeting.attachment.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 scan"


def test_the_committee_is_not_established_after_its_first_record(office, committee):  # noqa: F811
    def update(day):
        return services_org.update_committee(
            office, committee, kind="committee", name=committee.name, established_on=day,
            legal_representative="陈建华")

    refused("after_first_record", update, dt.date(2021, 3, 16))
    assert update(dt.date(2021, 3, 1)).established_on == dt.date(2021, 3, 1)
