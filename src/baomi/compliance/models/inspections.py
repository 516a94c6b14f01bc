"""Inspections and their rectifications (rules Q9, Q10).

An inspection (自查自评 of the unit, a department's self-check, an inspection by the superior
or by the 保密局) copies the items of a checklist library version when it is started, so that
a later version of the library never changes it. Each item gets a result, a finding and
evidence files; every item with a problem gets a rectification (整改) with an owner and a due
day before the inspection can be completed (rule Q10). The owner records the measures taken,
the 保密办 re-checks: passed → verified, failed → open again with a new due day; every
re-check is kept (`RectificationCheck`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Unit

from ..choices_inspections import InspectionKind, InspectionState, ItemResult, RectificationState


class Inspection(models.Model):
    """One inspection of a unit (or one department of it) in a year, on a snapshot of a
    checklist library version."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="inspections")
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    library_id = models.CharField(_("checklist library"), max_length=40)
    library_version = models.PositiveIntegerField(_("library version"))
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="inspections")
    year = models.PositiveSmallIntegerField(_("year"))
    started_on = models.DateField(_("started on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=300, blank=True,
                                  help_text=_("Names of outside inspectors, if any."))
    state = models.CharField(_("state"), max_length=10, choices=InspectionState.choices,
                             default=InspectionState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "year", "kind", "state"])]

    def __str__(self) -> str:
        return self.title


class InspectionItem(models.Model):
    """One checklist item of an inspection, as the library version had it, with its result
    and finding."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"),
                                   on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    area_code = models.CharField(_("area code"), max_length=20)
    area_title = models.CharField(_("area"), max_length=200)
    code = models.CharField(_("item code"), max_length=20)
    text = models.CharField(_("item"), max_length=500)
    rules = models.CharField(_("rules checked"), max_length=100, blank=True)
    guidance = models.CharField(_("guidance"), max_length=500, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=ItemResult.choices,
                              default=ItemResult.UNCHECKED)
    finding = models.TextField(_("finding"), blank=True)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "code"],
                                               name="inspection_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.inspection.unit_id)


class InspectionEvidence(models.Model):
    """A file proving an item's result (a photo, a scanned register page …)."""

    item = models.ForeignKey(InspectionItem, verbose_name=_("inspection item"),
                             on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="compliance/inspections/%Y/")
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit_id(self) -> int:
        return int(self.item.inspection.unit_id)


class Rectification(models.Model):
    """A rectification (整改, rule Q10): a problem, its owner and due day, the measures taken
    and the state of the 保密办's re-check. `item` is empty when it comes from elsewhere."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="rectifications")
    item = models.OneToOneField(InspectionItem, verbose_name=_("inspection item"), null=True,
                                blank=True, on_delete=models.PROTECT,
                                related_name="rectification")
    problem = models.TextField(_("problem"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="rectifications")
    due_on = models.DateField(_("to be rectified by"))
    measures = models.TextField(_("measures taken"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RectificationState.choices,
                             default=RectificationState.OPEN)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "state", "due_on"]),
                   models.Index(fields=["owner", "state"])]

    def __str__(self) -> str:
        return self.problem[:60]


class RectificationCheck(models.Model):
    """One re-check (复查) of a rectification by the 保密办: passed or not, with a note."""

    rectification = models.ForeignKey(Rectification, verbose_name=_("rectification"),
                                      on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("re-checked on"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("re-checked by"),
                                   on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)
    previous_due_on = models.DateField(_("previous due day"))
    new_due_on = models.DateField(_("new due day"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification re-check")
        verbose_name_plural = _("rectification re-checks")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rectification} · {self.checked_on}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.rectification.unit_id)
