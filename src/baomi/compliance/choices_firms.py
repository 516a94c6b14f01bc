"""Kinds and states of the outside firms a unit uses (rules Q8, Q11)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FirmKind(models.TextChoices):
    """rule Q11: the 中介机构 (audit, appraisal, legal, sponsor), consulting units and 外协
    subcontractors (the only kind rule Q8's 名录 applies to)."""

    AUDIT = "audit", _("Intermediary: audit")
    APPRAISAL = "appraisal", _("Intermediary: appraisal")
    LEGAL = "legal", _("Intermediary: legal")
    SPONSOR = "sponsor", _("Intermediary: sponsor")
    CONSULTING = "consulting", _("Consulting service unit")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")


class FirmState(models.TextChoices):
    """rule Q11: a firm struck off signs no new contract until it is reinstated."""

    ACTIVE = "active", _("In use")
    STRUCK_OFF = "struck_off", _("Struck off")


class ReviewResult(models.TextChoices):
    """rule Q11: the re-review of a reported change of a firm's conditions."""

    PENDING = "pending", _("Not re-reviewed")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ContractState(models.TextChoices):
    """A contract with an outside firm runs until it is ended."""

    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
