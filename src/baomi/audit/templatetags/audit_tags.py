from django import template

from baomi.audit.actions import action_label as label_of_action
from baomi.audit.actions import known_actions

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return label_of_action(code)


@register.inclusion_tag("audit/_action_datalist.html")
def action_datalist() -> dict[str, object]:
    """A <datalist id="audit-actions"> of the known actions for the action filter."""
    return {"actions": sorted((code, label_of_action(code)) for code in known_actions())}
