"""The printed forms of maintenance (rule D7) and retirement (rule D8).

- 涉密设备维修审批表 (repaired in the unit or on site) / 涉密设备送外维修登记表 (sent out): the
  device's columns, the fault, how and by whom it is repaired, the supervisor, the approval
  opinions, the disk removed (by whom, when, kept where), the days it left and came back, the
  repair done, signature lines.
- 涉密设备（介质）报废审批表: the device's or medium's columns, the reason, the approval
  opinions, the 信息清除 (method, by whom, when), the destruction body, the hand-over day and
  the certificate number, signature lines.

The printed text is document content in Chinese, as the regulations word it; the builders
return the .docx bytes, the views serve them.
"""

from collections.abc import Iterable

from django.utils import translation
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
from baomi.core.labels import Level

from .choices import ClearingMethod, MaintenanceMode, MaintenanceState, RetirementState
from .labels import LEVEL_WORDS
from .models import Device, Maintenance, Medium, Retirement

MODE_NAMES = {MaintenanceMode.IN_HOUSE: "本单位自行维修", MaintenanceMode.ON_SITE: "上门现场维修",
              MaintenanceMode.SENT_OUT: "送外维修"}
MAINTENANCE_STATES = {
    MaintenanceState.REQUESTED: "待审批", MaintenanceState.APPROVED: "已批准",
    MaintenanceState.REJECTED: "未批准", MaintenanceState.WITHDRAWN: "已撤回",
    MaintenanceState.AWAY: "送修中", MaintenanceState.DONE: "维修完成"}
RETIREMENT_STATES = {
    RetirementState.REQUESTED: "待审批", RetirementState.APPROVED: "已批准，待信息清除",
    RetirementState.REJECTED: "未批准", RetirementState.WITHDRAWN: "已撤回",
    RetirementState.CLEARED: "已信息清除，待交销毁", RetirementState.DESTROYED: "已交销毁"}
METHOD_NAMES = {ClearingMethod.DEGAUSS: "消磁", ClearingMethod.SHRED: "物理粉碎",
                ClearingMethod.SMELT: "熔炼", ClearingMethod.OVERWRITE: "专用工具覆写"}
ROLE_OPINIONS = {"department_head": "使用部门负责人意见", "secrecy_office": "保密办意见",
                 "leader": "单位领导意见"}
DEFAULT_ROLES = ("department_head", "secrecy_office")
LEADER_ROLES = (*DEFAULT_ROLES, "leader")
SUPERVISED_NOTE = ("维修全程由本单位监修人现场监督，维修人员不得读取、复制、带走涉密信息，"
                   "不得拆卸带走存储部件。")
SENT_OUT_NOTE = ("送外维修前须拆除硬盘（存储部件）并登记存放位置；送至具有相应资质的维修单位，"
                 "返回后经检查方可使用。")
RETIREMENT_NOTE = ("涉密设备（介质）报废前须经信息清除（技术处理），送交指定的销毁机构销毁并取得销毁证明；"
                   "严禁出售、赠送或作为普通废品处理。")


def _kind(obj: Device | Medium) -> str:
    with translation.override("zh-hans"):
        return str(obj.get_kind_display())


def _level(obj: Device | Medium) -> str:
    return LEVEL_WORDS.get(Level(obj.level), "")


def _department(obj: Device | Medium) -> str:
    return obj.department.name if obj.department_id else ""


def _approver_roles(level: int, leader_from: int) -> tuple[str, ...]:
    return LEADER_ROLES if level >= leader_from else DEFAULT_ROLES


def maintenance_title(maintenance: Maintenance) -> str:
    if maintenance.mode == MaintenanceMode.SENT_OUT:
        return "涉密设备送外维修登记表"
    return "涉密设备维修审批表"


