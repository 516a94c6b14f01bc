"""Secure rooms of a unit with their protective measures (rule Q7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit


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
