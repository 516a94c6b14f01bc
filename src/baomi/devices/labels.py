"""Printable level labels of devices and media with a QR code (rules D1, D4).

A label carries the level in large type (a device and a medium are labelled with their
level), the 保密编号, the kind and model, the responsible person, and a QR code of its payload
`BAOMI-SB:<unit code>:<number>` (devices) or `BAOMI-JZ:<unit code>:<number>` (media), printed
under the code so that it can be typed by hand when a code does not scan.

The printed text is document content in Chinese; the builder returns the .docx bytes.
"""

from collections.abc import Iterable

from docx.shared import Cm
from docx.table import _Cell

from baomi.core.label_sheet import add_code, add_line, build_sheet, make_payload
from baomi.core.labels import Level

from .models import Device, Medium

DEVICE_PREFIX = "BAOMI-SB"
MEDIUM_PREFIX = "BAOMI-JZ"
MAX_LABELS = 500  # one print run; the ledger's filters narrow it down
QR_WIDTH = Cm(3.0)
LEVEL_WORDS = {Level.NONSECRET: "非密", Level.SECRET: "秘密", Level.CONFIDENTIAL: "机密",
               Level.TOP_SECRET: "绝密"}


def label_payload(obj: Device | Medium) -> str:
    """What the label's QR code holds."""
    prefix = DEVICE_PREFIX if isinstance(obj, Device) else MEDIUM_PREFIX
    return make_payload(prefix, obj.unit.code, obj.number)


def level_mark(obj: Device | Medium) -> str:
    """The level as printed on the casing: 机密 for a classified device, 非密 otherwise."""
    return LEVEL_WORDS.get(Level(obj.level), "")


def _fill(cell: _Cell, obj: Device | Medium) -> None:
    add_line(cell, level_mark(obj), 24, bold=True, first=True)
    add_line(cell, obj.number, 13, bold=True)
    kind = " ".join(part for part in (obj.get_kind_display(), obj.model) if part)
    add_line(cell, str(kind), 10)
    add_line(cell, f"责任人：{obj.responsible.name}", 10)
    add_code(cell, label_payload(obj), QR_WIDTH)


def build_labels_docx(objects: Iterable[Device | Medium], title: str = "涉密设备标签") -> bytes:
    """One label per device or medium, two side by side, several per page."""
    return build_sheet(title, list(objects), _fill)
