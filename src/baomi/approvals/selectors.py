"""Reads of the approvals engine, each applying who may see what.

A request is visible to its requester, and — when cleared for its level (rule L5) — to the
holders of a role of its chain in its unit (the head of the requester's department for a
部门负责人 step), to everyone who decided one of its steps, and to the unit's 保密办.
The 三员 see none through their admin roles (rule T2).
"""

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.accounts.roles import Role
from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import DomainError, NotFound

from .choices import RequestState, StepState
from .eligibility import (
    current_step_eligibility,
    decision_refusal,
    department_condition,
    role_in_unit_scope,
)
from .models import Request, Step
from .registry import RequestType, all_request_types

MAX_ID = 2**63 - 1
INBOX_COUNT_CAP = 1000  # DESIGN.md 'Scale': counts are bounded


def inbox_for(user: Any) -> QuerySet[Request]:
    """待我审批: pending requests whose current step `user` may decide now."""
    if not sees_business_data(user):
        return Request.objects.none()
    return (
        Request.objects.filter(state=RequestState.PENDING)
        .filter(current_step_eligibility(user))
        .select_related("requester__person", "unit")
    )


def inbox_count(user: Any) -> int:
    """The number shown beside 待我审批: one indexed query, bounded."""
    if not sees_business_data(user):
        return 0
    pending = Request.objects.filter(state=RequestState.PENDING).filter(
        current_step_eligibility(user))
    return pending.values("pk")[:INBOX_COUNT_CAP].count()


def requests_of(user: Any) -> QuerySet[Request]:
    """我的申请: the requests `user` filed."""
    if not getattr(user, "is_authenticated", False):
        return Request.objects.none()
    return Request.objects.filter(requester_id=user.pk).select_related("requester__person",
                                                                         "unit")


def returned_count(user: Any) -> int:
    """My requests returned for changes: they wait for me (the nav badge of 我的申请)."""
    return requests_of(user).filter(state=RequestState.RETURNED).count()


def requests_visible_to(user: Any) -> QuerySet[Request]:
    """Every request `user` may read (the module docstring says who)."""
    if not getattr(user, "is_authenticated", False):
        return Request.objects.none()
    own = Q(requester_id=user.pk)
    if not sees_business_data(user):
        return Request.objects.filter(own)
    chain_role_held = Exists(
        Step.objects.filter(request_id=OuterRef("pk"))
        .filter(role_in_unit_scope(user, OuterRef("role"), OuterRef("request__unit_id"),
                                   OuterRef("request__unit__parent_id")))
        .filter(department_condition(user, "role", "request__department_id"))
    )
    decided_a_step = Exists(Step.objects.filter(request_id=OuterRef("pk"), decided_by_id=user.pk))
    secrecy_office = role_in_unit_scope(user, Role.SECRECY_OFFICE, OuterRef("unit_id"),
                                        OuterRef("unit__parent_id"))
    cleared = Q(level__lte=int(clearance(user)))
    return Request.objects.filter(
        own | (cleared & (Q(chain_role_held) | Q(decided_a_step) | Q(secrecy_office)))
    )


def requests_about(user: Any, subject: models.Model) -> QuerySet[Request]:
    """The requests `user` may read whose subject is `subject` (e.g. a carrier's borrowings)."""
    return requests_visible_to(user).filter(subject_type=subject._meta.label_lower,
                                            subject_id=subject.pk)


def request_for(user: Any, pk: Any) -> Request:
    """The request `pk` if `user` may read it, else NotFound (never a hint that it exists)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    request = (
        requests_visible_to(user).select_related("requester__person", "unit", "department")
        .filter(pk=pk).first()
    )
    if request is None:
        raise NotFound()
    return request


def steps_of(request: Request) -> list[Step]:
    """The timeline: every step of every round, in order, with who decided it."""
    return list(
        Step.objects.filter(request=request).select_related("decided_by__person")
        .order_by("round", "order")
    )


def current_step_of(request: Request) -> Step | None:
    if request.state != RequestState.PENDING:
        return None
    return Step.objects.filter(request=request, round=request.round,
                               order=request.current_step, state=StepState.PENDING).first()


def decision_refusal_for(user: Any, request: Request) -> DomainError | None:
    """Why `user` may not decide the request now, or None when the decision form is theirs."""
    step = current_step_of(request)
    if step is None:
        return NotFound()
    return decision_refusal(user, request, step)


def submittable_types(user: Any, *, with_form: bool = False) -> list[RequestType]:
    """The request types `user` may file (from the UI: only those with a form)."""
    if not sees_business_data(user):
        return []
    return [
        rtype for rtype in all_request_types()
        if rtype.can_submit(user) and (not with_form or rtype.form_class is not None)
    ]
