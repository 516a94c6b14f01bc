"""The usage log of classified computers (rule D5): one book (工作日志簿) per device and year,
its entries — start, end, user, work content, level of the work — kept 5 years by policy."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person
from baomi.core.labels import Level

from .ledger import Device


class UsageBook(models.Model):
    """The usage-log book of one device for one calendar year (rule D5). It is opened for the
    year, closed (filed) after the year ends and kept for the retention period; only then may
    the 保密办 discard it."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT,
                               related_name="usage_books")
    year = models.PositiveSmallIntegerField(_("year"))
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"),
                                  on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("usage-log book")
        verbose_name_plural = _("usage-log books")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["device", "year"],
                                               name="usage_book_one_per_year")]
        indexes = [models.Index(fields=["year", "device"])]

    def __str__(self) -> str:
        return f"{self.device.number} · {self.year}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.device.unit_id)


class UsageEntry(models.Model):
    """One use of a device (rule D5): who, from when to when, what work at what level. The
    level of the work never exceeds the device's level (rule D2)."""

    book = models.ForeignKey(UsageBook, verbose_name=_("book"), on_delete=models.CASCADE,
                             related_name="entries")
    user = models.ForeignKey(Person, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="device_usage")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    work = models.CharField(_("work content"), max_length=500)
    level = models.IntegerField(_("level of the work"), choices=Level.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("usage-log entry")
        verbose_name_plural = _("usage-log entries")
        ordering = ["book", "started_at", "id"]
        indexes = [models.Index(fields=["book", "started_at", "id"])]

    def __str__(self) -> str:
        return f"{self.book} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.book.device.unit_id)
