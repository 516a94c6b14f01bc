"""Reads that leave a trace: opening a 机密 or 绝密 item (DESIGN.md 'Access model')."""

from typing import Any

from django.db import transaction

from baomi.audit.services import record_event
from baomi.core.labels import Level, Scheme

from .models import SecretItem

SECRET_ITEM_READ = "SECRET_ITEM_READ"
READ_AUDITED_FROM = Level.CONFIDENTIAL


def read_is_audited(item: SecretItem) -> bool:
    """State secrets of 机密 and above; 工作秘密 and 商业秘密 carry no state level (rule L4)."""
    return item.scheme == Scheme.STATE and item.level >= READ_AUDITED_FROM


def record_item_read(actor: Any, item: SecretItem, *, via: str) -> None:
    """Audit the opening of the item's detail (`via`: page, api, form) when its level asks."""
    if read_is_audited(item):
        with transaction.atomic():
            record_event(actor, SECRET_ITEM_READ, item, after={"via": via})
