"""Destruction of carriers (销毁, rule C7): a list (清点/核对/登记/造册), its approval, and the
record of the destruction itself — when, where, how, by whom, at which designated body or
with which certified equipment, under which certificate.

A carrier is on at most one open list at a time (`destruction_item_one_open`); once the
destruction is recorded it is DESTROYED on the ledger for good.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit

from .ledger import Carrier


class BatchState(models.TextChoices):
    """Where a destruction list is: drawn up, awaiting approval, decided, carried out."""

    DRAFT = "draft", _("Being drawn up")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved, not yet destroyed")
    REJECTED = "rejected", _("Not approved")
    DESTROYED = "destroyed", _("Destroyed")


class DestructionMethod(models.TextChoices):
    """rule C7: how carriers are destroyed — by certified equipment or at the designated
    destruction body. Selling them as waste paper or scrap is never one of the ways."""

    SHRED = "shred", _("Shredding")
    INCINERATE = "incinerate", _("Incineration")
    PULP = "pulp", _("Pulping")
    DEGAUSS = "degauss", _("Degaussing with certified equipment")
    PHYSICAL = "physical", _("Physical destruction of the medium")
    BODY = "body", _("Delivered to the designated destruction body")


class DestructionBatch(models.Model):
    """A destruction list (销毁清单) of one unit: drawn up by the 保密办, approved through the
    approvals engine (request type `carrier_destruction`, chain 保密办 → 单位领导), then carried
    out and recorded with its time, place, method, the body or equipment, the certificate and
    at least two people who did it (rule C7)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="destruction_batches")
    number = models.CharField(_("list number"), max_length=50)
    state = models.CharField(_("state"), max_length=10, choices=BatchState.choices,
                             default=BatchState.DRAFT)
    reason = models.CharField(_("reason for destruction"), max_length=500)
    planned_method = models.CharField(_("planned method"), max_length=12,
                                      choices=DestructionMethod.choices)
    planned_place = models.CharField(_("planned place"), max_length=200)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="carrier_destruction")
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    place = models.CharField(_("place of destruction"), max_length=200, blank=True)
    method = models.CharField(_("method of destruction"), max_length=12, blank=True,
                              choices=DestructionMethod.choices)
    body = models.CharField(_("destruction body or certified equipment"), max_length=200,
                            blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=100, blank=True)
    executors = models.JSONField(_("destroyed by"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn up by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("drawn up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"],
                                    name="destruction_batch_number_unique"),
            # rule C7: never sold as waste — only the listed methods are stored.
            models.CheckConstraint(condition=Q(planned_method__in=DestructionMethod.values),
                                   name="destruction_planned_method_known"),
            models.CheckConstraint(
                condition=Q(method="") | Q(method__in=DestructionMethod.values),
                name="destruction_method_known"),
            # rule C7: a destroyed list has its time, place, method, body and certificate.
            models.CheckConstraint(
                condition=~Q(state=BatchState.DESTROYED) | (
                    Q(destroyed_at__isnull=False) & Q(recorded_by__isnull=False)
                    & ~Q(place="") & ~Q(method="") & ~Q(body="") & ~Q(certificate_no="")),
                name="destruction_recorded_complete"),
        ]
        indexes = [models.Index(fields=["unit", "state", "id"])]

    def __str__(self) -> str:
        return str(self.number)


class DestructionItem(models.Model):
    """One carrier on a destruction list (登记/造册, rule C7). `is_open` while the list may
    still destroy it: a carrier is on at most one open list; a rejected or carried-out list
    closes its lines."""

    batch = models.ForeignKey(DestructionBatch, verbose_name=_("destruction list"),
                              on_delete=models.PROTECT, related_name="items")
    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="destruction_items")
    is_open = models.BooleanField(_("on an open list"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("listed by"),
                                 on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("listed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("carrier on a destruction list")
        verbose_name_plural = _("carriers on destruction lists")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "carrier"],
                                    name="destruction_item_once_per_list"),
            # A carrier is on at most one open list (and the race of two lists adding it at
            # once ends with one of them refused).
            models.UniqueConstraint(fields=["carrier"], condition=Q(is_open=True),
                                    name="destruction_item_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.carrier}"
