"""The personnel API for posts and the person ledger (/api/v1/personnel).

Handlers call selectors and services only; every input is bounded by its schema and a
refusal is a DomainError (a 4xx with `{"code", "message", "fields"}`).
"""

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Department, Person
from baomi.core.errors import InvalidInput, NotFound
from baomi.core.labels import Category, Level
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from .choices import FileState
from .models import PersonnelFile, Post, PostHolding
from .selectors import people as selectors
from .services import people as services

router = Router(tags=["personnel"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
PostLevel = Annotated[int, Field(ge=int(Level.SECRET), le=int(Level.TOP_SECRET))]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]


# --- schemas -------------------------------------------------------------------------------


class HoldingOut(Schema):
    id: int
    post_id: int
    post_name: str
    department_id: int
    level: int
    started_on: date
    ended_on: date | None


class PersonOut(Schema):
    id: int = Field(description="The personnel file id.")
    person_id: int
    name: str
    employee_no: str
    unit_id: int
    department_id: int | None
    department_name: str | None
    state: FileState
    category: int
    in_post_since: date | None
    last_review_on: date | None
    rereview_due_on: date | None
    posts: list[HoldingOut]


class PersonPage(Schema):
    items: list[PersonOut]
    next_after: int | None


class LedgerQuery(Schema):
    department_id: int | None = Field(None, ge=1, le=MAX_KEY)
    state: FileState | None = None
    category: Category | None = None
    q: str = Field("", max_length=50, description="Text in the name or employee number.")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class OpenFileIn(Schema):
    person_id: int = Field(ge=1, le=MAX_KEY)


class AssignIn(Schema):
    post_id: int = Field(ge=1, le=MAX_KEY)
    started_on: Day


class PostOut(Schema):
    id: int
    unit_id: int
    department_id: int
    department_name: str
    name: str
    level: int
    duties: str
    active: bool
    holders: list[int] = Field(description="Person ids of the current holders.")


class PostPage(Schema):
    items: list[PostOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


class PostIn(Schema):
    department_id: int = Field(ge=1, le=MAX_KEY)
    name: str = Field(min_length=1, max_length=100)
    level: PostLevel
    duties: str = Field("", max_length=4000)


class PostPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    level: PostLevel | None = None
    duties: str | None = Field(None, max_length=4000)


# --- serialisation -------------------------------------------------------------------------


def holding_out(holding: PostHolding) -> dict[str, Any]:
    post = holding.post
    return {"id": holding.pk, "post_id": post.pk, "post_name": post.name,
            "department_id": post.department_id, "level": post.level,
            "started_on": holding.started_on, "ended_on": holding.ended_on}


def person_out(file: PersonnelFile, holdings: list[PostHolding] | None = None) -> dict[str, Any]:
    person = file.person
    if holdings is None:
        holdings = getattr(person, "current", [])
    return {"id": file.pk, "person_id": person.pk, "name": person.name,
            "employee_no": person.employee_no, "unit_id": file.unit_id,
            "department_id": person.department_id,
            "department_name": person.department.name if person.department else None,
            "state": file.state, "category": file.category, "in_post_since": file.in_post_since,
            "last_review_on": file.last_review_on, "rereview_due_on": file.rereview_due_on,
            "posts": [holding_out(h) for h in holdings]}


def post_out(post: Post) -> dict[str, Any]:
    current = getattr(post, "current", None)
    if current is None:
        current = list(selectors.holders_of(post))
    return {"id": post.pk, "unit_id": post.unit_id, "department_id": post.department_id,
            "department_name": post.department.name, "name": post.name, "level": post.level,
            "duties": post.duties, "active": post.active,
            "holders": [h.person_id for h in current]}


def _detail(actor: Any, file_id: int) -> dict[str, Any]:
    file = selectors.file_for(actor, file_id)
    return person_out(file, list(selectors.holdings_of(file).filter(ended_on__isnull=True)))


# --- people --------------------------------------------------------------------------------


@router.get("/people", response={200: PersonPage, **ERRORS},
            summary="The classified personnel ledger visible to you")
def list_people(request: HttpRequest, query: Query[LedgerQuery]) -> dict[str, Any]:
    filters = selectors.LedgerFilters(
        department_id=query.department_id, state=str(query.state) if query.state else None,
        category=int(query.category) if query.category is not None else None, text=query.q)
    page = keyset_page(selectors.ledger(request.auth, filters), None,  # type: ignore[attr-defined]
                       size=query.limit, after=query.after)
    return {"items": [person_out(f) for f in page.items], "next_after": page.next_after}


@router.get("/people/{file_id}", response={200: PersonOut, **ERRORS},
            summary="One classified-personnel file")
def get_person(request: HttpRequest, file_id: Id) -> dict[str, Any]:
    return _detail(request.auth, file_id)  # type: ignore[attr-defined]


@router.post("/people", response={201: PersonOut, **ERRORS},
             summary="Open a classified-personnel file for a person (secrecy office)")
def open_file(request: HttpRequest, payload: OpenFileIn) -> Status[dict[str, Any]]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    person = Person.objects.filter(pk=payload.person_id,
                                   unit_id__in=selectors.managed_units(actor)).first()
    if person is None:
        message = _("No such person in a unit you manage.")
        raise NotFound(message, fields={"person_id": message})
    file = services.open_file(actor, person)
    return Status(201, _detail(actor, file.pk))


@router.post("/people/{file_id}/posts", response={201: PersonOut, **ERRORS},
             summary="Assign a post to the person (secrecy office; rule L3)")
def assign_post(request: HttpRequest, file_id: Id, payload: AssignIn) -> Status[dict[str, Any]]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    file = selectors.file_for(actor, file_id)
    post = selectors.posts_visible_to(actor).filter(pk=payload.post_id).first()
    if post is None:
        message = _("No such post.")
        raise InvalidInput(message, code="invalid_post", fields={"post_id": message})
    services.assign_post(actor, file.person, post, started_on=payload.started_on)
    return Status(201, _detail(actor, file.pk))


# --- posts ---------------------------------------------------------------------------------


@router.get("/posts", response={200: PostPage, **ERRORS}, summary="Classified posts")
def list_posts(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    queryset = selectors.posts_with_holders(request.auth)  # type: ignore[attr-defined]
    page = keyset_page(queryset, None, size=query.limit, after=query.after)
    return {"items": [post_out(p) for p in page.items], "next_after": page.next_after}


@router.post("/posts", response={201: PostOut, **ERRORS},
             summary="Create a classified post (secrecy office)")
def create_post(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    department = Department.objects.filter(
        pk=payload.department_id, unit_id__in=selectors.managed_units(actor)).first()
    if department is None:
        message = _("No such department in a unit you manage.")
        raise InvalidInput(message, code="invalid_department",
                           fields={"department_id": message})
    post = services.create_post(actor, department=department, name=payload.name,
                                level=payload.level, duties=payload.duties)
    return Status(201, post_out(post))


@router.patch("/posts/{post_id}", response={200: PostOut, **ERRORS},
              summary="Edit a post; a level change re-derives holders' categories (L3, P6)")
def update_post(request: HttpRequest, post_id: Id, payload: PostPatch) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    post = selectors.post_for(actor, post_id)
    services.update_post(
        actor, post, name=payload.name if payload.name is not None else post.name,
        duties=payload.duties if payload.duties is not None else post.duties,
        level=payload.level if payload.level is not None else post.level)
    return post_out(selectors.post_for(actor, post_id))
