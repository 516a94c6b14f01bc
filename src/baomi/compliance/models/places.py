"""要害部门部位 with their measures and the people allowed in (rule M1), and 涉密会议 with their
attendees and the documents issued and collected back (rule M2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Unit
from baomi.core.labels import Level

from ..choices_places import MeetingState, PlaceKind
from .rooms import SecureRoom


class KeyPlace(models.Model):
    """A key department or key part (要害部门部位) of a unit, approved and registered with its
    人防, 物防 and 技防 measures (rule M1). Phones are never taken inside: `phone_storage` says
    where they are left."""

    # rule M1: no phones inside a key place, whatever else is recorded.
    phones_forbidden = True

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="key_places")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=PlaceKind.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="key_places")
    location = models.CharField(_("location"), max_length=200)
    level = models.IntegerField(_("highest level handled"), choices=Level.choices)
    approved_on = models.DateField(_("approved on"))
    approval_no = models.CharField(_("approval document number"), max_length=100)
    people_measures = models.TextField(_("personnel measures"), max_length=2000)
    physical_measures = models.TextField(_("physical measures"), max_length=2000)
    technical_measures = models.TextField(_("technical measures"), max_length=2000)
    phone_storage = models.CharField(_("where phones are left"), max_length=300)
    room = models.ForeignKey(SecureRoom, verbose_name=_("secure room"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="key_places")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("key place")
        verbose_name_plural = _("key places")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="key_place_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class KeyPlacePerson(models.Model):
    """A person allowed into a key place (rule M1) from `granted_on` until `revoked_on`."""

    place = models.ForeignKey(KeyPlace, verbose_name=_("key place"), on_delete=models.CASCADE,
                              related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                             on_delete=models.PROTECT, related_name="key_place_grants")
    granted_on = models.DateField(_("allowed from"))
    revoked_on = models.DateField(_("allowed until"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granted by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("person allowed into a key place")
        verbose_name_plural = _("people allowed into key places")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(
            fields=["place", "user"], condition=Q(revoked_on__isnull=True),
            name="key_place_person_once")]

    def __str__(self) -> str:
        return f"{self.place.name} · {self.user}"


class ClassifiedMeeting(models.Model):
    """A classified meeting (涉密会议, rule M2): its level, 保密方案, place, named attendees and
    the measures taken at it (identity check, phones collected, signal jammer)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="classified_meetings")
    title = models.CharField(_("title"), max_length=200)
    level = models.IntegerField(_("level"), choices=Level.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    key_place = models.ForeignKey(KeyPlace, verbose_name=_("key place"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="meetings")
    room = models.ForeignKey(SecureRoom, verbose_name=_("secure room"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="meetings")
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organiser"),
                                  on_delete=models.PROTECT, related_name="organised_meetings")
    plan = models.TextField(_("secrecy plan"), max_length=4000, blank=True)
    identity_check = models.BooleanField(_("identities checked"), default=False)
    phones_collected = models.BooleanField(_("phones collected"), default=False)
    signal_jammer = models.BooleanField(_("signal jammer on"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=MeetingState.choices,
                             default=MeetingState.PLANNED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("classified meeting")
        verbose_name_plural = _("classified meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["unit", "starts_at"], name="meeting_unit_starts")]

    def __str__(self) -> str:
        return self.title


class MeetingAttendee(models.Model):
    """A named attendee of a classified meeting (rule M2): a person of the system, or someone
    from outside with their organisation and identity document; signed in at the door."""

    meeting = models.ForeignKey(ClassifiedMeeting, verbose_name=_("meeting"),
                                on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True,
                             blank=True, on_delete=models.PROTECT,
                             related_name="meetings_attended")
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    id_note = models.CharField(_("identity document"), max_length=100, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    phone_handed_in = models.BooleanField(_("phone handed in"), default=False)

    class Meta:
        verbose_name = _("meeting attendee")
        verbose_name_plural = _("meeting attendees")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(
            fields=["meeting", "user"], condition=Q(user__isnull=False),
            name="meeting_attendee_once")]

    def __str__(self) -> str:
        return self.name


class MeetingDocument(models.Model):
    """A document issued at a classified meeting and collected back at its end (rule M2);
    linked to the carrier ledger when it is a registered carrier."""

    meeting = models.ForeignKey(ClassifiedMeeting, verbose_name=_("meeting"),
                                on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("serial number of the document"), max_length=100, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    carrier = models.ForeignKey("carriers.Carrier", verbose_name=_("carrier"), null=True,
                                blank=True, on_delete=models.PROTECT,
                                related_name="meeting_documents")
    issued_to = models.ForeignKey(MeetingAttendee, verbose_name=_("issued to"), null=True,
                                  blank=True, on_delete=models.PROTECT,
                                  related_name="documents")
    issued_at = models.DateTimeField(_("issued at"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["id"]
        indexes = [models.Index(fields=["meeting", "returned_at"], name="meeting_doc_out")]

    def __str__(self) -> str:
        return self.title
