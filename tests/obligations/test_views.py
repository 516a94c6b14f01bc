from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.labels import Category
from baomi.obligations.services import run_sweep

DASHBOARD = reverse("obligations:dashboard")
UNIT = reverse("obligations:unit")
EXPORT = reverse("obligations:unit_export")


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.IMPORTANT)


@pytest.fixture
def staff(make_user):
    return make_user("staff", roles=[Role.STAFF])


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_dashboard_needs_a_login(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.STAFF,
                                  Role.SECRECY_OFFICE, Role.LEADER])
def test_dashboard_works_with_no_obligations(as_user, make_user, role):
    response = as_user(make_user("nobody", roles=[role])).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["overdue"] == [] and response.context["upcoming"] == []
    assert response.context["sweep"] is None


def test_dashboard_shows_overdue_first_then_upcoming(as_user, staff, make_obligation):
    late = make_obligation(day(-2), staff, subject_label="late-subject")
    soon = make_obligation(day(4), staff, subject_label="soon-subject", estimated=True)
    make_obligation(day(60), staff, subject_label="far-subject")
    response = as_user(staff).get(DASHBOARD)
    html = response.content.decode()
    assert [row.obligation for row in response.context["overdue"]] == [late]
    assert [row.obligation for row in response.context["upcoming"]] == [soon]
    assert html.index("late-subject") < html.index("soon-subject")
    assert "far-subject" not in html
    assert f'data-obligation="{late.pk}" class="overdue"' in html
    assert f'data-obligation="{soon.pk}" class="overdue"' not in html
    assert 'class="estimated"' in html
    assert response.context["unit_summary"] is None  # staff: no unit block


def test_nav_badge_counts_my_open_obligations(as_user, staff, make_obligation):
    make_obligation(day(-2), staff)
    make_obligation(day(2), staff)
    html = as_user(staff).get(DASHBOARD).content.decode()
    assert 'data-count="obligations:dashboard">2<' in html


def test_secrecy_office_dashboard_summarises_the_unit(as_user, office, staff, make_obligation,
                                                      rules):
    rules.add("test.rule", lambda today: [], title="Sign the responsibility letter")
    make_obligation(day(-2), staff)
    make_obligation(day(5), None)
    run_sweep()  # the test rule yields nothing: both rows are closed…
    make_obligation(day(-2), staff)
    make_obligation(day(5), None)
    response = as_user(office).get(DASHBOARD)
    summary = response.context["unit_summary"]
    assert [(s.rule_code, s.open, s.overdue) for s in summary] == [("test.rule", 2, 1)]
    html = response.content.decode()
    assert "Sign the responsibility letter" in html
    assert UNIT in html
    assert response.context["sweep"] is not None
    # the unassigned one is the 保密办's own task too
    assert len(response.context["upcoming"]) == 1


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.STAFF])
def test_unit_view_and_export_are_refused_to_others(as_user, make_user, role):
    client = as_user(make_user("other", roles=[role], category=Category.CORE))
    assert client.get(UNIT).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_unit_view_lists_filters_and_pages(as_user, office, staff, make_obligation,
                                          monkeypatch):
    monkeypatch.setattr("baomi.obligations.views.PAGE_SIZE", 2)
    made = [make_obligation(day(offset), staff, rule_code="test.a") for offset in (-3, -1, 2)]
    unassigned = make_obligation(day(9), None, rule_code="test.b")
    client = as_user(office)
    first = client.get(UNIT)
    assert first.status_code == 200
    assert [r.obligation for r in first.context["rows"]] == made[:2]
    second = client.get(UNIT + first.context["page"].next_url)
    assert [r.obligation for r in second.context["rows"]] == [made[2], unassigned]
    assert second.context["page"].next_url is None
    overdue = client.get(UNIT, {"overdue": "on"})
    assert [r.obligation for r in overdue.context["rows"]] == made[:2]
    by_rule = client.get(UNIT, {"rule": "", "unassigned": "on"})
    assert [r.obligation for r in by_rule.context["rows"]] == [unassigned]


@pytest.mark.parametrize("query", [
    {"state": "bogus"}, {"unit": "abc"}, {"after": "zzz"}, {"after": "9" * 30},
    {"after": "5"}, {"rule": "no.such.rule"}, {"responsible": "a\x00b"},
])
def test_unit_view_survives_bad_parameters(as_user, office, make_obligation, query):
    make_obligation(day(1), None)
    response = as_user(office).get(UNIT, query)
    assert response.status_code == 200


def test_export_streams_the_filtered_list_and_is_audited(as_user, office, staff,
                                                        make_obligation):
    make_obligation(day(-1), staff, subject_label="=HYPERLINK(\"x\")", rule_code="test.a")
    make_obligation(day(3), None, rule_code="test.b")
    response = as_user(office).get(EXPORT, {"rule": "", "overdue": "on"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert len(values) == 2  # header + the overdue one
    assert values[1][3] == '=HYPERLINK("x")'
    assert sheet.cell(row=2, column=4).data_type == "s"  # text, never a formula
    event = AuditEvent.objects.filter(action="OBLIGATIONS_EXPORTED").get()
    assert event.actor_id == office.pk and '"rows":1' in event.after
