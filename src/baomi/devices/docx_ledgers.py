"""The printed device and media ledgers (python-docx, landscape; rules D1, D4, D9):
涉密计算机台帐, 涉密办公自动化设备台帐 and 安全保密产品台帐 — one family each, office equipment
having its own ledger (rule D9) — and 涉密存储介质台帐 with the computers each medium may be
used on (rule D4). The columns are those of the users' paper ledgers; the title carries the
unit, the filters and the date, and the foot the signatures of who drew it up and who checked
it.

The printed text is document content in Chinese, as the ledgers word it; the builders take
the rows the caller may see and return the .docx bytes.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from baomi.core.access import clearance
from baomi.core.docx import add_signature, add_table, date_text, new_document, to_bytes

from .choices import DeviceFamily
from .labels import level_mark
from .models import Device, Medium, MediumBinding

# A printed ledger longer than this is cut (with a note): the .xlsx export has every row.
MAX_LEDGER_ROWS = 1000
FAMILY_TITLES: dict[str, str] = {DeviceFamily.COMPUTER: "涉密计算机台帐",
                                 DeviceFamily.OFFICE: "涉密办公自动化设备台帐",
                                 DeviceFamily.SECURITY: "安全保密产品台帐"}
MEDIA_TITLE = "涉密存储介质台帐"
SIGNERS = ("制表人", "保密办核对人")
TABLE_FONT = Pt(9)
MARGIN = Cm(1.5)

Cell = Callable[[Any], str]


def _day(value: Any) -> str:
    return value.isoformat() if value else "—"


def _or_dash(value: str) -> str:
    return value or "—"


def _os(device: Device) -> str:
    if not device.os:
        return "—"
    return f"{device.os}（{device.os_installed_on.isoformat()}）" if device.os_installed_on \
        else device.os


# (header, cell) per column, one list per family: the columns of the users' ledgers.
_NUMBER: list[tuple[str, Cell]] = [
    ("保密编号", lambda d: d.number), ("密级", level_mark),
    ("类型", lambda d: str(d.get_kind_display())), ("品牌型号", lambda d: _or_dash(d.model)),
    ("序列号", lambda d: _or_dash(d.serial_no))]
_PLACE: list[tuple[str, Cell]] = [
    ("部门", lambda d: d.department.name), ("责任人", lambda d: d.responsible.name),
    ("存放位置", lambda d: _or_dash(d.location))]
DEVICE_COLUMNS: dict[str, list[tuple[str, Cell]]] = {
    DeviceFamily.COMPUTER: [
        *_NUMBER, ("资产编号", lambda d: _or_dash(d.asset_no)),
        ("硬盘序列号", lambda d: _or_dash(d.disk_serial)), ("MAC地址", lambda d: _or_dash(d.mac)),
        ("操作系统及安装日期", _os), *_PLACE,
        ("所在保密室", lambda d: d.room.name if d.room else "—"),  # rule Q7
        ("启用日期", lambda d: _day(d.in_use_on)),
        ("状态", lambda d: str(d.get_state_display()))],
    DeviceFamily.OFFICE: [
        *_NUMBER, ("资产编号", lambda d: _or_dash(d.asset_no)), *_PLACE,
        ("启用日期", lambda d: _day(d.in_use_on)),
        ("连接电话线", lambda d: "是" if d.phone_line else "否"),
        ("状态", lambda d: str(d.get_state_display()))],
    DeviceFamily.SECURITY: [
        *_NUMBER, ("资产编号", lambda d: _or_dash(d.asset_no)), *_PLACE,
        ("启用日期", lambda d: _day(d.in_use_on)),
        ("状态", lambda d: str(d.get_state_display()))],
}


def family_title(family: str) -> str:
    return FAMILY_TITLES.get(family, FAMILY_TITLES[DeviceFamily.COMPUTER])


def _landscape(document: DocumentObject) -> None:
    """A4 landscape with narrow margins and a smaller type, so that the columns fit."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    width, height = section.page_width, section.page_height
    if width is not None and height is not None and width < height:
        section.page_width, section.page_height = height, width
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    document.styles["Normal"].font.size = TABLE_FONT  # type: ignore[attr-defined]


def _ledger(title: str, header: list[str], rows: list[list[str]], *, unit_name: str,
            subject: str, total: int, counter: str) -> bytes:
    document = new_document(title)
    _landscape(document)
    document.add_paragraph(f"单位：{unit_name}    {subject}    "
                           f"制表日期：{date_text(timezone.localdate())}")
    add_table(document, ["序号", *header], ([str(n), *row] for n, row in enumerate(rows, 1)),
              blank_rows=3)
    if total > len(rows):
        document.add_paragraph(f"（本表列出前{len(rows)}{counter}，完整台帐请导出电子表格。）")
    document.add_paragraph(f"共{len(rows)}{counter}。")
    for signer in SIGNERS:
        add_signature(document, signer)
    return to_bytes(document)


def build_devices_ledger_docx(devices: Sequence[Device], *, family: str, unit_name: str,
                              subject: str) -> bytes:
    """The ledger of one family (rule D9) of `devices` — the department and responsible person
    selected — cut at MAX_LEDGER_ROWS. `subject` says what the filters kept (`部门：研发一部`)."""
    columns = DEVICE_COLUMNS.get(family, DEVICE_COLUMNS[DeviceFamily.COMPUTER])
    listed = list(devices[:MAX_LEDGER_ROWS])
    rows = [[cell(device) for _title, cell in columns] for device in listed]
    return _ledger(family_title(family), [title for title, _cell in columns], rows,
                   unit_name=unit_name, subject=subject, total=len(devices), counter="台")


def computers_of_media(user: Any, media: Sequence[Medium]) -> dict[int, list[str]]:
    """The numbers of the computers each of `media` is bound to now, by medium id, without
    those above the user's clearance (rule L5, as on the medium's page); one query."""
    bound: dict[int, list[str]] = {}
    bindings = (MediumBinding.objects
                .filter(medium__in=[medium.pk for medium in media], unbound_on__isnull=True,
                        device__level__lte=int(clearance(user)))
                .order_by("device__number").values_list("medium_id", "device__number"))
    for medium_id, number in bindings:
        bound.setdefault(medium_id, []).append(number)
    return bound


MEDIA_HEADER = ["保密编号", "密级", "类型", "品牌型号", "序列号", "容量", "部门", "责任人",
                "存放位置", "可使用的计算机", "状态"]


def build_media_ledger_docx(media: Sequence[Medium], *, computers: dict[int, list[str]],
                            unit_name: str, subject: str) -> bytes:
    """涉密存储介质台帐 of `media` (the department and responsible person selected), with the
    numbers of the computers each is bound to (`computers`, by medium id; rule D4), cut at
    MAX_LEDGER_ROWS."""
    listed = list(media[:MAX_LEDGER_ROWS])
    rows = [[medium.number, level_mark(medium), str(medium.get_kind_display()),
             _or_dash(medium.model), _or_dash(medium.serial_no), _or_dash(medium.capacity),
             medium.department.name, medium.responsible.name, _or_dash(medium.location),
             "、".join(computers.get(medium.pk, [])) or "—", str(medium.get_state_display())]
            for medium in listed]
    return _ledger(MEDIA_TITLE, MEDIA_HEADER, rows, unit_name=unit_name, subject=subject,
                   total=len(media), counter="件")
