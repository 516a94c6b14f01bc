"""Who is acting, from where: set per request by the middleware, read by record_event."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str = ""


current_request: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "baomi_request", default=RequestContext()  # noqa: B039 (frozen, immutable)
)
