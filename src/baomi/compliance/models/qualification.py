"""The unit's 资质 and 备案 records (rules Q3, Q4), the applications that obtain or renew them,
and the changes of the unit that are reported to the authority (rule Q6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit

from ..choices_qualification import (
    ApplicationKind,
    ApplicationResult,
    QualificationGrade,
    QualificationState,
    QualificationType,
    UnitChangeKind,
)


class Qualification(models.Model):
    """A certificate the unit holds: a 备案 of its security conditions or a 资质/资格 (rule Q4:
    a 备案 is valid 3 years). `state` is set by the services and the daily job; a valid one
    past `expires_on` reads as expired until the job has run (`services_qualification.
    effective_state`)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="qualifications")
    type = models.CharField(_("type"), max_length=40, choices=QualificationType.choices)
    grade = models.CharField(_("grade"), max_length=20, choices=QualificationGrade.choices,
                             blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    issued_on = models.DateField(_("certificate issued on"))
    expires_on = models.DateField(_("expires on"))
    state = models.CharField(_("state"), max_length=20, choices=QualificationState.choices,
                             default=QualificationState.VALID)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["state", "expires_on"], name="qualification_expiry")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.certificate_number}"


class QualificationApplication(models.Model):
    """An application for a qualification, new or a renewal (复审/延续), and its review (rule
    Q3: scored out of 100; a failed unit re-applies after 6 months). A passed application gets
    its certificate as a new Qualification, which supersedes the one it renews."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="qualification_applications")
    type = models.CharField(_("type"), max_length=40, choices=QualificationType.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicationKind.choices)
    renews = models.ForeignKey(Qualification, verbose_name=_("renews"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="renewals")
    applied_on = models.DateField(_("applied on"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    score = models.DecimalField(_("review score"), max_digits=5, decimal_places=2, null=True,
                                blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ApplicationResult.choices,
                              default=ApplicationResult.PENDING)
    certificate = models.OneToOneField(
        Qualification, verbose_name=_("certificate issued"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="application")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("qualification application")
        verbose_name_plural = _("qualification applications")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} · {self.get_kind_display()} · {self.applied_on}"


class UnitChange(models.Model):
    """A change of the unit (legal representative, name, address, capital, ownership …)
    reported to the authority within 10 working days of occurring (rule Q6). `report_due_on`
    is fixed when the change is recorded; a later report is kept and flagged late."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="unit_changes")
    kind = models.CharField(_("kind"), max_length=30, choices=UnitChangeKind.choices)
    description = models.CharField(_("description"), max_length=500)
    old_value = models.CharField(_("old value"), max_length=300, blank=True)
    new_value = models.CharField(_("new value"), max_length=300, blank=True)
    occurred_on = models.DateField(_("occurred on"))
    report_due_on = models.DateField(_("report due on"))
    report_due_estimated = models.BooleanField(_("due date estimated"), default=False)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_to = models.CharField(_("reported to"), max_length=200, blank=True)
    reported_late = models.BooleanField(_("reported late"), default=False)
    requires_new_filing = models.BooleanField(_("requires a new filing"), default=False)
    requires_filing_amendment = models.BooleanField(_("requires an amended filing"),
                                                    default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["reported_on", "report_due_on"],
                                name="unit_change_report")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_on}"
