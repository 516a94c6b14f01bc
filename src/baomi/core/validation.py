"""Checks of free input shared by every service."""

from typing import Any

from django.utils.translation import gettext as _

from .errors import InvalidInput


def clean_text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    """A stripped single text value within `max_length`, without control characters or
    text the database cannot store; InvalidInput naming `field` otherwise."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("Invalid value."), fields={field: _("Enter text.")})
    value = value.strip()
    if required and not value:
        message = _("This field is required.")
        raise InvalidInput(message, code="required", fields={field: message})
    if len(value) > max_length:
        message = _("At most %(n)s characters.") % {"n": max_length}
        raise InvalidInput(message, code="too_long", fields={field: message})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(_("Invalid characters."),
                           fields={field: _("Invalid characters.")}) from None
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise InvalidInput(_("Invalid characters."), fields={field: _("Invalid characters.")})
    return value
