"""A request type registered for the tests, and the people of a small unit who decide."""

from typing import Any

import pytest
from django import forms
from pydantic import BaseModel, ConfigDict, Field

from baomi.accounts.roles import Role
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import RuleViolation
from baomi.core.labels import Category, Level

callbacks: list[tuple[str, int, str, int]] = []


class NotePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=100)
    level: int = Field(default=0, ge=0, le=3)
    refuse_on_approval: bool = False


class NoteForm(forms.Form):
    note = forms.CharField(max_length=100)
    level = forms.TypedChoiceField(coerce=int, choices=Level.choices, initial=0)


class NoteRequest(RequestType):
    """A test type: its level comes from the payload, its callbacks are recorded."""

    code = "test_note"
    label = "Test note"
    payload_schema = NotePayload
    form_class = NoteForm

    def describe(self, payload: dict[str, Any]) -> str:
        return f"Note: {payload['note']}"

    def level_of(self, payload: dict[str, Any]) -> Level:
        return Level(payload["level"])

    def on_approved(self, request: Any, actor: Any) -> None:
        callbacks.append(("approved", request.pk, request.state, actor.pk))
        if request.payload["refuse_on_approval"]:
            raise RuleViolation("refused by the type", code="type_refused")

    def on_rejected(self, request: Any, actor: Any) -> None:
        callbacks.append(("rejected", request.pk, request.state, actor.pk))


class ApiOnlyRequest(RequestType):
    """A type without a form: filed through the API or another app's page only."""

    code = "test_api_only"
    label = "API only"
    payload_schema = NotePayload


NOTE = register_request_type(NoteRequest())
register_request_type(ApiOnlyRequest())


@pytest.fixture(autouse=True)
def _forget_calls():
    callbacks.clear()
    yield
    callbacks.clear()


def set_policy(unit, **overrides: Any) -> None:
    """Unit policy overrides for a test (e.g. set_policy(unit, chains={...}))."""
    unit.policy_overrides = {f"approvals.{key}": value for key, value in overrides.items()}
    unit.save()


@pytest.fixture
def requester(make_user):
    return make_user("requester", roles=[Role.STAFF], category=Category.IMPORTANT)


@pytest.fixture
def head(make_user):
    return make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def office2(make_user):
    return make_user("office2", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def leader(make_user):
    return make_user("leader", roles=[Role.LEADER], category=Category.CORE)


@pytest.fixture
def approvers(head, office, leader):
    """Someone for every role of the default chains."""
    return {"head": head, "office": office, "leader": leader}
