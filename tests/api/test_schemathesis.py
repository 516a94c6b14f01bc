"""Fuzz every endpoint of the OpenAPI spec with generated input: zero 5xx responses.

Runs twice: as a manager holding every role but the auditor's (rule T1 forbids combining it),
and as the 安全审计员, so that each endpoint is exercised past its permission check.
"""

import pytest
import schemathesis
from baomi.accounts.services import create_api_token
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings

from baomi.accounts.roles import Role
from baomi.api import api
from baomi.core.labels import Category

schema = schemathesis.pytest.from_fixture("api_schema")
IDENTITIES = {
    "manager": [Role.SYSADMIN, Role.SECADMIN, Role.LEADER, Role.SECRECY_OFFICE,
                Role.DEPARTMENT_HEAD, Role.CLASSIFICATION_OFFICER, Role.STAFF],
    "auditor": [Role.AUDITOR],
}


@pytest.fixture(params=sorted(IDENTITIES))
def bearer(request, make_user):
    user = make_user(f"fuzz-{request.param}", roles=IDENTITIES[request.param],
                     category=Category.CORE)
    _, plaintext = create_api_token(user, "fuzz")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def api_schema(db):
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = WSGIHandler()
    return loaded


@schema.parametrize()
@settings(max_examples=20, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, bearer):
    response = case.call(headers=bearer)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
    )
