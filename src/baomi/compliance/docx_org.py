"""Printed forms of the 保密委员会 (rule Q1): the 会议纪要 of a meeting with its attendance list
(a column to sign) and the 组成人员名单 (roster) of the committee."""

import datetime as dt

from baomi.core.docx import add_section, add_signature, add_table, date_text, new_document, to_bytes

from .models import Committee, CommitteeMeeting
from .selectors_org import current_members, meeting_attendance

ATTENDANCE_HEADER = ["序号", "姓名", "职务", "出席情况", "缺席原因", "签名"]
ROSTER_HEADER = ["序号", "姓名", "委员会职务", "单位职务", "工作分工", "任职起始日期"]


def minutes_docx(meeting: CommitteeMeeting) -> bytes:
    """保密委员会会议纪要: the meeting, the attendance list with a column to sign, the minutes and
    the decisions, signed by the recorder and the chair."""
    committee = meeting.committee
    document = new_document(f"{committee.name}会议纪要")
    add_table(document, ["会议日期", "会议地点", "会议类型"], [[
        date_text(meeting.held_on), meeting.place, str(meeting.get_kind_display())]])
    add_section(document, "会议议题", meeting.topics)
    add_section(document, "出席人员")
    rows = [[str(number), row.member.name, str(row.member.get_position_display()),
             "出席" if row.present else "缺席", row.absence_reason, ""]
            for number, row in enumerate(meeting_attendance(meeting), start=1)]
    add_table(document, ATTENDANCE_HEADER, rows)
    add_section(document, "会议纪要", meeting.minutes)
    add_section(document, "会议决定", meeting.decisions or "无")
    recorder = meeting.recorded_by.person.name if meeting.recorded_by else ""
    document.add_paragraph(f"记录人：{recorder}")
    add_signature(document, "主任（组长）签字")
    return to_bytes(document)


def roster_docx(committee: Committee, on: dt.date) -> bytes:
    """保密委员会组成人员名单: the committee's record and its current members with their duties."""
    document = new_document(f"{committee.name}组成人员名单")
    add_table(document, ["单位", "成立日期", "成立文号", "法定代表人"], [[
        committee.unit.name, date_text(committee.established_on),
        committee.document_number, committee.legal_representative]])
    add_section(document, "组成人员")
    rows = [[str(number), member.name, str(member.get_position_display()), member.title,
             member.duties, date_text(member.from_on)]
            for number, member in enumerate(current_members(committee), start=1)]
    add_table(document, ROSTER_HEADER, rows)
    if committee.duties:
        add_section(document, "委员会职责", committee.duties)
    document.add_paragraph(f"制表日期：{date_text(on)}")
    return to_bytes(document)
