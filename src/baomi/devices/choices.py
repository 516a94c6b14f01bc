"""Kinds and states of classified devices and removable media (rules D1, D2, D4, D9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeviceKind(models.TextChoices):
    """What a device is; its family (`FAMILY`) decides which ledger it is on (rule D9)."""

    DESKTOP = "desktop", _("Desktop computer")
    PORTABLE = "portable", _("Portable computer")
    SERVER = "server", _("Server")
    INTERMEDIARY = "intermediary", _("Intermediary computer")
    PRINTER = "printer", _("Printer")
    COPIER = "copier", _("Copier")
    SCANNER = "scanner", _("Scanner")
    FAX = "fax", _("Fax machine")
    MULTIFUNCTION = "multifunction", _("Multifunction device")
    SECURITY_PRODUCT = "security", _("Security product")


class DeviceFamily(models.TextChoices):
    COMPUTER = "computer", _("Computers")
    OFFICE = "office", _("Office equipment")
    SECURITY = "security", _("Security products")


FAMILY = {
    DeviceKind.DESKTOP: DeviceFamily.COMPUTER, DeviceKind.PORTABLE: DeviceFamily.COMPUTER,
    DeviceKind.SERVER: DeviceFamily.COMPUTER, DeviceKind.INTERMEDIARY: DeviceFamily.COMPUTER,
    DeviceKind.PRINTER: DeviceFamily.OFFICE, DeviceKind.COPIER: DeviceFamily.OFFICE,
    DeviceKind.SCANNER: DeviceFamily.OFFICE, DeviceKind.FAX: DeviceFamily.OFFICE,
    DeviceKind.MULTIFUNCTION: DeviceFamily.OFFICE,
    DeviceKind.SECURITY_PRODUCT: DeviceFamily.SECURITY,
}
# rule D4: media are bound to computers only.
TAKES_MEDIA = frozenset(kind for kind, family in FAMILY.items()
                        if family == DeviceFamily.COMPUTER)


class DeviceState(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Not in use")


class MediumKind(models.TextChoices):
    USB_DRIVE = "usb", _("USB drive")
    PORTABLE_DISK = "disk", _("Portable hard disk")
    OPTICAL = "optical", _("Optical disc")
    MEMORY_CARD = "card", _("Memory card")


class MediumState(models.TextChoices):
    IN_STORE = "in_store", _("In store")
    OUT = "out", _("Checked out")


class MediumLoanState(models.TextChoices):
    OUT = "out", _("Checked out")
    RETURNED = "returned", pgettext_lazy("medium loan", "Returned")


class ContentCheck(models.TextChoices):
    """返回信息清除情况: what became of the information written on a medium while out."""

    NOTHING_WRITTEN = "nothing", _("Nothing written")
    CLEARED = "cleared", _("Written and cleared")
    KEPT = "kept", _("Written and kept, registered")
