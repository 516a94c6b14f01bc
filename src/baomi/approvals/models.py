"""Requests and the steps that decide them.

A request is filed by a requester of a unit; the unit's policy gives the chain of business
roles that decide it, one step per role. Each resubmission after a return starts a new round
of steps, so the timeline keeps every earlier decision.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baomi.accounts.roles import Role
from baomi.core.labels import Level

from .choices import Decision, RequestState, StepState


class Request(models.Model):
    """An application (申请) waiting for, or closed by, a chain of decisions.

    `current_role` repeats the role of the current pending step so that the inbox is one
    indexed query (state, role, unit); it is empty once the request leaves `pending`.
    `department` is the requester's department when the round began: a 部门负责人 step is
    decided by the head of that department. `distinct_approvers` is the unit's policy when the
    round began (the chain is fixed per round as well). `subject_person` is the person the
    request is about (their review, trip or exit): like the requester, they decide no step.
    """

    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="approval_requests")
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("requester's department"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="approval_requests",
    )
    request_type = models.CharField(_("request type"), max_length=50)
    level = models.IntegerField(_("secrecy level"), choices=Level.choices,
                                default=Level.NONSECRET)
    title = models.CharField(_("title"), max_length=200)
    payload = models.JSONField(_("content"), default=dict)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requester"),
                                  on_delete=models.PROTECT, related_name="approval_requests")
    state = models.CharField(_("state"), max_length=20, choices=RequestState.choices,
                             default=RequestState.PENDING)
    round = models.PositiveIntegerField(_("round"), default=1)
    current_step = models.PositiveIntegerField(_("current step"), default=0)
    current_role = models.CharField(_("awaiting role"), max_length=30, choices=Role.choices,
                                    blank=True)
    distinct_approvers = models.BooleanField(_("distinct approvers per step"), default=True)
    subject_type = models.CharField(_("subject type"), max_length=60, blank=True)
    subject_id = models.BigIntegerField(_("subject id"), null=True, blank=True)
    subject_person = models.ForeignKey(
        "accounts.Person", verbose_name=_("person concerned"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "current_role", "unit"], name="approvals_inbox_idx"),
            models.Index(fields=["requester", "id"], name="approvals_requester_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="approvals_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:request_detail", args=[self.pk])

    @property
    def type_label(self) -> str:
        from .registry import UnknownRequestType, get_request_type

        try:
            return str(get_request_type(self.request_type).label)
        except UnknownRequestType:
            return self.request_type

    @property
    def description(self) -> str:
        """What is asked, in the words of the request type."""
        from .registry import UnknownRequestType, get_request_type

        try:
            return get_request_type(self.request_type).describe(self.payload)
        except UnknownRequestType:
            return self.title
        except (KeyError, TypeError, ValueError):
            # A payload stored by an older version of the type: show the title instead.
            return self.title

    @property
    def is_open(self) -> bool:
        return self.state in (RequestState.PENDING, RequestState.RETURNED)

    def snapshot(self) -> dict[str, Any]:
        """The audited state of the request."""
        return {
            "state": self.state, "round": self.round, "step": self.current_step,
            "role": self.current_role, "level": int(self.level), "title": self.title,
        }


class Step(models.Model):
    """One decision of a chain: a role decides, in order, within a round of the request."""

    request = models.ForeignKey(Request, verbose_name=_("request"), on_delete=models.CASCADE,
                                related_name="steps")
    round = models.PositiveIntegerField(_("round"))
    order = models.PositiveIntegerField(_("order"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    state = models.CharField(_("state"), max_length=20, choices=StepState.choices,
                             default=StepState.WAITING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="approval_steps")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["request", "round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "round", "order"],
                                    name="approvals_step_unique"),
        ]
        indexes = [models.Index(fields=["decided_by", "request"], name="approvals_decider_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.round}/{self.order} {self.role}"
