"""Classified meetings (rule M2): the obligation `compliance.meeting_documents_out` (documents
still out the day after the meeting ended, critical, for the organiser), the year's figures
for the annual report (`places_summary`) and the printed 签到表 and 会议文件发放回收登记表."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from baomi.compliance import services_places as sp
from baomi.compliance.docx_places import SIGN_IN_HEADER, document_sheet, sign_in_sheet
from baomi.compliance.rules_places import meeting_documents_out
from baomi.compliance.selectors_places import places_summary
from baomi.core.labels import Level
from baomi.obligations.models import Obligation
from baomi.obligations.services import run_sweep

from .test_places_support import important, office, place, plan  # noqa: F401

ENDS = timezone.make_aware(dt.datetime(2026, 11, 20, 17, 0))


def rows(today, meeting):
    return [row for row in meeting_documents_out(today) if row["subject_id"] == meeting.pk]


@pytest.fixture
def ended(unit, office, important):
    """A 机密 meeting that ended on 20 November at 17:00 with one document out."""
    meeting = plan(office, unit, starts_at=ENDS - dt.timedelta(hours=3), ends_at=ENDS,
                   organiser=important)
    attendee = sp.add_attendee(office, meeting, user=important)
    sp.sign_in_attendee(office, attendee, phone_handed_in=True)
    sp.issue_meeting_document(office, meeting, title="评审稿", number="评-01", copies=3,
                              issued_to=attendee)
    return meeting


@pytest.mark.rule("M2")
def test_a_document_out_is_due_the_day_after_the_meeting_and_critical(ended, important):
    assert rows(dt.date(2026, 11, 20), ended) == []  # the day of the meeting: not late yet
    [row] = rows(dt.date(2026, 11, 21), ended)
    assert (row["due_date"], row["severity"], row["responsible_id"], row["level"]) == (
        dt.date(2026, 11, 21), "critical", important.pk, Level.CONFIDENTIAL)
    assert row["subject_type"] == "compliance.classifiedmeeting"
    [later] = rows(dt.date(2026, 12, 1), ended)
    assert later["due_date"] == dt.date(2026, 11, 21)


@pytest.mark.rule("M2")
def test_the_obligation_ends_when_the_documents_are_back(ended, office):
    for document in ended.documents.all():
        sp.return_meeting_document(office, document)
    assert rows(dt.date(2026, 11, 21), ended) == []


@pytest.mark.rule("M2")
def test_the_return_period_is_a_policy_setting(ended, unit):
    unit.policy_overrides = {"meetings.documents_return_days": 3}
    unit.save()
    assert rows(dt.date(2026, 11, 22), ended) == []
    [row] = rows(dt.date(2026, 11, 23), ended)
    assert row["due_date"] == dt.date(2026, 11, 23)


@pytest.mark.rule("M2")
def test_the_sweep_opens_the_obligation(ended):
    run_sweep(dt.date(2026, 11, 24))
    assert Obligation.objects.filter(rule_code="compliance.meeting_documents_out",
                                     state="open", subject_id=ended.pk).count() == 1


def test_the_summary_counts_places_meetings_by_level_and_documents_out(
        unit, office, important, place, ended):
    plan(office, unit, level=Level.SECRET, plan="",
         starts_at=ENDS + dt.timedelta(days=5), ends_at=ENDS + dt.timedelta(days=5, hours=2))
    last_year = ENDS.replace(year=2025)
    plan(office, unit, starts_at=last_year - dt.timedelta(hours=2), ends_at=last_year)
    summary = places_summary(unit, 2026)
    assert summary["key_places"] == {"total": 1, "departments": 0, "parts": 1}
    assert summary["meetings_held"] == {1: 0, 2: 1, 3: 0}
    assert (summary["meetings_planned"], summary["documents_issued"],
            summary["documents_not_returned"]) == (1, 1, 1)


def cells(content):
    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_the_sign_in_sheet_lists_the_attendees_with_time_and_phone(ended, office):
    sp.add_attendee(office, ended, name="王专家", organisation="某研究所", id_note="工作证 0123")
    table = cells(sign_in_sheet(ended))
    assert table[0] == SIGN_IN_HEADER
    assert table[1][1] == "郭重要" and table[1][5] == "是" and "2026年" in table[1][4]
    assert table[1][6] == ""  # signed by hand
    assert table[2][1:6] == ["王专家", "某研究所", "工作证 0123", "", ""]
    text = "\n".join(p.text for p in Document(io.BytesIO(sign_in_sheet(ended))).paragraphs)
    assert "涉密会议签到表" in text and "机密" in text and "型号方案评审会" in text


def test_the_document_register_shows_issue_and_return(ended, office):
    table = cells(document_sheet(ended))
    assert table[1][1:6] == ["评审稿", "评-01", "3", "", "郭重要"]
    assert table[1][7] == ""
    for document in ended.documents.all():
        sp.return_meeting_document(office, document)
    assert cells(document_sheet(ended))[1][7].startswith("20")
