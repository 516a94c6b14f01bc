"""The menu shows each role its sections; the 三员 see no business entries (rule T2)."""

import pytest

from baomi.accounts.roles import Role
from baomi.core.navigation import menu_for


def urls(user):
    return {entry["url_name"]: section["title"] for section in menu_for(user)
            for entry in section["entries"]}


@pytest.mark.rule("T2")
def test_sysadmin_sees_accounts_but_no_business_entries(sysadmin):
    shown = urls(sysadmin)
    assert "accounts:user_list" in shown
    assert not {"approvals:inbox", "personnel:person_list", "obligations:unit"} & set(shown)


def test_secrecy_office_sees_the_personnel_section(make_user):
    shown = urls(make_user("office", roles=[Role.SECRECY_OFFICE]))
    assert {"personnel:person_list", "personnel:travel_list", "approvals:inbox"} <= set(shown)
    assert shown["personnel:person_list"] == shown["personnel:filing"]
    assert "audit:event_list" not in shown


def test_empty_sections_are_left_out(make_user):
    staff = make_user("staff", roles=[Role.STAFF])
    titles = [str(section["title"]) for section in menu_for(staff)]
    assert len(titles) == len(set(titles))
    assert all(section["entries"] for section in menu_for(staff))
    assert "personnel:person_list" not in urls(staff)
