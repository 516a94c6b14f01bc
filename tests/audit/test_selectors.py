"""events_visible_to: the auditor only (rule T2); filters by local date (Asia/Shanghai)."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.audit.selectors import EventFilters, event_visible_to, events_visible_to
from baomi.audit.services import record_event
from baomi.audit.verify import verify_chain
from baomi.core.errors import AccessDenied, InvalidInput, NotFound


@pytest.mark.rule("T2")
@pytest.mark.parametrize("roles", [[Role.SYSADMIN], [Role.SECADMIN], [Role.STAFF], [],
                                   [Role.LEADER, Role.SECRECY_OFFICE]])
def test_everyone_but_the_auditor_is_refused(make_user, roles):
    user = make_user(roles=roles)
    with pytest.raises(AccessDenied) as refused:
        events_visible_to(user)
    assert refused.value.rule == "T2"


@pytest.mark.rule("T2")
def test_anonymous_is_refused(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(AccessDenied):
        events_visible_to(AnonymousUser())


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_dates_are_local_dates(auditor, monkeypatch):
    # 16:30 UTC on 1 January is 00:30 on 2 January in Shanghai.
    at(monkeypatch, datetime(2026, 1, 1, 16, 30, tzinfo=UTC))
    late = record_event(None, "TEST_DONE", object_type="x", object_id=1)
    at(monkeypatch, datetime(2026, 1, 1, 15, 59, 59, tzinfo=UTC))  # 23:59:59 local
    # (The chain only requires seq order, not time order.)
    early = record_event(None, "TEST_DONE", object_type="x", object_id=2)

    def seqs(**kwargs):
        return list(events_visible_to(auditor, EventFilters(**kwargs))
                    .values_list("seq", flat=True))

    assert seqs(date_to=date(2026, 1, 1)) == [early.seq]
    assert seqs(date_from=date(2026, 1, 2)) == [late.seq]
    newest_first = [early.seq, late.seq]
    assert seqs(date_from=date(2026, 1, 1), date_to=date(2026, 1, 2)) == newest_first
    assert seqs(date_from=date(2026, 1, 1), date_to=date(9998, 12, 31)) == newest_first
    # Whole seconds are stored without a fraction; the chain still verifies.
    assert verify_chain().ok


@pytest.mark.parametrize("kwargs", [
    {"date_from": date(2026, 2, 2), "date_to": date(2026, 2, 1)},
    {"date_from": date(1, 1, 1)}, {"date_to": date(9999, 12, 31)},
    {"action": "A" * 61}, {"actor": "\x00"},
])
def test_invalid_filters(kwargs):
    with pytest.raises(InvalidInput):
        EventFilters(**kwargs)


def test_as_dict_keeps_what_is_set():
    assert EventFilters(action="X", date_from=date(2026, 1, 2)).as_dict() == {
        "action": "X", "date_from": "2026-01-02"}


def test_event_visible_to(auditor, make_chain):
    event = make_chain(1)[0]
    assert event_visible_to(auditor, event.seq).hash == event.hash
    for seq in (0, 999, 2**63):
        with pytest.raises(NotFound):
            event_visible_to(auditor, seq)
