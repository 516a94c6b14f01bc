"""The carrier ledger (涉密载体台帐, rule C1): containers, carriers and loans."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Level, Scheme
from baomi.secrets.choices import PeriodKind

from ..choices import CarrierKind, CarrierOrigin, CarrierState, ContainerKind, LoanKind, LoanState


class Container(models.Model):
    """A 保密柜, 密码文件柜 or 密码保险柜 with its rating: it never holds a carrier above it
    (rule C3)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="containers")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="containers")
    number = models.CharField(_("container number"), max_length=50)
    kind = models.CharField(_("kind"), max_length=14, choices=ContainerKind.choices)
    rating = models.IntegerField(_("rating"), choices=Level.choices)
    location = models.CharField(_("location"), max_length=200)
    custodian = models.ForeignKey(Person, verbose_name=_("custodian"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="containers")
    room = models.ForeignKey("compliance.SecureRoom", verbose_name=_("secure room"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="containers",
                             help_text=_("Carriers classified confidential and above are kept "
                                         "only in a room that meets rule Q7."))
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="container_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.get_kind_display()}）"


class Carrier(models.Model):
    """One carrier on the ledger: a paper document, disc, medium or product (rule C1), with
    its mark (level and period, rule S9), the secret item it carries, where it came from
    (rule C2), its custodian and container, and where it is now (`state`).

    A copy (rule C4) points to its `original` and has a `copy_no`; `scheme` keeps 工作秘密
    and 商业秘密 carriers apart from state secrets (rule L4).
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="carriers")
    department = models.ForeignKey(Department, verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="carriers")
    number = models.CharField(_("carrier number"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=CarrierKind.choices)
    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices,
                              default=Scheme.STATE)
    level = models.IntegerField(_("level"), choices=Level.choices)
    period_kind = models.CharField(_("kind of period"), max_length=10,
                                   choices=PeriodKind.choices)
    period_value = models.PositiveSmallIntegerField(_("period"), null=True, blank=True)
    secret_item = models.ForeignKey("secrets.SecretItem", verbose_name=_("secret item"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="carriers")
    origin = models.CharField(_("origin"), max_length=10, choices=CarrierOrigin.choices)
    source_unit = models.CharField(_("source unit"), max_length=200, blank=True)
    source_document_no = models.CharField(_("source document number"), max_length=100,
                                          blank=True)
    received_on = models.DateField(_("received or produced on"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    capacity = models.CharField(_("capacity"), max_length=50, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    copy_no = models.CharField(_("copy number"), max_length=20, blank=True)
    original = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="copies_made")
    custodian = models.ForeignKey(Person, verbose_name=_("custodian"), on_delete=models.PROTECT,
                                  related_name="carriers_held")
    container = models.ForeignKey(Container, verbose_name=_("container"), null=True,
                                  blank=True, on_delete=models.PROTECT,
                                  related_name="carriers")
    location = models.CharField(_("location"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CarrierState.choices,
                             default=CarrierState.IN_STORE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                      on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(Person, verbose_name=_("signed for by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("classified carrier")
        verbose_name_plural = _("classified carriers")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="carrier_number_unique"),
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="carrier_copies_min"),
        ]
        indexes = [
            models.Index(fields=["unit", "scheme", "state", "level", "id"]),
            models.Index(fields=["unit", "department", "id"]),
            models.Index(fields=["custodian", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Loan(models.Model):
    """A 借阅 or 传阅 of a carrier (rule C5): approved through the approvals engine (request
    type `carrier_loan`), handed out, due back (the same day for 传阅), returned."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="loans")
    borrower = models.ForeignKey(Person, verbose_name=_("borrower"), on_delete=models.PROTECT,
                                 related_name="carrier_loans")
    kind = models.CharField(_("kind"), max_length=10, choices=LoanKind.choices)
    purpose = models.CharField(_("purpose"), max_length=500)
    room = models.CharField(_("reading room"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=LoanState.choices,
                             default=LoanState.REQUESTED)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="carrier_loan")
    due_on = models.DateField(_("due back on"))
    handed_out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    handed_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed out by"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("carrier loan")
        verbose_name_plural = _("carrier loans")
        ordering = ["-id"]
        constraints = [
            # rule C5 and the concurrency promise: one carrier, one open loan at a time.
            models.UniqueConstraint(fields=["carrier"],
                                    condition=models.Q(state__in=["approved", "out"]),
                                    name="carrier_loan_one_open"),
        ]
        indexes = [models.Index(fields=["state", "due_on"]),
                   models.Index(fields=["borrower", "state"])]

    def __str__(self) -> str:
        return f"{self.carrier} → {self.borrower}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the carrier (audit events are filed under it)."""
        return int(self.carrier.unit_id)
