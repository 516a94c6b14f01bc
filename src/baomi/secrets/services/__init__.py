"""Writes of the 定密 app (rules S1–S10, L4, L5): `from baomi.secrets import services`.

- items.py: the 定密权限, proposing, the decision of the 定密责任人 or the competent
  authority, the knowledge record and the annual review;
- changes.py: change requests (rule S10) and additions to the 知悉范围 (rule S7);
- expiry.py: the end of the period (rule S6), the daily job `secrets.expire`;
- common.py: the checks they share, and `today()`, the services' clock (tests patch
  `baomi.secrets.services.common.today`).
"""

from .changes import (
    apply_change,
    apply_scope_addition,
    checked_change,
    checked_scope_addition,
    request_change,
    request_scope_addition,
)
from .common import checked_period, period_end
from .expiry import expire_items
from .items import (
    authority_covers,
    conclude_determination,
    may_propose,
    propose_item,
    record_knowledge,
    record_superior_decision,
    review_item,
    set_authority,
    withdraw_determination,
)

__all__ = [
    "apply_change",
    "apply_scope_addition",
    "authority_covers",
    "checked_change",
    "checked_period",
    "checked_scope_addition",
    "conclude_determination",
    "expire_items",
    "may_propose",
    "period_end",
    "propose_item",
    "record_knowledge",
    "record_superior_decision",
    "request_change",
    "request_scope_addition",
    "review_item",
    "set_authority",
    "withdraw_determination",
]
