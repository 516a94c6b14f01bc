"""REST API of the accounts app, under /api/v1/accounts/.

Handlers call selectors and services only; a refusal is a DomainError, which the root API
turns into `{"code", "message", "fields"}` with a 4xx. Every input is bounded by its schema.
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import StringConstraints

from baomi.core.access import clearance, sees_business_data
from baomi.core.errors import InvalidInput
from baomi.core.paging import keyset_page
from baomi.core.policy import policy_of
from baomi.core.policy.loader import EffectiveSetting
from baomi.core.schemas import ErrorOut

from . import selectors, services
from .models import ApiToken, User
from .roles import Role

MAX_ID = selectors.MAX_ID
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: a per-user API token (see services.authenticate_token)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services.authenticate_token(token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["accounts"])


# --- schemas -------------------------------------------------------------------------------


ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}


class UserOut(Schema):
    id: int
    username: str
    name: str
    employee_no: str
    unit_id: int
    unit_code: str
    department_id: int | None
    is_active: bool
    must_change_password: bool
    locked_until: datetime | None
    category: int
    roles: list[str]


class MeOut(UserOut):
    clearance: int
    sees_business_data: bool


class UserPage(Schema):
    items: list[UserOut]
    next_after: int | None


class UserFilter(Schema):
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    active: bool | None = None
    role: Role | None = None
    after: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)


class UserCreateIn(Schema):
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="Default: your unit.")
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    name: str = Field(min_length=1, max_length=100)
    employee_no: str = Field(min_length=1, max_length=50)
    username: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=128, description="Initial password.")


class RoleIn(Schema):
    role: Role
    reason: str = Field("", max_length=1000)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself: shown this once, never again.")


class PolicySettingOut(Schema):
    key: str
    label: str
    value: Any
    origin: str = Field(description="default, profile or unit")
    rule: str
    minimum: int | None
    maximum: int | None
    unit: str
    source: str


class PolicyOut(Schema):
    unit_id: int
    unit_code: str
    profile: str
    profile_version: int
    settings: list[PolicySettingOut]


Short = Annotated[str, StringConstraints(max_length=50)]
ChainRoles = Annotated[list[Short], Field(min_length=1, max_length=10)]
Chains = Annotated[
    dict[Short, Annotated[dict[Short, ChainRoles], Field(max_length=10)]], Field(max_length=50)
]


class PolicyOverrideIn(Schema):
    value: bool | int | Chains | Annotated[str, Field(max_length=200)]
    reason: str = Field(min_length=1, max_length=1000)


class PolicyProfileIn(Schema):
    profile: str = Field(min_length=1, max_length=50)


class UnitQuery(Schema):
    unit: str | None = Field(None, max_length=50, description="Unit code or id; default yours.")


# --- serialisation -------------------------------------------------------------------------


def user_out(user: User) -> dict[str, Any]:
    person = user.person
    return {
        "id": user.pk, "username": user.username, "name": person.name,
        "employee_no": person.employee_no, "unit_id": person.unit_id,
        "unit_code": person.unit.code, "department_id": person.department_id,
        "is_active": user.is_active, "must_change_password": user.must_change_password,
        "locked_until": user.locked_until, "category": person.category,
        "roles": sorted(a.role for a in user.role_assignments.all()),
    }


def token_out(token: ApiToken) -> dict[str, Any]:
    return {"id": token.pk, "name": token.name, "prefix": token.prefix,
            "created_at": token.created_at, "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at}


def setting_out(effective: EffectiveSetting) -> dict[str, Any]:
    setting = effective.setting
    return {"key": setting.key, "label": setting.label, "value": effective.value,
            "origin": effective.origin, "rule": setting.rule, "minimum": setting.minimum,
            "maximum": setting.maximum, "unit": setting.unit, "source": effective.source}


def policy_out(unit: Any) -> dict[str, Any]:
    policy = policy_of(unit)
    return {"unit_id": unit.pk, "unit_code": unit.code, "profile": policy.profile.name,
            "profile_version": policy.profile.version,
            "settings": [setting_out(e) for e in policy.all()]}


# --- users ---------------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The logged-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    return {**user_out(user), "clearance": int(clearance(user)),
            "sees_business_data": sees_business_data(user)}


@router.get("/users", response={200: UserPage, **ERRORS}, summary="Users visible to you")
def list_users(request: HttpRequest, filters: Query[UserFilter]) -> dict[str, Any]:
    queryset = selectors.users_matching(
        request.auth, department_id=filters.department_id,  # type: ignore[attr-defined]
        active=filters.active, role=str(filters.role) if filters.role else None,
    )
    page = keyset_page(queryset, None, size=filters.limit, after=filters.after)
    return {"items": [user_out(u) for u in page.items], "next_after": page.next_after}


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS}, summary="One user")
def get_user(request: HttpRequest, user_id: Id) -> dict[str, Any]:
    return user_out(selectors.user_detail_for(request.auth, user_id))  # type: ignore[attr-defined]


@router.post("/users", response={201: UserOut, **ERRORS},
             summary="Create a person with a login (system administrator)")
def create_user(request: HttpRequest, payload: UserCreateIn) -> Status[dict[str, Any]]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    unit = selectors.unit_visible_to(actor, payload.unit_id)
    department = None
    if payload.department_id is not None:
        department = selectors.departments_of(unit).filter(pk=payload.department_id).first()
        if department is None:
            message = _("The department belongs to another unit.")
            raise InvalidInput(message, code="invalid_department",
                               fields={"department_id": message})
    user = services.create_person_and_user(
        actor, unit=unit, department=department, name=payload.name, employee_no=payload.employee_no,
        username=payload.username, initial_password=payload.password,
    )
    return Status(201, user_out(user))


@router.post("/users/{user_id}/roles", response={201: UserOut, **ERRORS},
             summary="Assign a role (security administrator; rule T1)")
def assign_role(request: HttpRequest, user_id: Id, payload: RoleIn) -> Status[dict[str, Any]]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    user = selectors.user_detail_for(actor, user_id)
    services.assign_role(actor, user, str(payload.role), reason=payload.reason)
    return Status(201, user_out(selectors.user_detail_for(actor, user_id)))


@router.delete("/users/{user_id}/roles/{role}", response={200: UserOut, **ERRORS},
               summary="Withdraw a role (security administrator)")
def revoke_role(request: HttpRequest, user_id: Id, role: Role,
                reason: Annotated[str, Query(max_length=1000)] = "") -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    user = selectors.user_detail_for(actor, user_id)
    services.revoke_role(actor, user, str(role), reason=reason)
    return user_out(selectors.user_detail_for(actor, user_id))


# --- tokens --------------------------------------------------------------------------------


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Your API tokens")
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [token_out(t) for t in selectors.tokens_of(request.auth)]  # type: ignore[attr-defined]


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS},
             summary="Create an API token (its value is returned once)")
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    token, plaintext = services.create_api_token(request.auth, payload.name)  # type: ignore
    return Status(201, {**token_out(token), "token": plaintext})


@router.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS},
               summary="Revoke one of your API tokens")
def revoke_token(request: HttpRequest, token_id: Id) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    token = services.revoke_api_token(actor, selectors.token_of(actor, token_id))
    return token_out(token)


# --- policy --------------------------------------------------------------------------------


@router.get("/policy", response={200: PolicyOut, **ERRORS},
            summary="The effective policy of a unit, with the origin of each value")
def get_policy(request: HttpRequest, query: Query[UnitQuery]) -> dict[str, Any]:
    return policy_out(selectors.unit_visible_to(request.auth, query.unit))  # type: ignore


@router.put("/policy/profile", response={200: PolicyOut, **ERRORS},
            summary="Choose the unit's policy profile (security administrator)")
def set_profile(request: HttpRequest, query: Query[UnitQuery],
                payload: PolicyProfileIn) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    unit = selectors.unit_visible_to(actor, query.unit)
    services.set_policy_profile(actor, unit, payload.profile)
    return policy_out(unit)


@router.put("/policy/overrides/{key}", response={200: PolicyOut, **ERRORS},
            summary="Override one setting inside its range (security administrator)")
def set_override(request: HttpRequest, key: Annotated[str, Path(max_length=100)],
                 query: Query[UnitQuery], payload: PolicyOverrideIn) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    unit = selectors.unit_visible_to(actor, query.unit)
    services.set_policy_override(actor, unit, key, payload.value, reason=payload.reason)
    return policy_out(unit)


@router.delete("/policy/overrides/{key}", response={200: PolicyOut, **ERRORS},
               summary="Remove a unit override (security administrator)")
def clear_override(request: HttpRequest, key: Annotated[str, Path(max_length=100)],
                   query: Query[UnitQuery],
                   reason: Annotated[str, Query(min_length=1, max_length=1000)]) -> dict[str, Any]:
    actor: Any = request.auth  # type: ignore[attr-defined]
    unit = selectors.unit_visible_to(actor, query.unit)
    services.clear_policy_override(actor, unit, key, reason=reason)
    return policy_out(unit)
