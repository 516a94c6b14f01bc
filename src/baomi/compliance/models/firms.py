"""Outside firms a unit uses — 中介机构, consulting units and 外协 subcontractors — with their
qualification conditions, 保密 protocols, change reports, yearly reports and contracts (rules
Q8, Q11)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Person, Unit
from baomi.core.labels import Level, Scheme

from ..choices_firms import ContractState, FirmKind, FirmState, ReviewResult


class Firm(models.Model):
    """An outside firm used by a unit, with the conditions rule Q11 asks of a firm doing
    classified work (no foreign capital, a passed 保密审查, no suspension in the last 12 months)
    and, for a subcontractor, its place on the 名录 (rule Q8). A struck-off firm signs no new
    contract until it is reinstated, at the earliest 12 months later."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="firms")
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    kind = models.CharField(_("kind"), max_length=20, choices=FirmKind.choices)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    foreign_capital = models.BooleanField(_("foreign capital"), default=False)
    security_review_passed_on = models.DateField(
        _("security review passed on"), null=True, blank=True)
    last_suspension_on = models.DateField(
        _("last suspended on"), null=True, blank=True)
    on_directory = models.BooleanField(_("on the directory"), default=False)
    directory_number = models.CharField(_("directory number"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=FirmState.choices,
                             default=FirmState.ACTIVE)
    struck_off_on = models.DateField(
        _("struck off on"), null=True, blank=True)
    strike_off_reason = models.CharField(_("reason for striking off"), max_length=500,
                                         blank=True)
    reinstated_on = models.DateField(
        _("reinstated on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("outside firm")
        verbose_name_plural = _("outside firms")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "credit_code"],
                                               name="firm_unique_credit_code")]
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        return self.name


class FirmProtocol(models.Model):
    """A 保密 protocol signed with a firm and filed (备案) with the 保密办 (rule Q11): it counts
    once filed, with its 保密 clauses confirmed, until it expires."""

    firm = models.ForeignKey(Firm, verbose_name=_("firm"), on_delete=models.PROTECT,
                             related_name="protocols")
    signed_on = models.DateField(_("signed on"))
    filed_on = models.DateField(
        _("filed on"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=1000)
    secrecy_clauses = models.BooleanField(_("secrecy clauses confirmed"), default=False)
    attachment = models.FileField(_("attachment"), upload_to="compliance/firms/%Y/",
                                  blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("firm secrecy protocol")
        verbose_name_plural = _("firm secrecy protocols")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.firm} · {self.signed_on}"


class FirmChange(models.Model):
    """A change of a firm's conditions (shareholders, capital, key staff …), reported to the unit
    and re-reviewed within 20 working days of the report (rule Q11). Until the re-review
    passes, the firm takes no classified work."""

    firm = models.ForeignKey(Firm, verbose_name=_("firm"), on_delete=models.PROTECT,
                             related_name="changes")
    occurred_on = models.DateField(_("occurred on"))
    description = models.CharField(_("description"), max_length=1000)
    reported_on = models.DateField(_("reported on"))
    result = models.CharField(_("re-review result"), max_length=20,
                              choices=ReviewResult.choices, default=ReviewResult.PENDING)
    rereviewed_on = models.DateField(
        _("re-reviewed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("firm change")
        verbose_name_plural = _("firm changes")
        ordering = ["-id"]
        indexes = [models.Index(fields=["result", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.firm} · {self.reported_on}"


class FirmYearReport(models.Model):
    """A firm's yearly report for `year`, due by the end of the first quarter of the next year
    (rule Q11)."""

    firm = models.ForeignKey(Firm, verbose_name=_("firm"), on_delete=models.PROTECT,
                             related_name="year_reports")
    year = models.PositiveIntegerField(_("year"))
    received_on = models.DateField(_("received on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("firm yearly report")
        verbose_name_plural = _("firm yearly reports")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["firm", "year"],
                                               name="firm_year_report_unique")]

    def __str__(self) -> str:
        return f"{self.firm} · {self.year}"


class FirmContract(models.Model):
    """A contract giving work to a firm, at the level of the work (非密 allowed). Classified
    work goes only to a qualified firm (rule Q11) and, for a subcontractor, one on the 名录
    (rule Q8)."""

    firm = models.ForeignKey(Firm, verbose_name=_("firm"), on_delete=models.PROTECT,
                             related_name="contracts")
    title = models.CharField(_("title"), max_length=200)
    scheme = models.CharField(_("marking scheme"), max_length=20, choices=Scheme.choices,
                              default=Scheme.STATE)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices,
                                             default=Level.NONSECRET)
    work_kind = models.CharField(_("kind of work"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    responsible = models.ForeignKey(Person, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="firm_contracts")
    state = models.CharField(_("state"), max_length=20, choices=ContractState.choices,
                             default=ContractState.ACTIVE)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("firm contract")
        verbose_name_plural = _("firm contracts")
        ordering = ["-id"]
        indexes = [models.Index(fields=["firm", "state"])]

    def __str__(self) -> str:
        return self.title
