"""Puts the request id and client address where services can record them."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import RequestContext, current_request


def client_ip(request: HttpRequest) -> str:
    # Behind a reverse proxy the operator sets BAOMI_TRUST_X_FORWARDED_FOR; not by default.
    return request.META.get("REMOTE_ADDR", "")[:45]


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(request_id=str(uuid.uuid4()), ip=client_ip(request))
        token = current_request.set(context)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = context.request_id
        return response
