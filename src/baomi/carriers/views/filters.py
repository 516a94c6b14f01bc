"""The filters of the carrier ledger, shared by the page, the export, the printed ledger and
the API.

Always one scheme (rule L4: 国家秘密, 工作秘密 and 商业秘密 carriers are never mixed in one
list or file); 国家秘密 when none or an unknown one is asked for. Anything invalid is dropped.
"""

from typing import Any

from django.db.models import Q, QuerySet

from baomi.core.labels import Level, Scheme
from baomi.core.paging import parse_key

from ..choices import CarrierKind, CarrierState
from ..models import Carrier
from ..selectors import carriers_visible_to
from .display import LEDGER_RELATED

SEARCH_MAX = 100


def ledger_filters(params: Any) -> dict[str, Any]:
    """The valid filters in `params` (a QueryDict, a dict or an API query)."""
    scheme = str(params.get("scheme") or "")
    state = str(params.get("state") or "")
    kind = str(params.get("kind") or "")
    level = parse_key(params.get("level"))
    return {
        "scheme": scheme if scheme in Scheme.values else Scheme.STATE,
        "level": level if level is not None and level in Level.values else None,
        "state": state if state in CarrierState.values else "",
        "kind": kind if kind in CarrierKind.values else "",
        "department": parse_key(params.get("department")),
        "custodian": parse_key(params.get("custodian")),
        "q": _search_text(params.get("q")),
    }


def _search_text(raw: Any) -> str:
    """The search text without control characters (PostgreSQL refuses a NUL in a literal)."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable())
    return text.strip()[:SEARCH_MAX]


def ledger_carriers(user: Any, filters: dict[str, Any]) -> QuerySet[Carrier]:
    """The carriers visible to `user` (rule L5) matching the filters, in one scheme (L4)."""
    carriers = carriers_visible_to(user).filter(scheme=filters["scheme"])
    for name, lookup in (("level", "level"), ("state", "state"), ("kind", "kind"),
                         ("department", "department_id"), ("custodian", "custodian_id")):
        if filters.get(name) not in (None, ""):
            carriers = carriers.filter(**{lookup: filters[name]})
    text = filters.get("q") or ""
    if text:
        # the custodian's name or employee number, or the carrier's own number
        carriers = carriers.filter(Q(number__icontains=text) | Q(custodian__name__icontains=text)
                                   | Q(custodian__employee_no__iexact=text))
    return carriers.select_related(*LEDGER_RELATED)


def query_of(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters worth repeating in a link (export, printed ledger)."""
    return {name: value for name, value in filters.items() if value not in ("", None)}
