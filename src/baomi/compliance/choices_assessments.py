"""Kinds and states of scored assessments (rules Q2, Q3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentKind(models.TextChoices):
    """A self-assessment by the unit, or the on-site review (现场审查) by the authority."""

    SELF = "self", _("Self-assessment")
    REVIEW = "review", _("On-site review")


class AssessmentState(models.TextChoices):
    """Scored item by item while a draft; once completed, the result is fixed and locked."""

    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")
