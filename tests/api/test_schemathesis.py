"""Fuzz every endpoint of the OpenAPI spec with generated input: zero 5xx responses.

Each operation is a test of its own; every generated case is sent twice: as a manager
holding every role but the auditor's (rule T1 forbids combining it) and as the 安全审计员, so
that each endpoint is exercised past its permission check.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from baomi.accounts.roles import Role
from baomi.accounts.services import create_api_token
from baomi.api import api
from baomi.core.labels import Category

IDENTITIES = {
    "manager": [Role.SYSADMIN, Role.SECADMIN, Role.LEADER, Role.SECRECY_OFFICE,
                Role.DEPARTMENT_HEAD, Role.CLASSIFICATION_OFFICER, Role.STAFF],
    "auditor": [Role.AUDITOR],
}


def _schema():
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    loaded.app = WSGIHandler()
    return loaded


SCHEMA = _schema()
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the test's transaction outlives each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearers(make_user, keep_test_connection):
    headers = []
    for identity, roles in IDENTITIES.items():
        user = make_user(f"fuzz-{identity}", roles=roles, category=Category.CORE)
        _, plaintext = create_api_token(user, "fuzz")
        headers.append({"Authorization": f"Bearer {plaintext}"})
    return headers


def test_spec_has_operations():
    assert len(OPERATIONS) >= 10


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_server_errors(label, bearers):
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def fuzz(case):
        for headers in bearers:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} → {response.status_code}: "
                f"{response.text[:500]}"
            )

    fuzz()
