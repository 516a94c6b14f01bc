"""Kinds and states of the compliance app (rules I1, I2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    """rule I1: a leak (泄密事件) or a suspected leak."""

    LEAK = "leak", _("Leak")
    SUSPECTED_LEAK = "suspected_leak", _("Suspected leak")


class IncidentState(models.TextChoices):
    """Where the handling of an incident stands. Only `open` exists so far: the investigation
    (rule I2, 四不放过) is the compliance app's own workflow, added with it."""

    OPEN = "open", _("Open")
