"""Who may decide a step: one definition for the services (refuse), the views (offer the form)
and, in SQL, the inbox (selectors.py).

An approver holds the step's role in the request's unit perimeter (a role held at a 集团 covers
its units, as `core.access.unit_perimeter`), is the head of the requester's department for a
部门负责人 step, is cleared for the request's level (rule L5), is not the requester, and with
`distinct_approvers` has not decided another step of the same round (rule T1), and is not the
person the request is about.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Q, QuerySet
from django.utils.translation import gettext as _

from baomi.accounts.models import RoleAssignment
from baomi.accounts.roles import BUSINESS_ROLES, Role
from baomi.core.access import clearance, perimeter_query, unit_perimeter
from baomi.core.errors import AccessDenied, DomainError, RuleViolation

from .models import Request, Step


def decision_refusal(user: Any, request: Request, step: Step) -> DomainError | None:
    """The error refusing `user` the decision of `step`, or None when they may decide it."""
    if not getattr(user, "is_authenticated", False):
        return AccessDenied(code="not_approver")
    if request.requester_id == user.pk:
        # rule T1 (separation of duties): nobody approves their own request.
        return RuleViolation(_("You cannot decide your own request."), code="own_request",
                             rule="T1")
    if request.subject_person_id is not None and request.subject_person_id == user.person_id:
        # Separation of duties: nobody decides a request about themselves (their own review,
        # trip or exit), even when someone else filed it.
        return RuleViolation(_("You cannot decide a request about yourself."),
                             code="own_subject", rule="T1")
    if not holds_step_role(user, request, step.role):
        return AccessDenied(
            _("This step is decided by: %(role)s.") % {"role": Role(step.role).label},
            code="not_approver",
        )
    if clearance(user) < request.level:
        # rule L5: a request above the approver's clearance is not theirs to read or decide.
        return AccessDenied(_("Your clearance is below the level of this request."),
                            code="clearance", rule="L5")
    if request.distinct_approvers and decided_other_step(user, request, step):
        # rule T1 (policy approvals.distinct_approvers): one person, one step per round.
        return RuleViolation(
            _("You already decided another step of this request; another person must decide "
              "this one."),
            code="same_approver", rule="T1",
        )
    return None


def holds_step_role(user: Any, request: Request, role: str) -> bool:
    """Whether `user` holds `role` for the request's unit (and department, for 部门负责人)."""
    if role not in user.role_set() or request.unit_id not in unit_perimeter(user, {role}):
        return False
    if role == Role.DEPARTMENT_HEAD:
        department_id = user.person.department_id
        return department_id is not None and department_id == request.department_id
    return True


def decided_other_step(user: Any, request: Request, step: Step) -> bool:
    return (
        Step.objects.filter(request_id=request.pk, round=request.round, decided_by_id=user.pk)
        .exclude(pk=step.pk)
        .exists()
    )


def role_in_unit_scope(user: Any, role: Any, unit_id: Any, parent_id: Any) -> Exists:
    """SQL: the user holds `role` in the unit or in its parent group (see unit_perimeter).

    The arguments are expressions (OuterRef) or values, so selectors can correlate them.
    """
    return Exists(
        RoleAssignment.objects.filter(user_id=user.pk, role=role).filter(
            Q(unit_id=unit_id) | Q(unit_id=parent_id)
        )
    )


def department_condition(user: Any, role_field: str, department_field: str) -> Q:
    """SQL: a 部门负责人 step concerns only the head of the requester's department."""
    department_id = user.person.department_id
    not_department_step = ~Q(**{role_field: Role.DEPARTMENT_HEAD})
    if department_id is None:
        return not_department_step
    return not_department_step | Q(**{department_field: department_id})


def current_step_eligibility(user: Any) -> Q:
    """SQL over Request: `user` may decide its current step (the inbox condition).

    Mirrors `decision_refusal` for the current step of a pending request. Per role the user
    holds, the units are a non-correlated subquery, so the condition walks the inbox index
    (state, current_role, unit) instead of testing every pending request.
    """
    held = Q(pk__in=[])
    for role in sorted(user.role_set() & BUSINESS_ROLES):
        held |= Q(current_role=role, unit_id__in=units_where_held(user, role))
    # Requests of which the user decided a step in their current round (one index range).
    decided_this_round = Step.objects.filter(
        decided_by_id=user.pk, round=F("request__round")
    ).values("request_id")
    return (
        held
        & department_condition(user, "current_role", "department_id")
        & Q(level__lte=int(clearance(user)))
        & ~Q(requester_id=user.pk)
        & ~Q(subject_person_id=user.person_id)
        & ~(Q(distinct_approvers=True) & Q(pk__in=decided_this_round))
    )


def units_where_held(user: Any, role: str) -> QuerySet[Any]:
    """SQL: ids of the units where `user` holds `role`, and of their children (a role held at
    a 集团 covers its units, as `core.access.unit_perimeter`)."""
    return perimeter_query(user, {role})


def possible_approvers(unit: Any, department_id: int | None, level: int,
                       role: str) -> QuerySet[Any]:
    """Active users who could decide a step of `role` for a request of this unit, department
    and level (before separation of duties, which depends on who files and who decided)."""
    users = get_user_model().objects.filter(
        is_active=True, person__active=True, person__category__gte=int(level),
        role_assignments__role=role,
        role_assignments__unit_id__in=[pk for pk in (unit.pk, unit.parent_id) if pk],
    )
    if role == Role.DEPARTMENT_HEAD:
        if department_id is None:
            return users.none()
        users = users.filter(person__department_id=department_id)
    return users.distinct()
