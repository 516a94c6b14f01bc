"""The unit's 保密委员会 / 保密工作领导小组, its members and its meetings (rule Q1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit

from ..choices_org import CommitteeKind, MeetingKind, MemberPosition


class Committee(models.Model):
    """The 保密委员会 or 保密工作领导小组 of a unit (rule Q1): led by the unit's legal
    representative (法定代表人), meeting at least `compliance.committee_meetings_per_year` times
    a year. A unit has at most one active committee. The accounts Unit does not record its
    legal representative: the committee does, and the chair is checked against it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="committees")
    kind = models.CharField(_("kind"), max_length=20, choices=CommitteeKind.choices,
                            default=CommitteeKind.COMMITTEE)
    name = models.CharField(_("name"), max_length=100)
    established_on = models.DateField(_("established on"))
    document_number = models.CharField(_("founding document number"), max_length=100,
                                       blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    duties = models.TextField(_("duties"), max_length=4000, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("secrecy committee")
        verbose_name_plural = _("secrecy committees")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["unit"], condition=Q(active=True),
                                               name="committee_one_active_per_unit")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A member of a committee from `from_on` to `to_on` (None: a current member). A member
    with a login is linked to the user; one from outside the system has only a name."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"),
                                  on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("post in the unit"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=20, choices=MemberPosition.choices,
                                default=MemberPosition.MEMBER)
    is_legal_representative = models.BooleanField(_("legal representative"), default=False)
    duties = models.CharField(_("duties"), max_length=500, blank=True)
    from_on = models.DateField(_("member from"))
    to_on = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["id"]
        constraints = [
            # rule Q1: one current chair; of two concurrent appointments one wins.
            models.UniqueConstraint(fields=["committee"],
                                    condition=Q(position="chair", to_on__isnull=True),
                                    name="committee_one_current_chair"),
        ]
        indexes = [models.Index(fields=["committee", "to_on"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"

    @property
    def audit_unit_id(self) -> int:
        return int(self.committee.unit_id)


class CommitteeMeeting(models.Model):
    """A meeting of the committee with its topics, minutes (会议纪要) and decisions."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"),
                                  on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.REGULAR)
    topics = models.TextField(_("topics"), max_length=2000)
    minutes = models.TextField(_("meeting minutes"), max_length=10000)
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="compliance/meetings/%Y/",
                                  blank=True,
                                  help_text=_("The signed minutes or the sign-in sheet, scanned."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["committee", "held_on"])]

    def __str__(self) -> str:
        return f"{self.committee} · {self.held_on}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.committee.unit_id)


class MeetingAttendance(models.Model):
    """Whether a member attended a meeting, and why not."""

    meeting = models.ForeignKey(CommitteeMeeting, verbose_name=_("meeting"),
                                on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, verbose_name=_("member"),
                               on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="meeting_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting.held_on}"
