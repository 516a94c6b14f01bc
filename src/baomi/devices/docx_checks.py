"""The printed 涉密计算机保密检查记录 of one check (rules D3, D11): the device as the ledger has
it, the day, the check tool and its version, each item with its result and note, the network
attestation, the conclusion, the rectification items with their owner and due day, and the
signatures of the checker, the user and the department head — who signed and when, or a line
to sign by hand.

The printed text is document content in Chinese, as the regulations word it; the item labels
and kinds are the translated labels of the checklist and the choices.
"""

from docx.document import Document as DocumentObject

from baomi.core.docx import (
    add_section,
    add_signature,
    add_table,
    date_text,
    new_document,
    to_bytes,
)

from .checklist import item_label
from .choices import FAMILY, CheckRole, DeviceFamily, DeviceKind, FindingState
from .labels import level_mark
from .models import CheckFinding, CheckSignOff, Device, DeviceCheck

ROLE_WORDS = {CheckRole.CHECKER: "检查人员", CheckRole.USER: "使用人",
              CheckRole.HEAD: "部门负责人"}
FINDING_WORDS = {FindingState.OPEN: "待整改", FindingState.RECTIFIED: "已整改待复查",
                 FindingState.VERIFIED: "已复查通过"}
ATTESTATION = (("no_internet", "未连接互联网或其他公共信息网络"),
               ("no_wireless", "未安装无线网卡、蓝牙等无线通信设备"),
               ("ports_sealed", "端口封贴完好"))
NOTE = ("检查应使用保密办认可的专用检查工具，检查工具不得在涉密和非涉密计算机之间交叉使用；"
        "检查记录由检查人员、使用人、被检查部门负责人签字。")


def record_title(device: Device) -> str:
    computer = FAMILY[DeviceKind(device.kind)] == DeviceFamily.COMPUTER
    return "涉密计算机保密检查记录" if computer else "涉密设备保密检查记录"


def check_record_filename(check: DeviceCheck) -> str:
    return f"{record_title(check.device)}-{check.device.number}-{check.checked_on:%Y%m%d}.docx"


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _device_tables(document: DocumentObject, device: Device) -> None:
    add_table(document, ["保密编号", "设备类型", "密级", "品牌型号", "序列号"], [[
        device.number, str(device.get_kind_display()), level_mark(device), device.model or "—",
        device.serial_no or "—"]])
    add_table(document, ["硬盘序列号", "MAC地址", "使用部门", "责任人", "放置地点"], [[
        device.disk_serial or "—", device.mac or "—", device.department.name,
        device.responsible.name, device.location]])


def _items_table(document: DocumentObject, check: DeviceCheck) -> None:
    rows = [[str(number), item_label(str(result.get("item", ""))),
             "符合" if result.get("ok") else "不符合", str(result.get("note") or "")]
            for number, result in enumerate(check.items, start=1)]
    add_table(document, ["序号", "检查项目", "检查结果", "说明"], rows)


def _findings_table(document: DocumentObject, findings: list[CheckFinding]) -> None:
    rows = [[str(number), finding.description, finding.owner.name, date_text(finding.due_on),
             FINDING_WORDS.get(FindingState(finding.state), ""),
             finding.rectification or "—"]
            for number, finding in enumerate(findings, start=1)]
    add_table(document, ["序号", "发现问题", "整改责任人", "整改期限", "整改状态", "整改情况"],
              rows, blank_rows=2)


def _signatures(document: DocumentObject, check: DeviceCheck) -> None:
    signed = {s.role: s for s in CheckSignOff.objects.filter(check_record=check)
              .select_related("person")}
    for role in CheckRole.values:
        words = ROLE_WORDS[CheckRole(role)]
        sign_off = signed.get(role)
        if sign_off is None:
            add_signature(document, f"{words}签字")
        else:
            document.add_paragraph(f"{words}签字：{sign_off.person.name}    "
                                   f"{date_text(sign_off.signed_on)}")


def build_check_docx(check: DeviceCheck) -> bytes:
    """The check record of `check`, with what was signed so far."""
    device = check.device
    document = new_document(record_title(device))
    _device_tables(document, device)
    add_table(document, ["检查日期", "检查工具", "工具版本", "检查人员"], [[
        date_text(check.checked_on), check.tool, check.tool_version, check.checker.name]])
    add_section(document, "一、检查项目")
    _items_table(document, check)
    add_section(document, "二、网络情况证明")
    add_table(document, ["证明事项", "情况"], [
        [words, _yes_no(getattr(check, flag))] for flag, words in ATTESTATION])
    document.add_paragraph(f"证明日期：{date_text(check.checked_on)}")
    add_section(document, "三、检查结论", "通过" if check.passed else "未通过，按发现问题整改")
    if check.note:
        document.add_paragraph(f"备注：{check.note}")
    if isinstance(check.report, dict):
        schema = check.report.get("schema") or check.report.get("version") or ""
        document.add_paragraph(f"检查工具报告：已附（{schema}）")
    add_section(document, "四、发现问题及整改")
    _findings_table(document, list(check.findings.select_related("owner").order_by("id")))
    add_section(document, "五、签字")
    _signatures(document, check)
    document.add_paragraph(NOTE)
    return to_bytes(document)
