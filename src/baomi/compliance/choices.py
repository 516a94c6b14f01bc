"""Kinds and states of the compliance app (rules I1, I2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    """rule I1: a leak (泄密事件) or a suspected leak."""

    LEAK = "leak", _("Leak")
    SUSPECTED_LEAK = "suspected_leak", _("Suspected leak")


class IncidentState(models.TextChoices):
    """Where the handling of an incident stands: recorded (`open`), reported to the 保密局 or
    the superior and under investigation (rule I1), closed once 四不放过 is done (rule I2)."""

    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Under investigation")
    CLOSED = "closed", _("Closed")


class PublicationKind(models.TextChoices):
    """rule Q12: what is to be released outside the unit."""

    ARTICLE = "article", _("Article")
    NEWS = "news", _("News item")
    PAPER = "paper", _("Paper")
    EXHIBITION = "exhibition", _("Exhibition")
    WEB_POST = "web_post", _("Web post")
    DISCLOSURE = "disclosure", _("Information disclosure")
    OTHER = "other", _("Other")


class PublicationState(models.TextChoices):
    """Where a publication review stands (rule Q12): written, under review, approved or
    rejected (the author may revise and resubmit), published, or given up."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Under review")
    APPROVED = "approved", _("Approved, not yet published")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
