"""Helpers of the accounts tests: a controllable clock and an audit-event finder."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from baomi.accounts import services
from baomi.audit.models import AuditEvent


class Clock:
    """`timezone.now()` frozen at `now`; `advance(minutes=…)` moves it."""

    def __init__(self) -> None:
        self.now = timezone.now().replace(microsecond=0)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    current = Clock()
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def events(db):
    """events("ROLE_ASSIGNED") → the audit events with that action, oldest first."""

    def find(action):
        return list(AuditEvent.objects.filter(action=action).order_by("seq"))

    return find


def approved_grant(user, role, state="approved", request_type="role_grant"):
    """A stand-in for an approvals Request (services duck-type it)."""
    return SimpleNamespace(pk=99, request_type=request_type, state=state,
                           payload={"user_id": user.pk, "role": str(role), "reason": "test"})


def token_for(user, name="test"):
    return services.create_api_token(user, name)[1]


def bearer(plaintext):
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
