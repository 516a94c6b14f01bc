"""Fixtures of the audit tests: a chain of events, raw SQL for tampering, a fresh signing key."""

import pytest
from django.db import connection

from baomi.audit.services import record_event


@pytest.fixture(autouse=True)
def signing_key_path(settings, tmp_path):
    """Each test signs with its own key, made on first use."""
    settings.AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "audit_ed25519.pem"
    return settings.AUDIT_SIGNING_KEY_PATH


@pytest.fixture
def make_chain(db):
    """make_chain(n, actor=None) appends n events and returns them."""

    def make(n, actor=None, action="TEST_DONE"):
        return [record_event(actor, action, object_type="test.thing", object_id=i,
                             after={"i": i, "名称": f"载体{i}"}, reason=f"reason {i}")
                for i in range(n)]

    return make


@pytest.fixture
def raw_sql():
    """raw_sql(statement, params): SQL behind the application's back (the guard is lifted in
    tests, so tampering statements go through as an attacker's would without triggers)."""

    def run(statement, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, list(params))

    return run
