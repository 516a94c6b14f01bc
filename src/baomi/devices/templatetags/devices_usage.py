"""`{% device_usage_panel device %}`: the usage-log part of a computer's page (rule D5) — its
books by year with their number of entries and, for the 保密办 or the responsible person, the
form opening a book. Loaded for the user viewing the page."""

from typing import Any

from django import template

from ..models import Device
from ..views.usage import usage_panel

register = template.Library()


@register.inclusion_tag("devices/usage_panel_body.html", takes_context=True)
def device_usage_panel(context: template.Context, device: Device | None) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if device is None or user is None:
        return {"device": None}
    return {**usage_panel(user, device), "csrf_token": context.get("csrf_token")}
