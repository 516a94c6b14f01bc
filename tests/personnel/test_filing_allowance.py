"""保密津贴 (rule P15): amounts by category, pro-rating at the month's boundary, who is listed,
the page, the export and the API."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.labels import Category
from baomi.personnel import filing
from baomi.personnel.choices import ExitKind, FileState

from . import test_filing_support as support
from .test_filing_support import day

# The shared fixtures of test_filing_support.
exited, in_post, office, paying = (support.exited, support.in_post, support.office,
                                   support.paying)

JUNE = date(2025, 6, 1)  # 30 days


def amounts_by_name(sheet):
    return {row.name: row.amount for row in sheet.rows}


@pytest.mark.rule("P15")
def test_amounts_by_category(office, paying, in_post):
    in_post("甲", Category.CORE, day("2020-01-01"))
    in_post("乙", Category.IMPORTANT, day("2020-01-01"))
    in_post("丙", Category.GENERAL, day("2020-01-01"))
    sheet = filing.allowance(office, JUNE)
    assert amounts_by_name(sheet) == {"甲": Decimal("1000.00"), "乙": Decimal("600.00"),
                                      "丙": Decimal("300.00")}
    assert sheet.total == Decimal("1900.00") and sheet.amounts_set


@pytest.mark.rule("P15")
def test_prorated_on_the_boundary(office, paying, in_post):
    in_post("首日", Category.CORE, day("2025-06-01"))
    in_post("月中", Category.CORE, day("2025-06-16"))
    in_post("末日", Category.GENERAL, day("2025-06-30"))
    in_post("下月", Category.CORE, day("2025-07-01"))  # after the month's end: excluded
    sheet = filing.allowance(office, JUNE)
    amounts = amounts_by_name(sheet)
    assert amounts == {"首日": Decimal("1000.00"), "月中": Decimal("500.00"),  # 15/30
                       "末日": Decimal("10.00")}  # 300 × 1/30
    days = {row.name: row.days_in_post for row in sheet.rows}
    assert days == {"首日": 30, "月中": 15, "末日": 1}


@pytest.mark.rule("P15")
def test_rounding_half_up_to_the_fen(office, unit, in_post):
    unit.policy_overrides = {"personnel.allowance.general": 1}
    unit.save(update_fields=["policy_overrides"])
    in_post("零头", Category.GENERAL, day("2025-06-24"))  # 1 × 7/30 = 0.2333…
    in_post("进位", Category.GENERAL, day("2025-02-15"))
    assert amounts_by_name(filing.allowance(office, JUNE))["零头"] == Decimal("0.23")
    unit.policy_overrides = {"personnel.allowance.general": 3}
    unit.save(update_fields=["policy_overrides"])
    feb = filing.allowance(office, date(2025, 2, 1))  # 3 × 14/28 (from the 15th)
    assert amounts_by_name(feb)["进位"] == Decimal("1.50")
    assert filing.prorated(Decimal(3), 1, 8) == Decimal("0.38")  # 0.375 rounds half up


@pytest.mark.rule("P15")
def test_not_in_post_is_not_listed(office, paying, in_post):
    in_post("在岗", Category.GENERAL, day("2020-01-01"))
    in_post("待培训", Category.GENERAL, None, state=FileState.TRAINING)
    in_post("拟定", Category.CORE, None, state=FileState.PROPOSED)
    in_post("无岗位", Category.NONE, day("2020-01-01"))  # in post, no classified post held
    assert [row.name for row in filing.allowance(office, JUNE).rows] == ["在岗"]


@pytest.mark.rule("P15")
def test_stops_on_exit_at_the_month_boundaries(office, paying, exited):
    exited("首日离岗", Category.CORE, day("2020-01-01"), day("2025-06-01"))
    exited("末日离岗", Category.IMPORTANT, day("2020-01-01"), day("2025-06-30"),
           kind=ExitKind.LEAVE_POST)
    exited("上月离岗", Category.CORE, day("2020-01-01"), day("2025-05-31"))
    exited("下月离岗", Category.GENERAL, day("2020-01-01"), day("2025-07-01"))
    sheet = filing.allowance(office, JUNE)
    days = {row.name: row.days_in_post for row in sheet.rows}
    # Left on the 1st: that day is paid; on the last day or later (June's sheet made in July):
    # the whole month; before the month: not listed.
    assert days == {"首日离岗": 1, "末日离岗": 30, "下月离岗": 30}
    assert amounts_by_name(sheet) == {"首日离岗": Decimal("33.33"),  # 1000 × 1/30
                                      "末日离岗": Decimal("600.00"), "下月离岗": Decimal("300.00")}
    assert {row.name: row.left_on for row in sheet.rows} == {
        "首日离岗": day("2025-06-01"), "末日离岗": day("2025-06-30"), "下月离岗": None}
    may = filing.allowance(office, date(2025, 5, 1))
    assert amounts_by_name(may)["上月离岗"] == Decimal("1000.00")  # May paid in full


@pytest.mark.rule("P15")
def test_started_and_left_within_the_month_and_exit_being_decided(office, paying, exited,
                                                                   in_post):
    exited("半月", Category.CORE, day("2025-06-10"), day("2025-06-19"),
           state=FileState.RELEASED)  # released later: still paid its days in June
    in_post("审批中", Category.GENERAL, day("2020-01-01"), state=FileState.LEAVING)
    sheet = filing.allowance(office, JUNE)
    assert {row.name: row.days_in_post for row in sheet.rows} == {"半月": 10, "审批中": 30}
    assert amounts_by_name(sheet) == {"半月": Decimal("333.33"), "审批中": Decimal("300.00")}
    assert next(row for row in sheet.rows if row.name == "审批中").left_on is None


@pytest.mark.rule("P15")
def test_unset_amounts_are_flagged(office, in_post):
    in_post("甲", Category.CORE, day("2020-01-01"))
    sheet = filing.allowance(office, JUNE)
    assert not sheet.amounts_set and sheet.rows[0].amount == Decimal("0.00")


@pytest.mark.rule("P15")
def test_only_the_secrecy_office(make_user, unit, in_post):
    leader = make_user("leader", roles=[Role.LEADER], category=Category.CORE)
    with pytest.raises(AccessDenied):
        filing.allowance(leader, JUNE)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "1900-01", "25-06", "", "abcd-ef"])
def test_bad_months_are_refused(text):
    with pytest.raises(InvalidInput) as caught:
        filing.parse_month(text)
    assert caught.value.code == "invalid_month"


@pytest.mark.rule("P15")
def test_page_and_export(client, office, paying, in_post):
    in_post("何振宇", Category.IMPORTANT, day("2025-06-16"))
    client.force_login(office)
    page = client.get("/personnel/allowance/?month=2025-06")
    assert page.status_code == 200
    assert page.context["sheet"].total == Decimal("300.00")
    assert b'id="amounts-not-set"' not in page.content
    response = client.get("/personnel/allowance/export.xlsx?month=2025-06")
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].values)
    assert rows[1][0] == "何振宇" and Decimal(str(rows[1][-1])) == Decimal("300.00")
    assert rows[-1][-1] == 300
    assert rows[1][5] is None  # the exit date: still in post
    event = AuditEvent.objects.get(action="PERSONNEL_ALLOWANCE_EXPORTED")
    assert '"2025-06"' in event.after and event.unit_id == office.person.unit_id


@pytest.mark.rule("P15")
def test_exit_date_on_the_page_in_the_export_and_the_api(client, office, paying, exited):
    exited("梁晨", Category.IMPORTANT, day("2020-01-01"), day("2025-06-15"))
    client.force_login(office)
    page = client.get("/personnel/allowance/?month=2025-06")
    assert b'<td data-field="left_on">2025-06-15</td>' in page.content
    assert page.context["sheet"].total == Decimal("300.00")  # 600 × 15/30
    response = client.get("/personnel/allowance/export.xlsx?month=2025-06")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    assert len(rows[0]) == 10 and rows[1][5].date() == day("2025-06-15")
    assert rows[1][7] == 15 and rows[-1][-1] == 300
    body = client.get("/api/v1/personnel/allowance?month=2025-06").json()
    assert body["items"][0]["left_on"] == "2025-06-15" and body["items"][0]["days_in_post"] == 15
    assert client.get("/api/v1/personnel/allowance?month=2025-07").json()["items"] == []


@pytest.mark.rule("P15")
def test_page_says_when_amounts_are_not_set(client, office):
    client.force_login(office)
    page = client.get("/personnel/allowance/")
    assert page.status_code == 200
    assert b'id="amounts-not-set"' in page.content and b"/accounts/policy/" in page.content


def test_page_refuses_others_and_bad_input(client, office, make_user):
    client.force_login(make_user("staff", roles=[Role.STAFF]))
    assert client.get("/personnel/allowance/").status_code == 403
    assert client.get("/personnel/allowance/export.xlsx").status_code == 403
    client.force_login(office)
    response = client.get("/personnel/allowance/?month=2025-13")
    assert response.status_code == 400 and response.context["form"].errors["month"]


@pytest.mark.rule("P15")
def test_api(client, office, paying, in_post, make_user):
    in_post("甲", Category.CORE, day("2025-06-16"))
    client.force_login(office)
    body = client.get("/api/v1/personnel/allowance?month=2025-06").json()
    assert body["month"] == "2025-06" and Decimal(body["total"]) == Decimal("500.00")
    assert body["items"][0]["days_in_post"] == 15
    assert client.get("/api/v1/personnel/allowance?month=2025-13").json()["code"] == (
        "invalid_month")
    client.force_login(make_user("staff", roles=[Role.STAFF]))
    response = client.get("/api/v1/personnel/allowance?month=2025-06")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
