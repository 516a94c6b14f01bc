"""`{% device_lifecycle_panel device %}` and `{% medium_lifecycle_panel medium %}`: the
maintenance (rule D7) and retirement (rule D8) part of a device's and a medium's page — what
was repaired or retired and the links to ask. Loaded for the user viewing the page."""

from typing import Any

from django import template

from ..models import Device, Medium
from ..views.lifecycle import lifecycle_panel

register = template.Library()


def _panel(context: template.Context, obj: Device | Medium | None) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if obj is None or user is None:
        return {"obj": None}
    return lifecycle_panel(user, obj)


@register.inclusion_tag("devices/maintenance_panel_body.html", takes_context=True)
def device_lifecycle_panel(context: template.Context, device: Device | None) -> dict[str, Any]:
    return _panel(context, device)


@register.inclusion_tag("devices/maintenance_panel_body.html", takes_context=True)
def medium_lifecycle_panel(context: template.Context, medium: Medium | None) -> dict[str, Any]:
    return _panel(context, medium)
