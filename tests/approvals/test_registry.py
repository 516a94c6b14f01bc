import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel

from baomi.approvals.registry import (
    RequestType,
    UnknownRequestType,
    all_request_types,
    get_request_type,
    register_request_type,
)
from baomi.core.labels import Level

from .conftest import NOTE, NoteRequest


class Empty(BaseModel):
    pass


def test_types_of_every_app_are_discovered():
    # accounts/request_types.py is imported by the approvals app's ready(), not by the tests
    assert get_request_type("role_grant").code == "role_grant"
    assert apps.get_app_config("approvals").verbose_name


def test_lookup():
    assert get_request_type("test_note") is NOTE
    assert "test_note" in [t.code for t in all_request_types()]
    for code in ("nope", "", None, ["list"]):
        with pytest.raises(UnknownRequestType) as err:
            get_request_type(code)
        assert err.value.code == "unknown_type"


def test_a_code_belongs_to_one_type():
    class Impostor(RequestType):
        code = "test_note"
        label = "impostor"
        payload_schema = Empty

    with pytest.raises(ImproperlyConfigured):
        register_request_type(Impostor())
    assert register_request_type(NoteRequest()).code == "test_note"  # re-registering is fine
    register_request_type(NOTE)


def test_a_type_needs_a_code():
    class Nameless(RequestType):
        code = ""
        label = "x"
        payload_schema = Empty

    with pytest.raises(ImproperlyConfigured):
        register_request_type(Nameless())


def test_defaults():
    class Plain(RequestType):
        code = "test_plain"
        label = "Plain"
        payload_schema = Empty

    plain = Plain()
    assert plain.level_of({}) == Level.NONSECRET
    assert plain.describe({}) == "Plain"
    assert plain.build_form(None) is None
    assert plain.can_submit(None) is True
