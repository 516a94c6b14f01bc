"""Writes of the approvals engine: submit, decide, resubmit, withdraw.

Each service checks access and policy before it writes, changes state through the transition
tables (compare-and-set), records the audit event and runs the request type's callback, all
in one transaction: a refused or failed action leaves nothing behind.
"""

import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from baomi.accounts.roles import Role
from baomi.audit.services import record_event
from baomi.core.access import clearance, sees_business_data
from baomi.core.context import current_request
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, RuleViolation
from baomi.core.labels import Level
from baomi.core.policy import policy_of
from baomi.core.validation import clean_text

from .choices import STEP_STATE_OF_DECISION, Decision, RequestState, StepState
from .eligibility import decision_refusal, possible_approvers
from .models import Request, Step
from .registry import RequestType, get_request_type
from .transitions import REQUEST_TRANSITIONS, STEP_TRANSITIONS, sources_of

TITLE_MAX = 200
TEXT_MAX = 2000
READ_AUDITED_FROM = Level.CONFIDENTIAL  # DESIGN.md: reads of 机密 and 绝密 details are audited


# --- submit ------------------------------------------------------------------------------
def submit_request(
    actor: Any,
    request_type: str | RequestType,
    *,
    title: str,
    payload: Any,
    level: int | None = None,
    subject: models.Model | None = None,
) -> Request:
    """File a request; its steps come from the unit's policy chain for the type and level."""
    rtype = request_type if isinstance(request_type, RequestType) else get_request_type(
        request_type)
    _require_business_user(actor)
    if not rtype.can_submit(actor):
        raise AccessDenied(_("You may not file this kind of request."), code="type_not_allowed")
    title = clean_text(title, "title", TITLE_MAX, required=True)
    data = _validated_payload(actor, rtype, payload)
    effective_level = _effective_level(actor, rtype, data, level)
    department_id = rtype.department_of(actor, data)
    subject_person_id = rtype.subject_person_of(data)
    chain = _chain_of(actor, rtype, effective_level, data, department_id, subject_person_id)
    with transaction.atomic():
        request = Request.objects.create(
            unit_id=actor.person.unit_id,
            department_id=department_id,
            request_type=rtype.code,
            level=effective_level,
            title=title,
            payload=data,
            requester=actor,
            state=RequestState.PENDING,
            round=1,
            current_step=0,
            current_role=chain[0],
            distinct_approvers=_distinct_approvers(actor),
            subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=subject.pk if subject is not None else None,
            subject_person_id=subject_person_id,
        )
        _create_round(request, chain)
        record_event(actor, "REQUEST_SUBMITTED", request,
                     after={**request.snapshot(), "type": rtype.code, "payload": data,
                            "chain": chain})
    return request


def _require_business_user(actor: Any) -> None:
    # rule T2: an admin role alone opens no business data, so it files no business request.
    if not sees_business_data(actor):
        raise AccessDenied(_("Only users with a business role can file requests."),
                           code="no_business_role", rule="T2")


def _validated_payload(actor: Any, rtype: RequestType, payload: Any) -> dict[str, Any]:
    """The payload as the type's schema normalises it; InvalidInput names each bad field."""
    if not isinstance(payload, dict):
        raise InvalidInput(_("The request content is invalid."),
                           fields={"payload": _("An object with the request's fields.")})
    try:
        model = rtype.payload_schema.model_validate(payload)
    except PydanticValidationError as exc:
        raise InvalidInput(_("The request content is invalid."),
                           fields=_pydantic_fields(exc)) from None
    rtype.check(actor, model)
    data: dict[str, Any] = model.model_dump(mode="json")
    _require_storable(data)
    return data


def _pydantic_fields(exc: PydanticValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error.get("loc", ())) or "payload"
        fields.setdefault(name, _("Invalid value: %(detail)s") % {"detail": error.get("msg", "")})
    return fields


def _require_storable(data: dict[str, Any]) -> None:
    """PostgreSQL refuses NUL characters in JSON text; no database takes lone surrogates."""
    try:
        text = json.dumps(data, ensure_ascii=False)
        text.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        raise InvalidInput(_("The request content contains invalid characters."),
                           fields={"payload": _("Invalid characters.")}) from None
    if "\\u0000" in text or "\x00" in text:
        raise InvalidInput(_("The request content contains invalid characters."),
                           fields={"payload": _("Invalid characters.")})




def _effective_level(actor: Any, rtype: RequestType, data: dict[str, Any],
                     level: int | None, floor: int = Level.NONSECRET) -> Level:
    content_level = max(int(rtype.level_of(data)), int(floor))
    if level is None:
        chosen = content_level
    else:
        if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
            raise InvalidInput(_("Invalid level."), fields={"level": _("Invalid level.")})
        chosen = int(level)
        if chosen < content_level:
            # rule L5: information never flows down; the request is at least its content's level.
            raise RuleViolation(
                _("The level is below the level of the request's content (%(level)s).")
                % {"level": Level(content_level).label},
                code="level_too_low", fields={"level": _("Too low.")}, rule="L5",
            )
    if chosen > clearance(actor):
        # rule L5: nobody files a request above their own clearance.
        raise RuleViolation(_("The request's level is above your clearance."),
                            code="above_clearance", fields={"level": _("Too high.")}, rule="L5")
    return Level(chosen)


