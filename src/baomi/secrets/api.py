"""定密 API (/api/v1/secrets/, rules S1–S11): the register of secret items (one scheme per
list, rule L4; only what the caller may see, rule L5), proposing an item, one item with its
知悉范围, history and knowledge record, change and scope requests, the knowledge record, the
annual review, the superior decision on a provisional item, and the unit's 定密权限.

Errors answer `{"code", "message", "fields"}` with a 4xx.
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department, Person, User
from baomi.core.access import unit_perimeter
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import Authority, ItemChange, KnowledgeRecord, ScopeEntry, SecretItem
from .reads import record_item_read
from .selectors import history_of, item_for, knowledge_of, scope_of
from .views.display import item_mark, period_text, scope_summary, with_scope
from .views.filters import register_items
from .views.items import AUTHORITY_READERS

router = Router(tags=["secrets"])

Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates outside these bounds are typing errors (and would overflow the period arithmetic).
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2099, 12, 31))]
ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422)}
SchemeCode = Literal["state", "work", "commercial"]
PeriodKindCode = Literal["years", "months", "long_term", "condition"]
StateCode = Literal["proposed", "provisional", "determined", "expiry_review", "declassified",
                    "rejected"]
LevelCode = Annotated[int, Field(ge=1, le=3, description="1 秘密, 2 机密, 3 绝密 (rule L4: "
                                                         "工作秘密 1; 普通商密 1, 核心商密 2)")]
PeriodValue = Annotated[int, Field(ge=1, le=99, description="Years or months (rule S2).")]
MAX_PEOPLE = 200
MAX_DEPARTMENTS = 50


# --- schemas -----------------------------------------------------------------------------


class ItemQuery(Schema):
    scheme: SchemeCode = Field("state", description="One scheme per list (rule L4).")
    state: StateCode | None = None
    level: LevelCode | None = None
    department_id: Key | None = None
    after: Key | None = None
    limit: int = Field(50, ge=1, le=500)


class ItemIn(Schema):
    scheme: SchemeCode = "state"
    number: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    level: LevelCode
    period_kind: PeriodKindCode
    period_value: PeriodValue | None = None
    declassify_condition: str = Field("", max_length=1000)
    basis: str = Field(min_length=1, max_length=1000)
    issued_on: Day | None = None
    department_id: Key | None = None
    scope_people: list[Key] = Field([], max_length=MAX_PEOPLE,
                                    description="Person ids of the unit (知悉范围).")
    scope_departments: list[Key] = Field([], max_length=MAX_DEPARTMENTS)


class ChangeIn(Schema):
    kind: Literal["level", "period", "scope_remove", "declassify"]
    level: LevelCode | None = None
    period_kind: PeriodKindCode | None = None
    period_value: PeriodValue | None = None
    declassify_condition: str | None = Field(None, max_length=1000)
    remove_people: list[Key] = Field([], max_length=MAX_PEOPLE)
    remove_departments: list[Key] = Field([], max_length=MAX_DEPARTMENTS)
    reason: str = Field(min_length=1, max_length=2000)


class ScopeAdditionIn(Schema):
    people: list[Key] = Field([], max_length=MAX_PEOPLE)
    departments: list[Key] = Field([], max_length=MAX_DEPARTMENTS)
    reason: str = Field(min_length=1, max_length=2000)


class KnowledgeIn(Schema):
    person_id: Key
    kind: Literal["contact", "know"]
    known_on: Day
    approved_by_id: Key | None = Field(None, description="The user who approved it.")
    source: str = Field("", max_length=200)


class ReviewIn(Schema):
    note: str = Field("", max_length=2000)


class SuperiorDecisionIn(Schema):
    classified: bool
    level: LevelCode
    period_kind: PeriodKindCode
    period_value: PeriodValue | None = None
    declassify_condition: str = Field("", max_length=1000)
    document: str = Field(min_length=1, max_length=200)
    decided_on: Day


class AuthorityIn(Schema):
    max_level: LevelCode
    document: str = Field(min_length=1, max_length=200)
    granted_on: Day


class ItemOut(Schema):
    id: int
    unit_id: int
    department_id: int | None
    scheme: str
    number: str
    title: str
    description: str
    level: int
    period_kind: str
    period_value: int | None
    declassify_condition: str
    basis: str
    issued_on: date | None
    expires_on: date | None
    state: str
    mark: str = Field(description="rule S9, e.g. 机密★10年")
    period_text: str
    scope_summary: str
    proposer_id: int
    proposer_name: str
    decider_name: str
    decided_on: date | None
    decision_document: str
    request_id: int | None
    provisional_due_on: date | None
    provisional_due_estimated: bool
    last_reviewed_on: date | None
    declassified_on: date | None
    declassified_how: str


class ItemPage(Schema):
    items: list[ItemOut]
    next_after: int | None


class ScopeOut(Schema):
    id: int
    person_id: int | None
    person_name: str | None
    department_id: int | None
    department_name: str | None
    added_on: date
    request_id: int | None


class ChangeOut(Schema):
    id: int
    kind: str
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    request_id: int | None
    decided_by_name: str
    decided_on: date


class KnowledgeOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    known_on: date
    approved_by_id: int | None
    approved_by_name: str
    source: str


class ItemDetailOut(ItemOut):
    scope: list[ScopeOut]
    history: list[ChangeOut]
    knowledge: list[KnowledgeOut]


class RequestOut(Schema):
    request_id: int
    state: str
    item_id: int


class AuthorityOut(Schema):
    unit_id: int
    max_level: int | None = Field(description="None: the unit may not classify (rule S3).")
    document: str
    granted_on: date | None


# --- output ------------------------------------------------------------------------------

ITEM_FIELDS = ("id", "unit_id", "department_id", "scheme", "number", "title", "description",
               "level", "period_kind", "period_value", "declassify_condition", "basis",
               "issued_on", "expires_on", "state", "proposer_id", "decided_on",
               "decision_document", "request_id", "provisional_due_on",
               "provisional_due_estimated", "last_reviewed_on", "declassified_on",
               "declassified_how")


def item_out(item: SecretItem) -> dict[str, Any]:
    decider = item.decider.person.name if item.decider_id and item.decider else ""
    return {**{name: getattr(item, name) for name in ITEM_FIELDS},
            "mark": item_mark(item), "period_text": period_text(item),
            "scope_summary": scope_summary(item), "proposer_name": item.proposer.name,
            "decider_name": decider}


def scope_out(entry: ScopeEntry) -> dict[str, Any]:
    return {"id": entry.pk, "person_id": entry.person_id,
            "person_name": entry.person.name if entry.person_id and entry.person else None,
            "department_id": entry.department_id,
            "department_name": (entry.department.name if entry.department_id
                                and entry.department else None),
            "added_on": entry.added_on, "request_id": entry.request_id}


def change_out(change: ItemChange) -> dict[str, Any]:
    decided_by = change.decided_by.person.name if change.decided_by_id and change.decided_by \
        else ""
    return {"id": change.pk, "kind": change.kind,
            "before": change.before if isinstance(change.before, dict) else {},
            "after": change.after if isinstance(change.after, dict) else {},
            "reason": change.reason, "request_id": change.request_id,
            "decided_by_name": decided_by, "decided_on": change.decided_on}


def knowledge_out(record: KnowledgeRecord) -> dict[str, Any]:
    approved = record.approved_by.person.name if record.approved_by_id and record.approved_by \
        else ""
    return {"id": record.pk, "person_id": record.person_id, "person_name": record.person.name,
            "kind": record.kind, "known_on": record.known_on,
            "approved_by_id": record.approved_by_id, "approved_by_name": approved,
            "source": record.source}


def detail_out(item: SecretItem) -> dict[str, Any]:
    return {**item_out(item), "scope": [scope_out(e) for e in scope_of(item)],
            "history": [change_out(c) for c in history_of(item)[:500]],
            "knowledge": [knowledge_out(r) for r in knowledge_of(item)[:500]]}


def _fresh(request: HttpRequest, item: SecretItem) -> dict[str, Any]:
    return item_out(item_for(request.user, item.pk))


def _request_out(request: Any, item: SecretItem) -> dict[str, Any]:
    return {"request_id": request.pk, "state": request.state, "item_id": item.pk}


# --- resolving ids -------------------------------------------------------------------------


def _unknown(field: str, message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: message})


def _people(unit_id: int, ids: list[int], field: str) -> list[Person]:
    found = {p.pk: p for p in Person.objects.filter(pk__in=set(ids), unit_id=unit_id)}
    if len(found) != len(set(ids)):
        raise _unknown(field, _("Choose people of the unit."), "unknown_person")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _departments(unit_id: int, ids: list[int], field: str) -> list[Department]:
    found = {d.pk: d for d in Department.objects.filter(pk__in=set(ids), unit_id=unit_id)}
    if len(found) != len(set(ids)):
        raise _unknown(field, _("Choose departments of the unit."), "unknown_department")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _department(unit_id: int, pk: int | None) -> Department | None:
    return _departments(unit_id, [pk], "department_id")[0] if pk is not None else None


def _approver(unit_id: int, pk: int | None) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, person__unit_id=unit_id).first()
    if user is None:
        raise _unknown("approved_by_id", _("Choose a user of the unit."), "unknown_user")
    return user


# --- endpoints -----------------------------------------------------------------------------


@router.get("/items", response={200: ItemPage, **ERRORS},
            summary="The register of secret items you may see, one scheme at a time")
def list_items(request: HttpRequest, query: Query[ItemQuery]) -> dict[str, Any]:
    filters = {"scheme": query.scheme, "state": query.state or "", "level": query.level,
               "department": query.department_id}
    items = with_scope(register_items(request.user, filters))
    page = keyset_page(items, None, size=query.limit, after=query.after)
    return {"items": [item_out(item) for item in page.items], "next_after": page.next_after}


@router.post("/items", response={201: ItemDetailOut, **ERRORS})
def propose_item(request: HttpRequest, data: ItemIn) -> Status:
    """The 承办人 proposes an item (rules S1, S2, S4); a unit without authority for the level
    provisionally classifies it (rule S3, state `provisional`)."""
    user: Any = request.user
    unit = user.person.unit
    item = services.propose_item(
        user, unit=unit, scheme=data.scheme, number=data.number, title=data.title,
        description=data.description, level=data.level, period_kind=data.period_kind,
        period_value=data.period_value, declassify_condition=data.declassify_condition,
        basis=data.basis, issued_on=data.issued_on,
        department=_department(unit.pk, data.department_id),
        scope_people=_people(unit.pk, data.scope_people, "scope_people"),
        scope_departments=_departments(unit.pk, data.scope_departments, "scope_departments"))
    return Status(201, detail_out(item_for(user, item.pk)))


@router.get("/items/{item_id}", response={200: ItemDetailOut, **ERRORS})
def get_item(request: HttpRequest, item_id: Id) -> Any:
    """One item with its 知悉范围, history (S10) and knowledge record (S8); reading a 机密 or
    绝密 item is audited."""
    item = item_for(request.user, item_id)
    record_item_read(request.user, item, via="api")
    return detail_out(item)


@router.post("/items/{item_id}/changes", response={201: RequestOut, **ERRORS})
def request_change(request: HttpRequest, item_id: Id, data: ChangeIn) -> Status:
    """A change of level, period or 知悉范围, or the declassification (rule S10), filed for the
    定密责任人's decision."""
    item = item_for(request.user, item_id)
    filed = services.request_change(
        request.user, item, kind=data.kind, level=data.level, period_kind=data.period_kind,
        period_value=data.period_value, declassify_condition=data.declassify_condition,
        remove_people=_people(item.unit_id, data.remove_people, "remove_people"),
        remove_departments=_departments(item.unit_id, data.remove_departments,
                                        "remove_departments"),
        reason=data.reason)
    return Status(201, _request_out(filed, item))