def build_maintenance_docx(maintenance: Maintenance, steps: Iterable[Step]) -> bytes:
    """The form of `maintenance`, with the opinions of its approval `steps`."""
    device = maintenance.device
    sent_out = maintenance.mode == MaintenanceMode.SENT_OUT
    document = new_document(maintenance_title(maintenance))
    add_table(document, ["保密编号", "设备类型", "密级", "品牌型号", "序列号", "硬盘序列号"], [[
        device.number, _kind(device), _level(device), device.model or "—",
        device.serial_no or "—", device.disk_serial or "—"]])
    requester = maintenance.created_by.person
    supervisor = maintenance.supervisor.name if maintenance.supervisor else "—"
    add_table(document, ["责任人", "使用部门", "申请人", "申请时间", "维修方式", "维修单位（人员）",
                         "监修人"], [[
        device.responsible.name, _department(device), requester.name,
        time_text(maintenance.created_at), MODE_NAMES.get(MaintenanceMode(maintenance.mode), ""),
        maintenance.repairer, supervisor]])
    add_section(document, "一、故障情况", maintenance.fault)
    document.add_paragraph(SENT_OUT_NOTE if sent_out else SUPERVISED_NOTE)
    leader_from = Level.CONFIDENTIAL if sent_out else Level.TOP_SECRET
    add_opinions(document, steps, first=2, titles=ROLE_OPINIONS,
                 default_roles=_approver_roles(int(device.level), leader_from))
    add_section(document, f"状态：{MAINTENANCE_STATES.get(MaintenanceState(maintenance.state), '')}")
    if sent_out:
        _disk_table(document, maintenance)
    _repair_table(document, maintenance)
    add_signature(document, "申请人签字")
    add_signature(document, "送修经办人签字" if sent_out else "监修人签字")
    add_signature(document, "维修人员签字")
    add_signature(document, "保密办经办人签字")
    return to_bytes(document)


def _disk_table(document: DocumentObject, maintenance: Maintenance) -> None:
    removed_by = (maintenance.disk_removed_by.person.name if maintenance.disk_removed_by
                  else "")
    add_table(document, ["硬盘拆除日期", "拆除登记人", "硬盘存放位置", "送出日期", "返回日期"], [[
        date_text(maintenance.disk_removed_on), removed_by, maintenance.disk_kept_at,
        date_text(maintenance.left_on), date_text(maintenance.back_on)]])


def _repair_table(document: DocumentObject, maintenance: Maintenance) -> None:
    add_table(document, ["维修完成日期", "维修内容及结果", "验收人签字"], [[
        date_text(maintenance.done_on), maintenance.result, ""]])


def _subject(retirement: Retirement) -> Device | Medium:
    subject = retirement.device if retirement.device_id else retirement.medium
    assert subject is not None
    return subject


def build_retirement_docx(retirement: Retirement, steps: Iterable[Step]) -> bytes:
    """涉密设备（介质）报废审批表 of `retirement`, with the opinions of its approval `steps`."""
    subject = _subject(retirement)
    document = new_document("涉密设备（介质）报废审批表")
    kind = "涉密设备" if isinstance(subject, Device) else "涉密存储介质"
    extra = (subject.disk_serial if isinstance(subject, Device) else subject.capacity) or "—"
    add_table(document, ["类别", "保密编号", "类型", "密级", "品牌型号", "序列号",
                         "硬盘序列号/容量"], [[
        kind, subject.number, _kind(subject), _level(subject), subject.model or "—",
        subject.serial_no or "—", extra]])
    requester = retirement.created_by.person
    add_table(document, ["责任人", "所属部门", "申请人", "申请时间"], [[
        subject.responsible.name, _department(subject), requester.name,
        time_text(retirement.created_at)]])
    add_section(document, "一、报废原因", retirement.reason)
    document.add_paragraph(RETIREMENT_NOTE)
    add_opinions(document, steps, first=2, titles=ROLE_OPINIONS,
                 default_roles=_approver_roles(int(subject.level), Level.CONFIDENTIAL))
    state = RETIREMENT_STATES.get(RetirementState(retirement.state), "")
    add_section(document, f"状态：{state}")
    method = (METHOD_NAMES.get(ClearingMethod(retirement.clearing_method), "")
              if retirement.clearing_method else "")
    add_table(document, ["信息清除日期", "清除方式", "清除人（单位）", "保密办登记人"], [[
        date_text(retirement.cleared_on), method, retirement.cleared_by,
        retirement.recorded_by.person.name if retirement.recorded_by else ""]])
    add_table(document, ["销毁机构", "送交日期", "销毁证明编号", "接收人签字"], [[
        retirement.destruction_body, date_text(retirement.handed_over_on),
        retirement.certificate_no, ""]])
    add_signature(document, "申请人签字")
    add_signature(document, "信息清除人签字")
    add_signature(document, "保密办经办人签字")
    return to_bytes(document)
