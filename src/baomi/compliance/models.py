"""Records of the compliance app: leak incidents (泄密事件, rules I1, I2) and secure rooms
with their protective measures (rule Q7).

An incident is recorded when a rule says an event is handled as a leak — so far rule C8: a
carrier still untraced 10 days (绝密) or 60 days (机密, 秘密) after its loss was discovered.
Its source is a generic reference (`source_type`, `source_id`, `source_label`), so that other
apps (devices, meetings …) can record incidents without this app knowing their models.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit
from baomi.core.labels import Level, Scheme

from .choices import IncidentKind, IncidentState


class Incident(models.Model):
    """A leak or suspected leak (rule I1) of one unit, at the level of what leaked (rule L5):
    the source it came from, when it was discovered and when it was recorded."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="incidents")
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices,
                              default=Scheme.STATE)
    level = models.IntegerField(_("level"), choices=Level.choices)
    title = models.CharField(_("title"), max_length=300)
    discovered_on = models.DateField(_("discovered on"))
    created_on = models.DateField(_("recorded on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("Empty: a daily job."))
    source_type = models.CharField(_("kind of source"), max_length=60, blank=True,
                                   help_text=_("e.g. carriers.carrier"))
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=IncidentState.choices,
                             default=IncidentState.OPEN)

    class Meta:
        verbose_name = _("leak incident")
        verbose_name_plural = _("leak incidents")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "state", "id"]),
                   models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return self.title


class SecureRoom(models.Model):
    """A secure room (保密室, 档案室, 要害部位 …) of a unit with its protective measures (rule
    Q7): door access control, video surveillance with its retention and whether a camera is
    inside, and an intrusion alarm. Carriers of 机密 and above are kept only in containers that
    stand in a room meeting Q7 (`baomi.compliance.services.q7_shortfalls`)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="secure_rooms")
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200)
    access_control = models.BooleanField(_("door access control"), default=False)
    video = models.BooleanField(_("video surveillance"), default=False)
    video_retention_days = models.PositiveIntegerField(_("video kept for (days)"), default=0)
    camera_inside = models.BooleanField(
        _("a camera films the inside"), default=False,
        help_text=_("Cameras watch the entrance, never what is read inside (rule Q7)."))
    alarm = models.BooleanField(_("intrusion alarm"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("secure room")
        verbose_name_plural = _("secure rooms")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="secure_room_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.location}）"
