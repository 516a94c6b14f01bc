"""`{% device_check_panel device %}`: the check part of a classified device's page (rules D3,
D11) — the last check with its network attestation, the next check due, links to the checks
and, for the 保密办, to record one. Loaded for the user viewing the page."""

from typing import Any

from django import template

from ..models import Device
from ..views.checks import check_panel

register = template.Library()


@register.inclusion_tag("devices/check_panel_body.html", takes_context=True)
def device_check_panel(context: template.Context, device: Device | None) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if device is None or user is None:
        return {"device": None}
    return check_panel(user, device)
