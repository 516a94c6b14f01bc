"""`{% device_media_panel device %}` and `{% medium_media_panel medium %}`: the removable-media
part of a computer's and a medium's page (rule D4).

The panels are included by the detail pages with only the device or medium in their context;
these tags load what they show through the selectors, for the user viewing the page.
"""

from typing import Any

from django import template

from ..models import Device, Medium
from ..views_media import device_panel, medium_panel

register = template.Library()


def _user(context: template.Context) -> Any:
    return getattr(context.get("request"), "user", None)


@register.inclusion_tag("devices/media_device_panel_body.html", takes_context=True)
def device_media_panel(context: template.Context, device: Device | None) -> dict[str, Any]:
    user = _user(context)
    if device is None or user is None:
        return {"device": None}
    return {**device_panel(user, device), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("devices/media_medium_panel_body.html", takes_context=True)
def medium_media_panel(context: template.Context, medium: Medium | None) -> dict[str, Any]:
    user = _user(context)
    if medium is None or user is None:
        return {"medium": None}
    return {**medium_panel(user, medium), "csrf_token": context.get("csrf_token")}
