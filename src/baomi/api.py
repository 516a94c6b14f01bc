"""The REST API (django-ninja) under /api/v1/, OpenAPI at /api/v1/openapi.json.

Authentication: `Authorization: Bearer <token>` (per-user API tokens) or the browser session
(with CSRF). Errors answer `{"code": …, "message": …, "fields": {…}}` with a 4xx.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from baomi.accounts.api import TokenAuth
from baomi.accounts.api import router as accounts_router
from baomi.approvals.api import router as approvals_router
from baomi.audit.api import router as audit_router
from baomi.carriers.api import router as carriers_router
from baomi.compliance.api import router as compliance_router
from baomi.core.errors import DomainError
from baomi.devices.api import router as devices_router
from baomi.obligations.api import router as obligations_router
from baomi.personnel.api import router as personnel_router
from baomi.scans.api import router as scans_router
from baomi.secrets.api import router as secrets_router

api = NinjaAPI(
    title="baomi API",
    version="1",
    description="保密管理系统 REST API",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/accounts", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/approvals", approvals_router)
api.add_router("/obligations", obligations_router)
api.add_router("/personnel", personnel_router)
api.add_router("/secrets", secrets_router)
api.add_router("/carriers", carriers_router)
api.add_router("/compliance", compliance_router)
api.add_router("/devices", devices_router)
api.add_router("/scans", scans_router)


def _error(request: HttpRequest, status: int, code: str, message: str,
           fields: dict[str, Any] | None = None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query",
                                                                                 "path", "payload")]
        fields[".".join(location) or "request"] = _("Invalid value: %(detail)s") % {
            "detail": error.get("msg", "")
        }
    return _error(request, 422, "invalid", _("The request data is invalid."), fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found",
                  _("The object does not exist or is not visible to you."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "error", str(exc))
