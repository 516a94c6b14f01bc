"""The ledger of the committee's meetings of a year (.xlsx, openpyxl write_only): each meeting
with its topics, attendance and decisions (rule Q1)."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices_org import MeetingKind
from .models import CommitteeMeeting


def meeting_headers() -> list[str]:
    return [_("Held on"), _("Kind"), _("Place"), _("Topics"), _("Present"),
            _("Absent (reason)"), _("Decisions"), _("Recorded by")]


def _row(sheet: Any, meeting: CommitteeMeeting, kinds: dict[str, str]) -> list[Any]:
    rows = list(meeting.attendance.all())
    present = "、".join(row.member.name for row in rows if row.present)
    absent = "、".join(f"{row.member.name}（{row.absence_reason}）" for row in rows
                      if not row.present)
    recorder = meeting.recorded_by.person.name if meeting.recorded_by else ""
    return [meeting.held_on, *(text_cell(sheet, value) for value in (
        kinds.get(meeting.kind, meeting.kind), meeting.place, meeting.topics, present, absent,
        meeting.decisions, recorder))]


def write_meetings(meetings: Iterable[CommitteeMeeting], title: str) -> tuple[IO[bytes], int]:
    """The meetings in a temporary file positioned at its start, and the number of rows.
    `meetings` should prefetch the attendance with its members and select the recorder."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([text_cell(sheet, header) for header in meeting_headers()])
    kinds = {str(value): str(label) for value, label in MeetingKind.choices}
    count = 0
    for meeting in meetings:
        if count >= MAX_ROWS:
            break
        sheet.append(_row(sheet, meeting, kinds))
        count += 1
    return saved_workbook(workbook), count