def _chain_of(actor: Any, rtype: RequestType, level: int, data: dict[str, Any],
              department_id: int | None, subject_person_id: int | None) -> list[str]:
    """The policy's chain, refused when a step has nobody who could decide it: a request
    that would wait forever is better refused at once, naming the missing role."""
    chain = rtype.chain(policy_of(actor.person.unit), level, data)
    if not chain:
        raise InvalidInput(_("The policy gives no approval chain for this request."),
                           code="no_chain")
    for role in dict.fromkeys(chain):
        approvers = possible_approvers(actor.person.unit, department_id, level, role)
        others = approvers.exclude(pk=actor.pk)
        if subject_person_id is not None:
            others = others.exclude(person_id=subject_person_id)
        if not others.exists():
            raise InvalidInput(
                _("Nobody else can decide the step of %(role)s for this request; ask the "
                  "secrecy office to assign the role.") % {"role": Role(role).label},
                code="no_approver",
            )
    return chain


def _distinct_approvers(actor: Any) -> bool:
    return bool(policy_of(actor.person.unit)["approvals.distinct_approvers"])


def _create_round(request: Request, chain: list[str]) -> None:
    Step.objects.bulk_create([
        Step(request=request, round=request.round, order=order, role=role,
             state=StepState.PENDING if order == 0 else StepState.WAITING)
        for order, role in enumerate(chain)
    ])


# --- decide ------------------------------------------------------------------------------
def decide(actor: Any, request: Request, decision: str, *, comment: str = "",
           step_id: int | None = None) -> Request:
    """Decide the current step of `request` as the caller saw it; returns the updated request.

    The step decided is the one current in `request` as loaded by the caller (and `step_id`
    when given): if someone decided it meanwhile, Conflict `already_decided` — a late click
    never decides the next step by accident.
    """
    if decision not in Decision.values:
        raise InvalidInput(_("Choose approve, reject or return."), code="invalid_decision",
                           fields={"decision": _("Choose approve, reject or return.")})
    comment = clean_text(comment, "comment", TEXT_MAX, required=False)
    if decision != Decision.APPROVE and not comment:
        raise InvalidInput(_("Give the reason in the comment."), code="comment_required",
                           fields={"comment": _("Required to reject or return a request.")})
    expected = (request.round, request.current_step)
    with transaction.atomic():
        fresh = _locked(request)
        if fresh.state != RequestState.PENDING or (fresh.round, fresh.current_step) != expected:
            raise _already_decided()
        step = Step.objects.get(request=fresh, round=fresh.round, order=fresh.current_step)
        if step.state != StepState.PENDING or (step_id is not None and step.pk != step_id):
            raise _already_decided()
        refusal = decision_refusal(actor, fresh, step)
        if refusal is not None:
            raise refusal
        _decide_step(actor, step, decision, comment)
        if decision == Decision.APPROVE:
            _after_approval(actor, fresh, step, comment)
        elif decision == Decision.REJECT:
            _close_rejected(actor, fresh, step, comment)
        else:
            _return_to_requester(actor, fresh, step, comment)
    return fresh


def _locked(request: Request) -> Request:
    """The request row, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers). Every writer locks the request before its steps,
    so two writers never wait on each other in opposite order."""
    try:
        return Request.objects.select_for_update().get(pk=request.pk)
    except Request.DoesNotExist:
        raise Conflict(_("This request no longer exists."), code="already_decided") from None


def _already_decided() -> Conflict:
    return Conflict(
        _("This step has already been decided, or the request was withdrawn; reload it."),
        code="already_decided",
    )


def _decide_step(actor: Any, step: Step, decision: str, comment: str) -> None:
    try:
        STEP_TRANSITIONS.apply(
            step, STEP_STATE_OF_DECISION[Decision(decision)],
            decided_by=actor, decision=decision, comment=comment,
            decided_at=timezone.now(), ip=current_request.get().ip,
        )
    except Conflict:
        raise _already_decided() from None


def _after_approval(actor: Any, request: Request, step: Step, comment: str) -> None:
    following = (
        Step.objects.filter(request=request, round=request.round, order=step.order + 1).first()
    )
    if following is None:
        _close_approved(actor, request, step, comment)
        return
    before = request.snapshot()
    _advance(request, following)
    record_event(actor, "REQUEST_STEP_APPROVED", request, before=before,
                 after={**request.snapshot(), "decided_step": step.order,
                        "decided_role": step.role},
                 reason=comment)


def _advance(request: Request, following: Step) -> None:
    """Hand the request to the next step: a compare-and-set on (state, round, step)."""
    moved = Request.objects.filter(
        pk=request.pk, state=RequestState.PENDING, round=request.round,
        current_step=following.order - 1,
    ).update(current_step=following.order, current_role=following.role)
    if moved != 1:
        raise _already_decided()
    request.current_step, request.current_role = following.order, following.role
    STEP_TRANSITIONS.apply(following, StepState.PENDING)


