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
    AWAY = "away", _("Away for maintenance")  # rule D7: left the unit, its disk removed
    RETIRED = "retired", _("Retired")  # rule D8: locked, kept on the ledger


# A retired device or medium is locked: no service changes it any more (rule D8).
LOCKED_DEVICE_STATES = frozenset({DeviceState.RETIRED})


class MediumKind(models.TextChoices):
    USB_DRIVE = "usb", _("USB drive")
    PORTABLE_DISK = "disk", _("Portable hard disk")
    OPTICAL = "optical", _("Optical disc")
    MEMORY_CARD = "card", _("Memory card")


class MediumState(models.TextChoices):
    IN_STORE = "in_store", _("In store")
    OUT = "out", _("Checked out")
    RETIRED = "retired", _("Retired")  # rule D8: locked, never sold


class MediumLoanState(models.TextChoices):
    OUT = "out", _("Checked out")
    RETURNED = "returned", pgettext_lazy("medium loan", "Returned")


class ContentCheck(models.TextChoices):
    """返回信息清除情况: what became of the information written on a medium while out."""

    NOTHING_WRITTEN = "nothing", _("Nothing written")
    CLEARED = "cleared", _("Written and cleared")
    KEPT = "kept", _("Written and kept, registered")


class MaintenanceMode(models.TextChoices):
    """rule D7: repaired in the unit, on site under a named supervisor, or — only when it
    cannot be helped — sent out with its disk removed first."""

    IN_HOUSE = "in_house", _("Repaired by the unit's own staff")
    ON_SITE = "on_site", _("Repaired on site under supervision")
    SENT_OUT = "sent_out", _("Sent out for repair")


class MaintenanceState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWAY = "away", _("Away for repair")
    DONE = "done", _("Repaired")


class RetirementState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting clearing")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLEARED = "cleared", _("Information cleared")
    DESTROYED = "destroyed", _("Handed over for destruction")


class ClearingMethod(models.TextChoices):
    """信息清除 as the designated body does it (rule D8)."""

    DEGAUSS = "degauss", _("Degaussing")
    SHRED = "shred", _("Shredding")
    SMELT = "smelt", _("Smelting")
    OVERWRITE = "overwrite", _("Overwriting with an approved tool")


class CheckRole(models.TextChoices):
    """rule D11: a check record is signed by the checker, the user and the department head."""

    CHECKER = "checker", _("Checker")
    USER = "user", pgettext_lazy("device check", "User")
    HEAD = "head", _("Department head")


class FindingState(models.TextChoices):
    """A rectification item (整改) from a check: open, rectified by its owner, verified by the
    保密办 at the re-check."""

    OPEN = "open", pgettext_lazy("finding", "Open")
    RECTIFIED = "rectified", _("Rectified, awaiting re-check")
    VERIFIED = "verified", _("Verified")
