"""Scored assessments against a standard (rules Q2, Q3).

A `Standard` is a validated YAML library of groups and items with points and veto items
(终止项); the ones shipped with baomi have no unit, a unit imports its own. An `Assessment`
scores every item of one standard for one unit and year (`AssessmentScore`); once completed
its score, whether it passed and whether a veto item failed are fixed (rule Q3).
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Unit

from ..choices_assessments import AssessmentKind, AssessmentState


class Standard(models.Model):
    """One version of a scoring standard (评分标准): its checked definition (groups, items,
    points, veto items, total and pass mark). Shipped standards have no unit and are seen by
    every unit; an imported one belongs to the unit that imported it. A new version is a new
    row; a code and version exist once per unit (and once among the shipped)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="standards",
                             help_text=_("Empty: shipped with baomi."))
    code = models.CharField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    definition: Any = models.JSONField(_("definition"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment standard")
        verbose_name_plural = _("assessment standards")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "version"],
                                    condition=Q(unit__isnull=False),
                                    name="standard_unique_version"),
            models.UniqueConstraint(fields=["code", "version"], condition=Q(unit__isnull=True),
                                    name="standard_unique_shipped_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（v{self.version}）"

    @property
    def shipped(self) -> bool:
        return self.unit_id is None

    @property
    def total(self) -> Decimal:
        return Decimal(str(self.definition["total"]))

    @property
    def pass_mark(self) -> Decimal:
        return Decimal(str(self.definition["pass_mark"]))


class Assessment(models.Model):
    """A scored assessment of a unit against one standard for one year: a self-assessment or
    the on-site review (rule Q3). Completed, it holds the score (the sum of the awarded
    points), whether a veto item was not met, and whether it passed."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="assessments")
    standard = models.ForeignKey(Standard, verbose_name=_("standard"),
                                 on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveIntegerField(_("year"))
    assessed_on = models.DateField(_("assessed on"))
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices,
                            default=AssessmentKind.SELF)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                 on_delete=models.PROTECT, related_name="+")
    assessor_names = models.CharField(_("assessors"), max_length=300, blank=True,
                                      help_text=_("The people who assessed, as signed."))
    state = models.CharField(_("state"), max_length=12, choices=AssessmentState.choices,
                             default=AssessmentState.DRAFT)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=1, null=True,
                                blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    vetoed = models.BooleanField(_("a veto item was not met"), default=False)
    note = models.CharField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["unit", "state", "year"],
                                name="assessment_unit_state_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.standard.title}"


class AssessmentScore(models.Model):
    """The score of one item of an assessment: the points awarded (whole or half points, up
    to the item's points), or for a veto item whether it is met; empty while unscored. The
    note says where points were lost."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"),
                                   on_delete=models.CASCADE, related_name="scores")
    position = models.PositiveIntegerField(_("position"))
    group_code = models.CharField(_("group"), max_length=60)
    item_code = models.CharField(_("item"), max_length=60)
    veto = models.BooleanField(_("veto item"), default=False)
    max_points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    awarded = models.DecimalField(_("points awarded"), max_digits=7, decimal_places=1,
                                  null=True, blank=True,
                                  validators=[MinValueValidator(Decimal(0))])
    met = models.BooleanField(_("met"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True,
                            help_text=_("Where points were lost and why."))

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["assessment", "position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item_code"],
                                               name="assessment_score_unique_item")]

    def __str__(self) -> str:
        return self.item_code

    @property
    def scored(self) -> bool:
        return self.met is not None if self.veto else self.awarded is not None

    @property
    def lost(self) -> Decimal:
        """Points lost on the item (0 for a veto item, which carries none)."""
        return self.max_points - (self.awarded or Decimal(0)) if not self.veto else Decimal(0)
