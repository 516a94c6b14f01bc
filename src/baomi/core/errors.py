"""Domain errors: a stable code, a Chinese message, optional per-field messages.

Views turn them into form errors, the API into `{"code", "message", "fields"}` with a 4xx.
"""

from typing import Any

from django.utils.translation import gettext as _


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.fields = {k: str(v) for k, v in (fields or {}).items()}
        self.rule = rule

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "fields": self.fields}
        if self.rule:
            body["rule"] = self.rule
        return body


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class RuleViolation(DomainError):
    """An action refused because a rule of RULES.md forbids it."""

    status = 422
    code = "rule_violation"


class AccessDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _("You are not allowed to do this."), **kwargs)


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _("The object does not exist or is not visible to you."), **kwargs)


class Conflict(DomainError):
    """The object changed under us: another action won, or the state forbids this one."""

    status = 409
    code = "conflict"
