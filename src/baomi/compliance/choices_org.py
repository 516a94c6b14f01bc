"""Kinds and positions of the 保密委员会 / 保密工作领导小组 and its meetings (rule Q1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    """rule Q1: a unit sets up a 保密委员会 or a 保密工作领导小组."""

    COMMITTEE = "committee", _("Secrecy committee")
    LEADING_GROUP = "leading_group", _("Secrecy work leading group")


class MemberPosition(models.TextChoices):
    """A member's position: chair (主任/组长), deputy (副主任/副组长), member (委员/成员), or head
    of the 保密办 (保密办主任)."""

    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    MEMBER = "member", _("Member")
    OFFICE_HEAD = "office_head", _("Head of the secrecy office")


class MeetingKind(models.TextChoices):
    """A regular meeting (the twice-yearly ones of rule Q1) or a special one."""

    REGULAR = "regular", _("Regular meeting")
    SPECIAL = "special", _("Special meeting")


# Positions listed first on the roster and in the attendance list.
POSITION_ORDER: dict[str, int] = {MemberPosition.CHAIR: 0, MemberPosition.DEPUTY: 1,
                  MemberPosition.OFFICE_HEAD: 2, MemberPosition.MEMBER: 3}
