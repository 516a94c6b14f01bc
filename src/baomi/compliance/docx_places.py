"""Printed forms of classified meetings (rule M2): the 涉密会议签到表 (attendees, sign-in time,
phone handed in, a column to sign) and the 会议文件发放回收登记表 (each document, its copies,
to whom it was issued, when, and when it came back)."""

from docx.document import Document as DocumentObject

from baomi.core.docx import add_section, add_signature, add_table, new_document, time_text, to_bytes
from baomi.core.labels import Level

from .models import ClassifiedMeeting
from .selectors_places import meeting_attendees, meeting_documents

SIGN_IN_HEADER = ["序号", "姓名", "单位", "身份证件", "签到时间", "手机已上交", "本人签名"]
DOCUMENT_HEADER = ["序号", "文件名称", "文号", "份数", "载体编号", "领取人", "发放时间",
                   "收回时间", "收回人签名"]
BLANK_ROWS = 10


def _head(meeting: ClassifiedMeeting, title: str) -> DocumentObject:
    document = new_document(title)
    place = meeting.key_place.name if meeting.key_place_id and meeting.key_place \
        else meeting.room.name if meeting.room_id and meeting.room else meeting.place_text
    add_section(document, "会议名称：", meeting.title)
    document.add_paragraph(
        f"密级：{Level(meeting.level).label}    "
        f"时间：{time_text(meeting.starts_at)} 至 {time_text(meeting.ends_at)}    地点：{place}")
    return document


def _flag(value: bool) -> str:
    return "是" if value else "否"


def sign_in_sheet(meeting: ClassifiedMeeting) -> bytes:
    """涉密会议签到表: one row per named attendee; the signature column is signed by hand."""
    document = _head(meeting, "涉密会议签到表")
    rows = [[str(number), attendee.name, attendee.organisation, attendee.id_note,
             time_text(attendee.signed_in_at) if attendee.signed_in_at else "",
             _flag(attendee.phone_handed_in) if attendee.signed_in_at else "", ""]
            for number, attendee in enumerate(meeting_attendees(meeting), start=1)]
    add_table(document, SIGN_IN_HEADER, rows, blank_rows=BLANK_ROWS)
    document.add_paragraph(
        f"身份核验：{_flag(meeting.identity_check)}    手机集中存放：{_flag(meeting.phones_collected)}"
        f"    信号屏蔽：{_flag(meeting.signal_jammer)}")
    add_signature(document, "会议组织人签字")
    return to_bytes(document)


def document_sheet(meeting: ClassifiedMeeting) -> bytes:
    """会议文件发放回收登记表: every document issued at the meeting and when it came back."""
    document = _head(meeting, "会议文件发放回收登记表")
    rows = [[str(number), doc.title, doc.number, str(doc.copies),
             doc.carrier.number if doc.carrier_id and doc.carrier else "",
             doc.issued_to.name if doc.issued_to_id and doc.issued_to else "",
             time_text(doc.issued_at), time_text(doc.returned_at) if doc.returned_at else "", ""]
            for number, doc in enumerate(meeting_documents(meeting), start=1)]
    add_table(document, DOCUMENT_HEADER, rows, blank_rows=BLANK_ROWS)
    add_signature(document, "保密办经办人签字")
    return to_bytes(document)