def _close_approved(actor: Any, request: Request, step: Step, comment: str) -> None:
    before = request.snapshot()
    # The state is approved before the type's callback runs: it may check it (role_grant).
    REQUEST_TRANSITIONS.apply(request, RequestState.APPROVED, decided_at=timezone.now(),
                              current_role="")
    # The callback locks its own rows before this transaction takes the audit chain's lock
    # (held to the commit): a service locks its rows first and records after, and the
    # opposite order here could deadlock with it on PostgreSQL.
    get_request_type(request.request_type).on_approved(request, actor)
    record_event(actor, "REQUEST_APPROVED", request, before=before,
                 after={**request.snapshot(), "decided_step": step.order,
                        "decided_role": step.role},
                 reason=comment)


def _close_rejected(actor: Any, request: Request, step: Step, comment: str) -> None:
    before = request.snapshot()
    _cancel_open_steps(request)
    REQUEST_TRANSITIONS.apply(request, RequestState.REJECTED, decided_at=timezone.now(),
                              current_role="")
    get_request_type(request.request_type).on_rejected(request, actor)  # rows before chain
    record_event(actor, "REQUEST_REJECTED", request, before=before,
                 after={**request.snapshot(), "decided_step": step.order,
                        "decided_role": step.role},
                 reason=comment)


def _return_to_requester(actor: Any, request: Request, step: Step, comment: str) -> None:
    before = request.snapshot()
    _cancel_open_steps(request)
    REQUEST_TRANSITIONS.apply(request, RequestState.RETURNED, current_role="")
    record_event(actor, "REQUEST_RETURNED", request, before=before,
                 after={**request.snapshot(), "decided_step": step.order,
                        "decided_role": step.role},
                 reason=comment)


def _cancel_open_steps(request: Request) -> None:
    """Cancel the steps of the round nobody will decide any more (a set-based compare-and-set)."""
    Step.objects.filter(
        request=request, round=request.round,
        state__in=sources_of(STEP_TRANSITIONS, StepState.CANCELLED),
    ).update(state=StepState.CANCELLED)


# --- the requester's actions --------------------------------------------------------------
def resubmit_request(actor: Any, request: Request, *, payload: Any, title: str,
                     level: int | None = None) -> Request:
    """Send a returned request back, changed, as a new round of steps from the current policy."""
    _require_requester(actor, request)
    rtype = get_request_type(request.request_type)
    title = clean_text(title, "title", TITLE_MAX, required=True)
    data = _validated_payload(actor, rtype, payload)
    # rule L5: a revised request keeps at least its earlier level unless a level is given.
    floor = request.level if level is None else Level.NONSECRET
    effective_level = _effective_level(actor, rtype, data, level, floor=floor)
    department_id = rtype.department_of(actor, data)
    chain = _chain_of(actor, rtype, effective_level, data, department_id,
                      request.subject_person_id)
    with transaction.atomic():
        fresh = _locked(request)
        before = fresh.snapshot()
        REQUEST_TRANSITIONS.apply(
            fresh, RequestState.PENDING,
            round=fresh.round + 1, current_step=0, current_role=chain[0], title=title,
            payload=data, level=effective_level, department_id=department_id,
            distinct_approvers=_distinct_approvers(actor),
        )
        _create_round(fresh, chain)
        record_event(actor, "REQUEST_RESUBMITTED", fresh, before=before,
                     after={**fresh.snapshot(), "payload": data, "chain": chain})
    return fresh


def withdraw_request(actor: Any, request: Request, *, reason: str) -> Request:
    """The requester takes back a pending or returned request."""
    _require_requester(actor, request)
    reason = clean_text(reason, "reason", TEXT_MAX, required=True)
    with transaction.atomic():
        fresh = _locked(request)
        before = fresh.snapshot()
        if fresh.state == RequestState.PENDING:
            _cancel_open_steps(fresh)
        REQUEST_TRANSITIONS.apply(fresh, RequestState.WITHDRAWN, decided_at=timezone.now(),
                                  current_role="")
        get_request_type(fresh.request_type).on_withdrawn(fresh, actor)  # rows before chain
        record_event(actor, "REQUEST_WITHDRAWN", fresh, before=before, after=fresh.snapshot(),
                     reason=reason)
    return fresh


def _require_requester(actor: Any, request: Request) -> None:
    if getattr(actor, "pk", None) != request.requester_id:
        raise AccessDenied(_("Only the requester can do this."), code="not_requester")


# --- reads that leave a trace -------------------------------------------------------------
def record_request_read(actor: Any, request: Request) -> None:
    """Audit the reading of a 机密 or 绝密 request's detail (DESIGN.md 'Access model')."""
    if request.level >= READ_AUDITED_FROM:
        with transaction.atomic():
            record_event(actor, "REQUEST_READ", request)

