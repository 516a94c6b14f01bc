"""`{% device_password_panel device %}`: the password part of a device page (rule D6) — the
last recorded change, the next due day and, for the 保密办 or the responsible person, the
form recording a change. Loaded for the user viewing the page."""

from typing import Any

from django import template

from ..models import Device
from ..views.passwords import password_panel

register = template.Library()


@register.inclusion_tag("devices/device_password_panel.html", takes_context=True)
def device_password_panel(context: template.Context, device: Device | None) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if device is None or user is None:
        return {"device": None}
    return {**password_panel(user, device), "csrf_token": context.get("csrf_token")}
