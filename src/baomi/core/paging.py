"""Keyset pagination: no OFFSET scans over millions of rows (DESIGN.md 'Scale').

Lists are ordered by one unique integer key, descending (newest first); the next page starts
after the last key shown.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
MAX_KEY = 2**63 - 1  # the largest BIGINT both databases accept


def parse_key(raw: object) -> int | None:
    """A positive integer key from user input ("12"), or None for anything else ("²", "-1",
    "1e3", a number past BIGINT)."""
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_KEY else None


@dataclass
class KeysetPage:
    items: list[Any]
    next_after: int | None
    first_url: str | None
    next_url: str | None


def keyset_page(queryset: QuerySet[Any], request: HttpRequest | None, key: str = "id",
                size: int = PAGE_SIZE, after: int | None = None) -> KeysetPage:
    """One page of `queryset`, ordered by `key` descending, starting after `?after=`."""
    if after is None and request is not None:
        after = parse_key(request.GET.get("after"))
    if after is not None:
        queryset = queryset.filter(**{f"{key}__lt": after})
    items = list(queryset.order_by(f"-{key}")[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    next_after = getattr(items[-1], key) if has_more and items else None
    first_url = next_url = None
    if request is not None:
        params = request.GET.copy()
        params.pop("after", None)
        if after is not None:
            first_url = f"?{params.urlencode()}"
        if next_after is not None:
            params["after"] = str(next_after)
            next_url = f"?{params.urlencode()}"
    return KeysetPage(items, next_after, first_url, next_url)