@router.post("/items/{item_id}/scope-additions", response={201: RequestOut, **ERRORS})
def request_scope_addition(request: HttpRequest, item_id: Id, data: ScopeAdditionIn) -> Status:
    """Adding people or departments to the 知悉范围 (rule S7), approved by the leader."""
    item = item_for(request.user, item_id)
    filed = services.request_scope_addition(
        request.user, item, people=_people(item.unit_id, data.people, "people"),
        departments=_departments(item.unit_id, data.departments, "departments"),
        reason=data.reason)
    return Status(201, _request_out(filed, item))


@router.post("/items/{item_id}/knowledge", response={201: KnowledgeOut, **ERRORS})
def record_knowledge(request: HttpRequest, item_id: Id, data: KnowledgeIn) -> Status:
    """Who came to know the item, when and how (rule S8); 422 `not_in_scope` for a person
    outside the 知悉范围."""
    item = item_for(request.user, item_id)
    record = services.record_knowledge(
        request.user, item, person=_people(item.unit_id, [data.person_id], "person_id")[0],
        kind=data.kind, known_on=data.known_on,
        approved_by=_approver(item.unit_id, data.approved_by_id), source=data.source)
    return Status(201, knowledge_out(record))


@router.post("/items/{item_id}/review", response={200: ItemOut, **ERRORS})
def review_item(request: HttpRequest, item_id: Id, data: ReviewIn) -> Any:
    """The annual review by the 定密责任人 (rule S5)."""
    item = services.review_item(request.user, item_for(request.user, item_id), note=data.note)
    return _fresh(request, item)


