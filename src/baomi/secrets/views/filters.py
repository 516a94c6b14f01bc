"""The filters of the register, shared by the page, the export and the API.

Always one scheme (rule L4: 国家秘密, 工作秘密 and 商业秘密 are never mixed in one list or
export); 国家秘密 when none or an unknown one is asked for.
"""

from typing import Any

from django.db.models import QuerySet

from baomi.core.labels import Level, Scheme
from baomi.core.paging import parse_key

from ..choices import ItemState
from ..models import SecretItem
from ..selectors import items_visible_to


def register_filters(params: Any) -> dict[str, Any]:
    """The valid filters in `params` (a QueryDict or dict); anything invalid is dropped."""
    scheme = str(params.get("scheme") or "")
    state = str(params.get("state") or "")
    level = parse_key(params.get("level"))
    department = parse_key(params.get("department"))
    return {
        "scheme": scheme if scheme in Scheme.values else Scheme.STATE,
        "state": state if state in ItemState.values else "",
        "level": level if level is not None and level in Level.values else None,
        "department": department,
    }


def register_items(user: Any, filters: dict[str, Any]) -> QuerySet[SecretItem]:
    """The items visible to `user` (rule L5) that match the filters, in one scheme."""
    items = items_visible_to(user).filter(scheme=filters["scheme"])
    if filters.get("state"):
        items = items.filter(state=filters["state"])
    if filters.get("level") is not None:
        items = items.filter(level=filters["level"])
    if filters.get("department") is not None:
        items = items.filter(department_id=filters["department"])
    return items
