"""Secrecy levels, personnel categories and dominance (rules L1, L2, L4, L5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """State-secret levels, ordered so that a higher value dominates (rule L1)."""

    NONSECRET = 0, _("Non-secret")
    SECRET = 1, _("Secret")
    CONFIDENTIAL = 2, _("Confidential")
    TOP_SECRET = 3, _("Top secret")


class Category(models.IntegerChoices):
    """Classified personnel categories; each grants the level of the same value (rule L2)."""

    NONE = 0, _("Not classified")
    GENERAL = 1, _("General")
    IMPORTANT = 2, _("Important")
    CORE = 3, _("Core")


class Scheme(models.TextChoices):
    """Marking schemes kept apart in every report (rule L4)."""

    STATE = "state", _("State secret")
    WORK = "work", _("Work secret")
    COMMERCIAL = "commercial", _("Commercial secret")


def clearance_of(category: int) -> Level:
    """The level a personnel category is cleared for (rule L2)."""
    return Level(int(category))


def dominates(clearance: int, level: int) -> bool:
    """True when a subject cleared to `clearance` may read an object at `level` (rule L5)."""
    return int(clearance) >= int(level)
