"""我的待办 and the unit view in a real browser: a 保密办 user with an overdue task."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.core.labels import Category
from baomi.obligations import registry
from baomi.obligations.registry import ObligationRule
from baomi.obligations.services import run_sweep


@pytest.fixture
def letter_rule(unit):
    """A temporary rule: one overdue task for the 保密办, one upcoming for a staff member."""
    rows = []
    with registry.emptied():
        registry.register(ObligationRule("test.letter", "P5", "Sign the responsibility letter",
                                         lambda today: rows))
        yield rows


def test_secrecy_office_sees_overdue_task_and_filters_unit_view(page, login, make_user, unit,
                                                                 letter_rule):
    office = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)
    staff = make_user("zhang", roles=[Role.STAFF])
    today = timezone.localdate()
    letter_rule += [
        {"subject_type": "test.person", "subject_id": 1, "subject_label": "王五",
         "unit_id": unit.pk, "responsible_id": None, "due_date": today - timedelta(days=3)},
        {"subject_type": "test.person", "subject_id": 2, "subject_label": "张三",
         "unit_id": unit.pk, "responsible_id": staff.pk, "due_date": today + timedelta(days=5),
         "estimated": True},
    ]
    run_sweep()

    login(office)
    expect(page).to_have_url(re.compile(r"/tasks/$"))
    overdue = page.locator("table[data-list=overdue] tbody tr")
    expect(overdue).to_have_count(1)
    expect(overdue.first).to_contain_text("王五")
    expect(overdue.first).to_contain_text("P5")
    expect(overdue.first).to_have_class(re.compile(r"\boverdue\b"))
    # the staff member's task is theirs, not the 保密办's
    expect(page.locator("table[data-list=upcoming]")).to_have_count(0)
    expect(page.locator("[data-count='obligations:dashboard']")).to_have_text("1")

    page.locator("section.card a[href='/tasks/unit/']").click()  # the unit summary block
    expect(page).to_have_url(re.compile(r"/tasks/unit/$"))
    rows = page.locator("table[data-list=unit] tbody tr")
    expect(rows).to_have_count(2)

    page.check("input[name=overdue]")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"overdue=on"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("王五")

    page.uncheck("input[name=overdue]")
    page.fill("input[name=responsible]", "zhang")
    page.locator("form.filters button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张三")
    expect(rows.first.locator(".estimated")).to_have_count(1)
