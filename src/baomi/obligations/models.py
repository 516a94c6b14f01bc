"""Obligations (deadlines someone must meet) and the record of each sweep that computes them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Level

from .registry import Severity


class Obligation(models.Model):
    """One thing a person (or the unit's 保密办) must do by a date, computed by a rule.

    The sweep opens it while its rule yields the subject and closes it when the rule stops
    yielding it (the obligation was fulfilled). A subject has at most one open obligation per
    rule; a closed one stays as history and a later need opens a new row.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    rule_code = models.CharField(_("rule code"), max_length=80)
    rule_id = models.CharField(_("rule"), max_length=10, help_text=_("The RULES.md rule ID."))
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.BigIntegerField(_("subject id"))
    subject_label = models.CharField(_("subject"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="obligations",
        help_text=_("Empty: the unit's secrecy office is responsible."),
    )
    due_date = models.DateField(_("due date"))
    estimated = models.BooleanField(
        _("estimated"), default=False,
        help_text=_("The due date was computed with a guessed working-day calendar."),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                default=Severity.WARNING)
    # rule L5: the level of the subject; the unit view hides rows above the reader's clearance.
    level = models.IntegerField(_("level"), choices=Level.choices, default=Level.NONSECRET)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "subject_type", "subject_id"],
                condition=Q(state="open"),
                name="obligation_open_unique",
            ),
        ]
        indexes = [
            # "my open obligations by due date" (dashboard, nav badge)
            models.Index(fields=["responsible", "due_date"], condition=Q(state="open"),
                         name="obligation_mine_open"),
            # "unit obligations by due date" (unit view, 保密办 summary); state leads so that
            # closed history does not slow the open list down.
            models.Index(fields=["unit", "state", "due_date", "id"], name="obligation_unit_due"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.subject_label} {self.due_date}"

    def days_left(self, today: date) -> int:
        """Days until the due date; negative when overdue."""
        return (self.due_date - today).days


class SweepRun(models.Model):
    """One run of `baomi sweep`: when, for which day, and what each rule changed.

    `counts` maps each rule code to {opened, updated, closed, open, errors} (and `error`, the
    exception text, when the rule failed).
    """

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    today = models.DateField(_("day swept"))
    counts = models.JSONField(_("counts per rule"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["finished_at"], name="sweeprun_finished")]

    def __str__(self) -> str:
        return f"{self.today} ({timezone.localtime(self.started_at):%Y-%m-%d %H:%M})"

    COUNT_KEYS = ("opened", "updated", "closed", "open", "errors")

    def totals(self) -> dict[str, int]:
        """The counts summed over every rule."""
        return {
            key: sum(int(counts.get(key, 0)) for counts in self.counts.values())
            for key in self.COUNT_KEYS
        }

    @property
    def failed(self) -> bool:
        return self.totals()["errors"] > 0
