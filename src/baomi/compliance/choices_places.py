"""Kinds and states of 要害部门部位 and 涉密会议 (rules M1, M2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    """rule M1: a key department (要害部门) or a key part (要害部位, a room or an area)."""

    DEPARTMENT = "department", _("Key department")
    PART = "part", _("Key part")


class MeetingState(models.TextChoices):
    """Where a classified meeting stands: planned, held (the first attendee signed in), closed
    once the documents are collected back and the measures recorded (rule M2)."""

    PLANNED = "planned", _("Planned, not yet held")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")
