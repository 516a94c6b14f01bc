"""The 保密办's stocktake and missing-carrier pages (rules C1, C8): starting, the scan box,
results by hand, closing and the differences; the missing carriers with their deadlines, found
again and reported. A refusal is shown on its form with its status, never a 500."""

import pytest

from baomi.accounts.roles import Role
from baomi.carriers import services
from baomi.carriers.choices import CarrierState
from baomi.carriers.labels import label_payload
from baomi.carriers.models import Carrier, MissingCase, Stocktake
from baomi.core.labels import Category, Level
from baomi.secrets.choices import PeriodKind

from . import page_support as support
from .page_support import today

cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.cabinet, support.clerk, support.head, support.item, support.keeper,
    support.office, support.reader, support.register, support.safe, support.yf1)

PAGES = ("/carriers/stocktakes/", "/carriers/missing/")


def test_the_pages_are_the_offices(client, make_user, office):
    for role in (Role.LEADER, Role.DEPARTMENT_HEAD, Role.STAFF, Role.CLASSIFICATION_OFFICER):
        client.force_login(make_user(f"u-{role}", roles=[role], category=Category.CORE))
        for url in PAGES:
            assert client.get(url).status_code == 404, (role, url)
    client.force_login(office)
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.rule("T2")
def test_admins_open_no_stocktake_page(client, sysadmin, auditor, secadmin):
    for admin in (sysadmin, auditor, secadmin):
        client.force_login(admin)
        for url in (*PAGES, "/carriers/stocktakes/1/"):
            assert client.get(url).status_code == 404, (admin.username, url)


@pytest.mark.rule("C1")
def test_the_office_starts_scans_marks_and_closes_a_stocktake(client, office, register, safe):
    first, second, third = (register() for _ in range(3))
    client.force_login(office)
    response = client.post("/carriers/stocktakes/", {"container": safe.pk, "note": "月度清查"})
    stocktake = Stocktake.objects.get()
    assert response.status_code == 302
    assert response.url == f"/carriers/stocktakes/{stocktake.pk}/"
    page = client.get(response.url).content.decode()
    assert 'name="code"' in page and "autofocus" in page
    assert page.count('data-result="unchecked"') == 3

    url = response.url
    assert client.post(url, {"action": "scan", "code": label_payload(first)}).status_code == 302
    refused = client.post(url, {"action": "scan", "code": "ZT-NOT-HERE"})
    assert refused.status_code == 422
    assert "ZT-NOT-HERE" in refused.content.decode()  # the difference, on the scan box
    line = stocktake.lines.get(carrier=second)
    assert client.post(url, {"action": "mark", "line": line.pk, "result": "found",
                             "note": "借阅人处"}).status_code == 302
    assert client.post(url, {"action": "mark", "line": 999999, "result": "found"}
                       ).status_code == 404
    assert client.post(url, {"action": "dance"}).status_code == 404

    closed = client.post(url, {"action": "close"})
    assert closed.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="differences"' in page and f'data-number="{third.number}"' in page
    case = MissingCase.objects.get()
    assert case.deadline.strftime("%Y-%m-%d") in page
    assert Carrier.objects.get(pk=third.pk).state == CarrierState.MISSING
    again = client.post(url, {"action": "close"})
    assert again.status_code == 409  # shown as a message, not a 500
    late = client.post(url, {"action": "scan", "code": third.number})
    assert late.status_code == 409


@pytest.mark.rule("C1")
def test_start_refusals_are_shown_on_the_form(client, office, register, safe, cabinet):
    register()
    client.force_login(office)
    empty = client.post("/carriers/stocktakes/", {"container": cabinet.pk})
    assert empty.status_code == 400 and not Stocktake.objects.exists()
    junk = client.post("/carriers/stocktakes/", {"container": "abc", "department": 99999})
    assert junk.status_code == 400
    client.post("/carriers/stocktakes/", {"container": safe.pk})
    twice = client.post("/carriers/stocktakes/", {"container": safe.pk})
    assert twice.status_code == 409 and Stocktake.objects.count() == 1
    listing = client.get("/carriers/stocktakes/").content.decode()
    assert f'data-id="{Stocktake.objects.get().pk}"' in listing


@pytest.mark.rule("L5")
def test_a_stocktake_above_clearance_is_a_404(client, make_user, office, unit, register):
    register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    stocktake = services.start_stocktake(office, unit=unit)
    client.force_login(make_user("office_m", roles=[Role.SECRECY_OFFICE],
                                 category=Category.IMPORTANT))
    assert client.get(f"/carriers/stocktakes/{stocktake.pk}/").status_code == 404
    assert client.post(f"/carriers/stocktakes/{stocktake.pk}/",
                       {"action": "close"}).status_code == 404
    assert f'data-id="{stocktake.pk}"' not in client.get("/carriers/stocktakes/").content.decode()


