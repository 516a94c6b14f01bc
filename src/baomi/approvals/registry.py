"""The registry of request types: the seam between the generic engine and each domain.

A domain app describes one kind of request (borrow, copy, destroy, travel, role grant …) by
subclassing `RequestType` in a module named `request_types.py`; the approvals app imports
every such module at start-up (apps.py) and the type registers itself:

    class BorrowRequest(RequestType):
        code = "borrow"
        label = _("Borrow a carrier")
        payload_schema = BorrowPayload          # pydantic model: the only accepted payload
        form_class = BorrowForm                 # optional: offered on "new request"

        def describe(self, payload): ...
        def on_approved(self, request, actor): ...   # runs inside the deciding transaction

    register_request_type(BorrowRequest())

The engine validates payloads with `payload_schema`, takes the chain of roles from the unit's
policy (`approvals.chains`), enforces separation of duties and calls back the type when the
request is decided.
"""

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import BaseModel

from baomi.core.errors import InvalidInput
from baomi.core.labels import Level
from baomi.core.policy.loader import Policy

if TYPE_CHECKING:
    from .models import Request


class RequestType:
    """One kind of request. Subclass it, set the class attributes, override what differs."""

    code: ClassVar[str]
    label: ClassVar[Any]  # gettext_lazy text
    payload_schema: ClassVar[type[BaseModel]]
    form_class: ClassVar[type[forms.Form] | None] = None
    # The URL name of the subject's own page, taking the subject's id (None: no page).
    subject_page: ClassVar[str | None] = None

    def describe(self, payload: dict[str, Any]) -> str:
        """One line saying what is asked, shown in lists and on the detail page."""
        return str(self.label)

    def level_of(self, payload: dict[str, Any]) -> Level:
        """The secrecy level of the request's content (rule L5); it picks the chain."""
        return Level.NONSECRET

    def can_submit(self, actor: Any) -> bool:
        """Whether `actor` may file this kind of request (any business user by default)."""
        return True

    def check(self, actor: Any, payload: BaseModel) -> None:
        """Domain checks beyond the schema (objects exist, are visible …); raise DomainError."""

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The department a 部门负责人 step belongs to: by default the requester's; a request
        filed on someone's behalf (a 保密办 filing a person's review) names theirs."""
        return actor.person.department_id

    def chain(self, policy: Policy, level: int, payload: dict[str, Any]) -> list[str]:
        """The business roles deciding this request, in order (policy `approvals.chains`)."""
        return policy.chain(self.code, level)

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """The person the request is about, who may not decide it (separation of duties)."""
        return None

    def subject_url(self, request: "Request") -> str | None:
        """The page of what the request is about (the page itself checks who may see it)."""
        if self.subject_page is None or request.subject_id is None:
            return None
        return reverse(self.subject_page, args=[request.subject_id])

    def on_approved(self, request: "Request", actor: Any) -> None:
        """Carry out what was approved; runs in the transaction of the last approval."""

    def on_rejected(self, request: "Request", actor: Any) -> None:
        """React to a rejection; runs in the transaction of the rejection."""

    def on_withdrawn(self, request: "Request", actor: Any) -> None:
        """React to the requester taking the request back; runs in that transaction."""

    # --- the web form ------------------------------------------------------------------
    def build_form(self, actor: Any, data: Any = None,
                   initial: dict[str, Any] | None = None) -> forms.Form | None:
        """The form for the payload, or None when the type is not filed from the UI."""
        if self.form_class is None:
            return None
        return self.form_class(data=data, initial=initial, prefix="payload")

    def payload_from_form(self, form: forms.Form) -> dict[str, Any]:
        """The payload a valid form stands for (model choices become their primary keys)."""
        return {name: _plain(value) for name, value in form.cleaned_data.items()}

    def initial_from_payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Initial form values to edit a returned request."""
        return dict(payload)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


_TYPES: dict[str, RequestType] = {}


class UnknownRequestType(InvalidInput):
    code = "unknown_type"


def register_request_type(request_type: RequestType) -> RequestType:
    """Register a request type by its code. Registering the same class again replaces it."""
    code = getattr(request_type, "code", "")
    if not code or len(code) > 50:
        raise ImproperlyConfigured(f"request type {request_type!r} needs a code of 1–50 chars")
    known = _TYPES.get(code)
    if known is not None and type(known).__qualname__ != type(request_type).__qualname__:
        raise ImproperlyConfigured(f"request type code {code!r} is already registered")
    _TYPES[code] = request_type
    return request_type


def get_request_type(code: str) -> RequestType:
    """The registered type of that code, or UnknownRequestType (an InvalidInput)."""
    try:
        return _TYPES[code]
    except (KeyError, TypeError):
        raise UnknownRequestType(
            _("Unknown request type."), fields={"request_type": _("Unknown request type.")}
        ) from None


def all_request_types() -> list[RequestType]:
    return [_TYPES[code] for code in sorted(_TYPES)]
