"""Session rules of T3: idle sessions end, and a password that must change blocks everything.

Requests that carry an API token (`Authorization: Bearer …`) are authenticated by the token
alone: both middlewares leave them to the API, and a session cookie riding along is ignored.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.core.context import RequestContext, current_request
from baomi.core.middleware import client_ip
from baomi.core.policy import policy_of

from .passwords import password_change_required
from .services import note_session_expired

LAST_ACTIVITY_KEY = "baomi_last_activity"
# Writing the session on every request costs a write; a few seconds of slack cost nothing.
TOUCH_EVERY_SECONDS = 30
API_PREFIX = "/api/"
PASSWORD_CHANGE_EXEMPT = frozenset({
    "accounts:login", "accounts:logout", "accounts:password_change",
})

GetResponse = Callable[[HttpRequest], HttpResponse]


def has_bearer_token(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


def redirect_with(url_name: str, request: HttpRequest, **params: Any) -> HttpResponse:
    if request.method == "GET":
        params["next"] = request.get_full_path()
    return redirect(f"{reverse(url_name)}?{urlencode(params)}")


@contextmanager
def request_context(request: HttpRequest) -> Iterator[None]:
    """Give audit events written before RequestContextMiddleware runs an id and address."""
    if current_request.get().request_id:
        yield
        return
    token = current_request.set(RequestContext(str(uuid.uuid4()), client_ip(request)))
    try:
        yield
    finally:
        current_request.reset(token)


def _last_activity(request: HttpRequest) -> float | None:
    value = request.session.get(LAST_ACTIVITY_KEY)
    return float(value) if isinstance(value, int | float) else None


class IdleTimeoutMiddleware:
    """rule T3: a session idle longer than `session.idle_minutes` is logged out."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_bearer_token(request):
            request.user = AnonymousUser()
            return self.get_response(request)
        user: Any = request.user
        if user.is_authenticated:
            idle_minutes = int(policy_of(user.unit)["session.idle_minutes"])
            now = timezone.now().timestamp()
            last = _last_activity(request)
            if last is not None and now - last > idle_minutes * 60:  # rule T3
                return self._expire(request, user, idle_minutes)
            if last is None or now - last >= TOUCH_EVERY_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest, user: Any, idle_minutes: int) -> HttpResponse:
        with request_context(request):
            note_session_expired(user, idle_minutes)
        logout(request)
        if is_api(request):
            return api_error(401, "session_expired",
                             _("Your session ended after a period of inactivity; log in again."))
        return redirect_with("accounts:login", request, expired=1)


class ForcePasswordChangeMiddleware:
    """rule T3: a forced or expired password sends every page to the password change form."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and not has_bearer_token(request)
            and not self._exempt(request)
            and password_change_required(user, policy_of(user.unit))
        ):
            if is_api(request):
                return api_error(403, "password_change_required",
                                 _("Change your password before using the system."))
            return redirect_with("accounts:password_change", request)
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in PASSWORD_CHANGE_EXEMPT