@pytest.mark.rule("C8")
def test_the_missing_list_reports_shows_deadlines_and_records_found(client, office, register):
    near = register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    far = register()
    client.force_login(office)
    reported = client.post("/carriers/missing/", {
        "action": "report", "number": near.number, "discovered_on": today().isoformat(),
        "note": "会后清点发现缺失"})
    assert reported.status_code == 302
    services.report_missing(office, far, discovered_on=today(), note="未找到")
    page = client.get("/carriers/missing/").content.decode()
    near_case, far_case = (MissingCase.objects.get(carrier=c) for c in (near, far))
    assert f'data-number="{near.number}"' in page and f'data-number="{far.number}"' in page
    # 绝密: ten days to go is not yet near; 机密: sixty days
    assert 'data-days-left="10"' in page and 'data-days-left="60"' in page
    assert 'class="deadline" data-days-left="10"' in page  # not red yet
    MissingCase.objects.filter(pk=near_case.pk).update(deadline=today())  # its last day
    page = client.get("/carriers/missing/").content.decode()
    assert 'class="deadline overdue" data-days-left="0"' in page

    bad = client.post("/carriers/missing/", {"action": "found", "case": far_case.pk,
                                             "found_on": "2000-01-01", "note": "x"})
    assert bad.status_code == 400 and f'id="id_case{far_case.pk}_found_on"' in bad.content.decode()
    found = client.post("/carriers/missing/", {"action": "found", "case": far_case.pk,
                                               "found_on": today().isoformat(),
                                               "note": "夹在其他文件中"})
    assert found.status_code == 302
    assert Carrier.objects.get(pk=far.pk).state == CarrierState.IN_STORE
    assert f'data-number="{far.number}"' in client.get(
        "/carriers/missing/?state=found").content.decode()
    assert client.post("/carriers/missing/", {"action": "found", "case": 999999,
                                              "found_on": today().isoformat(),
                                              "note": "x"}).status_code == 404


@pytest.mark.rule("C8")
def test_report_refusals_are_shown_on_the_form(client, office, register):
    carrier = register()
    client.force_login(office)
    unknown = client.post("/carriers/missing/", {
        "action": "report", "number": "NOPE", "discovered_on": today().isoformat(),
        "note": "x"})
    assert unknown.status_code == 400
    future = client.post("/carriers/missing/", {
        "action": "report", "number": carrier.number, "discovered_on": "2999-01-01",
        "note": "x"})
    assert future.status_code in (400, 422) and not MissingCase.objects.exists()
    client.post("/carriers/missing/", {"action": "report", "number": carrier.number,
                                       "discovered_on": today().isoformat(), "note": "x"})
    twice = client.post("/carriers/missing/", {
        "action": "report", "number": carrier.number, "discovered_on": today().isoformat(),
        "note": "x"})
    assert twice.status_code == 409 and MissingCase.objects.count() == 1
    assert client.get("/carriers/missing/?state=<script>").status_code == 200


def test_the_carrier_page_links_its_label(client, office, register):
    carrier = register()
    client.force_login(office)
    page = client.get(f"/carriers/{carrier.pk}/").content.decode()
    assert f'href="/carriers/{carrier.pk}/label.docx"' in page



@pytest.mark.rule("C1")
def test_the_stocktake_record_prints_lines_results_and_differences(client, office, unit,
                                                                   register, safe):
    found, lost = register(), register()
    stocktake = services.start_stocktake(office, unit=unit, container=safe)
    services.check_carrier(office, stocktake, code=label_payload(found))
    client.force_login(office)
    url = f"/carriers/stocktakes/{stocktake.pk}/record.docx"
    assert url in client.get(f"/carriers/stocktakes/{stocktake.pk}/").content.decode()
    running = support.docx_text(client.get(url).content)
    assert "进行中" in running and "应清点2件，在位1件，未找到0件，未清点1件。" in running
    assert found.number in running and lost.number in running
    assert "差异情况" not in running  # differences only once closed
    services.close_stocktake(office, stocktake)
    closed = support.docx_text(client.get(url).content)
    case = MissingCase.objects.get(carrier=lost)
    assert "已结束" in closed and "未找到1件" in closed and "差异情况" in closed
    assert f"{case.deadline.year}年{case.deadline.month}月{case.deadline.day}日" in closed


@pytest.mark.rule("L5")
def test_the_stocktake_record_above_clearance_is_a_404(client, make_user, office, unit,
                                                        register):
    register(level=Level.TOP_SECRET, period_kind=PeriodKind.YEARS, period_value=30)
    stocktake = services.start_stocktake(office, unit=unit)
    client.force_login(make_user("office_m2", roles=[Role.SECRECY_OFFICE],
                                 category=Category.IMPORTANT))
    assert client.get(f"/carriers/stocktakes/{stocktake.pk}/record.docx").status_code == 404
    client.force_login(make_user("staff_c", roles=[Role.STAFF], category=Category.CORE))
    assert client.get(f"/carriers/stocktakes/{stocktake.pk}/record.docx").status_code == 404
