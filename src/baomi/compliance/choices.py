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
