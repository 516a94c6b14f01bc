"""Kinds, results and states of inspections and rectifications (rules Q9, Q10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    """Who inspects: the unit itself (自查, rule Q9), a department, the superior or the
    secrecy bureau."""

    SELF = "self", _("Self-assessment")
    DEPARTMENT = "department", _("Department check")
    SUPERIOR = "superior", _("Inspection by the superior")
    BUREAU = "bureau", _("Inspection by the secrecy bureau")


class InspectionState(models.TextChoices):
    """An inspection is filled in as a draft and completed once every problem has its
    rectification (rule Q10)."""

    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class ItemResult(models.TextChoices):
    """The result of one checklist item."""

    UNCHECKED = "unchecked", _("Not checked yet")
    PASS = "pass", _("Passed")
    PROBLEM = "problem", _("Problem found")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class LibraryKind(models.TextChoices):
    """What a checklist library is for."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment library")
    DEPARTMENT_CHECK = "department_check", _("Department self-check list")


class RectificationState(models.TextChoices):
    """rule Q10: open until the owner records the measures (`done`), then re-checked by the
    保密办: passed → verified; failed → open again with a new due day."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done, awaiting re-check")
    VERIFIED = "verified", _("Verified")