@router.post("/items/{item_id}/superior-decision", response={200: ItemOut, **ERRORS})
def superior_decision(request: HttpRequest, item_id: Id, data: SuperiorDecisionIn) -> Any:
    """The competent authority's decision on a provisionally classified item (rule S3),
    recorded by the 保密办."""
    item = services.record_superior_decision(
        request.user, item_for(request.user, item_id), classified=data.classified,
        level=data.level, period_kind=data.period_kind, period_value=data.period_value,
        declassify_condition=data.declassify_condition, document=data.document,
        decided_on=data.decided_on)
    return _fresh(request, item)


def _authority_unit(request: HttpRequest) -> Any:
    user: Any = request.user
    if user.person.unit_id not in unit_perimeter(user, AUTHORITY_READERS):
        raise AccessDenied(_("Only the secrecy office, the classification officer or the "
                             "leader of the unit can see this."), code="not_allowed")
    return user.person.unit


def authority_out(unit: Any) -> dict[str, Any]:
    authority = Authority.objects.filter(unit_id=unit.pk).first()
    if authority is None:
        return {"unit_id": unit.pk, "max_level": None, "document": "", "granted_on": None}
    return {"unit_id": unit.pk, "max_level": authority.max_level,
            "document": authority.document, "granted_on": authority.granted_on}


@router.get("/authority", response={200: AuthorityOut, **ERRORS},
            summary="Your unit's classification authority (rule S3)")
def get_authority(request: HttpRequest) -> Any:
    return authority_out(_authority_unit(request))


@router.put("/authority", response={200: AuthorityOut, **ERRORS},
            summary="Record your unit's classification authority (保密办, rule S3)")
def put_authority(request: HttpRequest, data: AuthorityIn) -> Any:
    user: Any = request.user
    unit = user.person.unit
    services.set_authority(user, unit, max_level=data.max_level, document=data.document,
                           granted_on=data.granted_on)
    return authority_out(unit)
