"""Kinds and states of the carriers app (rules C1–C10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.core.labels import Level


class CarrierKind(models.TextChoices):
    PAPER = "paper", _("Paper document")
    OPTICAL = "optical", _("Optical disc")
    ELECTRONIC = "electronic", _("Magnetic or electronic medium")
    PRODUCT = "product", _("Classified product")


class CarrierOrigin(models.TextChoices):
    """How the carrier entered the ledger (rule C2)."""

    RECEIVED = "received", _("Received")
    PRODUCED = "produced", _("Produced in the unit")
    COPIED = "copied", _("Copy")


class CarrierState(models.TextChoices):
    """Where the carrier is (rule C1: the ledger says where everything should be)."""

    IN_STORE = "in_store", _("In store")
    ON_LOAN = "on_loan", _("On loan")
    TO_DESTROY = "to_destroy", _("On a destruction list")
    MISSING = "missing", _("Whereabouts unknown")
    DESTROYED = "destroyed", _("Destroyed")
    OUT = "out", _("Out of the unit")
    SENT = "sent", _("Sent out")


class ContainerKind(models.TextChoices):
    """rule C3: 机密 and below in a 密码文件柜, 绝密 in a 密码保险柜."""

    CABINET = "cabinet", _("Secrecy cabinet")
    CODED_CABINET = "coded_cabinet", _("Coded file cabinet")
    SAFE = "safe", _("Coded safe")


# rule C3 (seed 000 细则§9: 机密级以下(含机密级)国家秘密载体应当存在密码文件柜中, 绝密级…密码
# 保险柜): the highest state-secret level each kind may hold; a plain 保密柜 holds 工作秘密 and
# 商业秘密 carriers only.
MAX_RATING = {
    ContainerKind.CABINET: Level.NONSECRET,
    ContainerKind.CODED_CABINET: Level.CONFIDENTIAL,
    ContainerKind.SAFE: Level.TOP_SECRET,
}


class LoanKind(models.TextChoices):
    """rule C5: 借阅 (borrowed for reading) or 传阅 (circulated, back the same day)."""

    BORROW = "borrow", _("Borrowing")
    CIRCULATE = "circulate", _("Circulation")


class LoanState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved, not yet handed out")
    OUT = "out", _("Handed out")
    RETURNED = "returned", pgettext_lazy("carrier loan", "Returned")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
