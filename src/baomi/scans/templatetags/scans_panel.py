"""`{% scan_reports_panel device %}`: the check tool reports of a device on its page (rule
D11), the latest first, as the viewing user sees them (`reports_visible_to`)."""

from typing import Any

from django import template

from ..selectors import reports_visible_to

register = template.Library()
SHOWN = 10


@register.inclusion_tag("scans/device_panel.html", takes_context=True)
def scan_reports_panel(context: template.Context, device: Any) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    if device is None or user is None:
        return {"reports": []}
    reports = reports_visible_to(user).filter(device=device).order_by("-started_at", "-id")
    return {"reports": list(reports[:SHOWN]), "device": device}
