"""The printed 涉密载体外发审批单 / 携带外出审批单 / 携带出境审批单 of one movement (rules C2,
C6): the carrier and its mark, the requester, who carries it and who goes with it, where to
and why, the 机要 channel of a carrier sent out, the date it is due back, the approval
opinions, the hand-over and the return or the recipient's receipt (签收), signature lines.

The printed text is document content in Chinese, as the regulations word it.
"""

from collections.abc import Iterable

from docx.document import Document as DocumentObject

from baomi.approvals.docx import add_opinions
from baomi.approvals.models import Step
from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    time_text,
    to_bytes,
)
from baomi.core.labels import Level, Scheme

from .choices import CarrierKind
from .docx_forms import KIND_NAMES, ROLE_OPINIONS
from .models import Movement
from .models.movement import MovementChannel, MovementKind, MovementState
from .views.display import carrier_mark

MOVEMENT_NAMES = {MovementKind.SEND_OUT: "外发", MovementKind.CARRY_OUT: "携带外出",
                  MovementKind.ABROAD: "携带出境"}
CHANNEL_NAMES = {MovementChannel.CONFIDENTIAL_TRAFFIC: "机要交通",
                 MovementChannel.CONFIDENTIAL_MAIL: "机要通信",
                 MovementChannel.IN_PERSON: "派专人送达"}
STATE_NAMES = {MovementState.REQUESTED: "待审批", MovementState.APPROVED: "已批准待交接",
               MovementState.REJECTED: "未批准", MovementState.WITHDRAWN: "已撤回",
               MovementState.OUT: "已携出", MovementState.RETURNED: "已归还入库",
               MovementState.DELIVERED: "已送达签收"}
SENT_STATE = "已发出待签收"
DEFAULT_ROLES = ("department_head", "secrecy_office")
TOP_SECRET_ROLES = (*DEFAULT_ROLES, "leader")
SEND_OUT_NOTE = ("涉密载体只能通过机要交通、机要通信或者派专人传递，不得通过普通邮政、快递传递；"
                 "接收方清点后签收。")
CARRY_NOTE = "携带人采取可靠保密措施，载体不离身，不在公共场所阅读、存放，按期归还并交保密办清点入库。"
TOP_SECRET_NOTE = "绝密级载体由二人以上携带，不得携带出境。"


def movement_title(movement: Movement) -> str:
    """`涉密载体携带外出审批单` and its siblings, by kind."""
    return f"涉密载体{MOVEMENT_NAMES.get(MovementKind(movement.kind), '外发')}审批单"


def _top_secret(movement: Movement) -> bool:
    carrier = movement.carrier
    return carrier.scheme == Scheme.STATE and carrier.level >= Level.TOP_SECRET


def _state_text(movement: Movement) -> str:
    if movement.state == MovementState.OUT and not movement.comes_back:
        return SENT_STATE
    return STATE_NAMES.get(MovementState(movement.state), "")


def build_movement_docx(movement: Movement, steps: Iterable[Step]) -> bytes:
    """The approval form of `movement`, with the opinions of its approval `steps`."""
    carrier = movement.carrier
    document = new_document(movement_title(movement))
    add_table(document, ["载体编号", "名称", "密级及保密期限", "载体类型", "份数", "页数"], [[
        carrier.number, carrier.title, carrier_mark(carrier),
        KIND_NAMES.get(CarrierKind(carrier.kind), ""), str(carrier.copies),
        str(carrier.pages or "—")]])
    requester = movement.created_by.person
    add_table(document, ["申请人", "所在部门", "事项", "目的地/接收单位", "申请时间"], [[
        requester.name, requester.department.name if requester.department else "",
        MOVEMENT_NAMES.get(MovementKind(movement.kind), ""), movement.destination,
        time_text(movement.created_at)]])
    _people_table(document, movement)
    add_section(document, "一、事由", movement.purpose)
    notes = [SEND_OUT_NOTE if movement.kind == MovementKind.SEND_OUT else CARRY_NOTE]
    if _top_secret(movement):
        notes.append(TOP_SECRET_NOTE)
    for note in notes:
        document.add_paragraph(note)
    roles = TOP_SECRET_ROLES if _top_secret(movement) else DEFAULT_ROLES
    add_opinions(document, steps, first=2, titles=ROLE_OPINIONS, default_roles=roles)
    add_section(document, f"状态：{_state_text(movement)}")
    _handover_table(document, movement)
    add_signature(document, "申请人签字")
    add_signature(document, "携带人签字")
    add_signature(document, "保密办经办人签字")
    return to_bytes(document)


def _people_table(document: DocumentObject, movement: Movement) -> None:
    person = movement.carried_by
    channel = CHANNEL_NAMES.get(MovementChannel(movement.channel), "") if movement.channel \
        else "—"
    due = date_text(movement.due_back_on) if movement.comes_back else "—"
    add_table(document, ["责任人（携带人）", "所在部门", "携带/护送人员", "传递方式", "应归还日期"], [[
        person.name, person.department.name if person.department else "",
        "、".join(str(name) for name in movement.escorts) or "—", channel, due]])


def _handover_table(document: DocumentObject, movement: Movement) -> None:
    handed_by = movement.handed_over_by.person.name if movement.handed_over_by else ""
    out_at = time_text(movement.out_at) if movement.out_at else ""
    if movement.comes_back:
        returned = time_text(movement.returned_at) if movement.returned_at else ""
        add_table(document, ["携出时间", "交接经办人", "携带人签字", "归还时间", "保密办签收"],
                  [[out_at, handed_by, "", returned, ""]])
        return
    received = date_text(movement.received_on) if movement.received_on else ""
    add_table(document, ["发出时间", "发出经办人", "接收单位", "接收人签收", "签收日期"],
              [[out_at, handed_by, movement.destination, movement.receipt_signed_by,
                received]])
