"""Pages of the usage log (rule D5): the panel on the device page, opening a book, a book's
page — recording a use, ending it, closing the book —, the .xlsx export and the 保密办's page
of the books past retention; refusals on the form with their status, never a 500."""

import json
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import DeviceKind
from baomi.devices.models import UsageBook, UsageEntry

from . import support
from .support import sheet_rows, streamed, today

people, yf1, other_unit, register_device = (
    support.people, support.yf1, support.other_unit, support.register_device)

LAST_YEAR = today().year - 1


@pytest.fixture
def computer(people, register_device):
    device = register_device(level=Level.CONFIDENTIAL)
    services.add_device_user(people["office"], device, people["confidential"].person)
    return device


@pytest.fixture
def book(people, computer):
    return services.open_usage_book(people["office"], computer, year=LAST_YEAR)


def use(people, computer, hour=9, ended=True, work="起草项目方案"):
    start = timezone.make_aware(datetime(LAST_YEAR, 4, 7, hour))
    return services.record_usage(
        people["office"], computer, user=people["confidential"].person, started_at=start,
        ended_at=timezone.make_aware(datetime(LAST_YEAR, 4, 7, hour, 45)) if ended else None,
        work=work, level=Level.SECRET)


def record_data(person, **overrides):
    return {"action": "record", "record-user": person.pk,
            "record-started_at": f"{LAST_YEAR}-04-08T09:00",
            "record-ended_at": f"{LAST_YEAR}-04-08T10:30", "record-work": "编制技术报告",
            "record-level": Level.CONFIDENTIAL, **overrides}


# --- the panel and opening a book ---------------------------------------------------------------


@pytest.mark.rule("D5")
def test_the_panel_lists_books_with_their_counts(client, people, computer, book):
    use(people, computer)
    use(people, computer, hour=14)
    client.force_login(people["office"])
    html = client.get(reverse("devices:device_detail", args=[computer.pk])).content.decode()
    assert 'id="usage-panel"' in html
    assert f'data-year="{LAST_YEAR}" data-entries="2"' in html
    assert 'id="usage-missing"' in html  # no book for this year yet
    assert 'id="action-usage-open"' in html


@pytest.mark.rule("D5")
def test_the_panel_for_a_user_and_for_a_printer(client, people, computer, book,
                                                register_device):
    client.force_login(people["confidential"])  # a user: sees the books, opens none
    html = client.get(reverse("devices:device_detail", args=[computer.pk])).content.decode()
    assert f'data-year="{LAST_YEAR}"' in html and 'id="action-usage-open"' not in html
    printer = register_device(kind=DeviceKind.PRINTER)
    client.force_login(people["office"])
    html = client.get(reverse("devices:device_detail", args=[printer.pk])).content.decode()
    assert 'id="usage-panel"' not in html


@pytest.mark.rule("D5")
def test_opening_from_the_panel(client, people, computer):
    client.force_login(people["top"])  # the responsible person
    url = reverse("devices:usage_open", args=[computer.pk])
    response = client.post(url, {"year": today().year})
    book = UsageBook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:usage_book", args=[book.pk])
    refused = client.post(url, {"year": today().year})
    assert refused.status_code == 409 and 'id="action-usage-open"' in refused.content.decode()
    assert client.post(url, {"year": today().year + 1}).status_code == 400
    assert client.post(url, {"year": "x"}).status_code == 400
    assert UsageBook.objects.count() == 1


@pytest.mark.rule("L5")
def test_who_may_open_the_page(client, people, computer):
    url = reverse("devices:usage_open", args=[computer.pk])
    for who in ("confidential", "secret", "office2"):
        client.force_login(people[who])
        assert client.post(url, {"year": today().year}).status_code == 404
    assert not UsageBook.objects.exists()


# --- a book's page ----------------------------------------------------------------------------


@pytest.mark.rule("D5")
def test_recording_a_use_on_the_book_page(client, people, computer, book):
    client.force_login(people["confidential"])
    url = reverse("devices:usage_book", args=[book.pk])
    html = client.get(url).content.decode()
    assert 'id="action-usage-record"' in html and 'id="action-usage-close"' not in html
    response = client.post(url, record_data(people["confidential"].person))
    assert response.status_code == 302
    entry = UsageEntry.objects.get()
    assert (entry.work, entry.level, entry.recorded_by) == (
        "编制技术报告", Level.CONFIDENTIAL, people["confidential"])
    assert "编制技术报告" in client.get(url).content.decode()


@pytest.mark.rule("D2")
def test_a_refusal_is_shown_on_the_form(client, people, computer, book):
    client.force_login(people["office"])
    url = reverse("devices:usage_book", args=[book.pk])
    response = client.post(url, record_data(people["top"].person,
                                            **{"record-level": Level.TOP_SECRET}))
    assert response.status_code == 400  # not among the choices: above the device (rule D2)
    response = client.post(url, record_data(people["top"].person, **{
        "record-started_at": f"{today().year}-01-05T09:00",
        "record-ended_at": f"{today().year}-01-05T10:00"}))
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    response = client.post(url, record_data(people["top"].person, **{
        "record-ended_at": f"{LAST_YEAR}-04-08T08:00"}))
    assert response.status_code == 400
    assert not UsageEntry.objects.exists()


@pytest.mark.rule("D5")
def test_ending_a_use_and_closing_the_book(client, people, computer, book):
    entry = use(people, computer, ended=False)
    client.force_login(people["office"])
    url = reverse("devices:usage_book", args=[book.pk])
    html = client.get(url).content.decode()
    assert f'data-id="{entry.pk}"' in html and 'data-open="true"' in html
    refused = client.post(url, {"action": "close"})
    assert refused.status_code == 409  # a use is still open
    end = reverse("devices:usage_end", args=[entry.pk])
    assert client.post(end, {"end-ended_at": f"{LAST_YEAR}-04-07T08:00"}).status_code == 400
    assert client.post(end, {"end-ended_at": ""}).status_code == 400
    assert client.post(end, {"end-ended_at": f"{LAST_YEAR}-04-07T11:00"}).status_code == 302
    assert client.post(end, {"end-ended_at": f"{LAST_YEAR}-04-07T12:00"}).status_code == 409
    assert client.post(url, {"action": "close"}).status_code == 302
    html = client.get(url).content.decode()
    assert 'data-closed="true"' in html and 'id="action-usage-record"' not in html


@pytest.mark.rule("L5")
def test_the_book_page_for_those_who_do_not_see_the_device(client, people, computer, book):
    entry = use(people, computer, ended=False)
    for who in ("secret", "office2"):
        client.force_login(people[who])
        assert client.get(reverse("devices:usage_book", args=[book.pk])).status_code == 404
        assert client.get(reverse("devices:usage_export", args=[book.pk])).status_code == 404
        assert client.post(reverse("devices:usage_end", args=[entry.pk]),
                           {"end-ended_at": f"{LAST_YEAR}-04-07T11:00"}).status_code == 404
    client.force_login(people["confidential"])  # a user does not close the book
    url = reverse("devices:usage_book", args=[book.pk])
    assert client.post(url, {"action": "close"}).status_code == 404
    assert client.post(url, {"action": "nonsense"}).status_code == 404


@pytest.mark.rule("D5")
def test_the_entries_are_paged_in_the_order_of_the_log(client, people, computer, book):
    for day in range(1, 56):  # 55 uses: a full page of 50 and a second one
        services.record_usage(
            people["office"], computer, user=people["top"].person,
            started_at=timezone.make_aware(datetime(LAST_YEAR, 1 + day // 28, 1 + day % 28, 9)),
            ended_at=None if day == 55 else timezone.make_aware(
                datetime(LAST_YEAR, 1 + day // 28, 1 + day % 28, 10)),
            work=f"第{day}次", level=Level.SECRET)
    client.force_login(people["office"])
    url = reverse("devices:usage_book", args=[book.pk])
    first = client.get(url).content.decode()
    assert first.count('class="inline end-usage"') == 0 and 'rel="next"' in first
    assert first.index("第1次") < first.index("第2次") and "第51次" not in first
    after = UsageEntry.objects.order_by("started_at", "id")[49].pk
    second = client.get(f"{url}?after={after}").content.decode()
    assert "第51次" in second and "第50次" not in second and 'rel="next"' not in second
    assert second.count('class="inline end-usage"') == 1


@pytest.mark.rule("D5")
def test_reading_a_confidential_log_is_audited(client, people, computer, book):
    client.force_login(people["office"])
    url = reverse("devices:usage_book", args=[book.pk])
    client.get(url)
    client.get(f"{url}?after=1")  # the next pages are the same reading
    assert AuditEvent.objects.filter(action="DEVICE_USAGE_BOOK_READ").count() == 1


# --- the export -------------------------------------------------------------------------------


@pytest.mark.rule("D5")
def test_the_export_of_a_book(client, people, computer, book):
    use(people, computer, hour=14, work="=HYPERLINK(\"x\")")
    use(people, computer, hour=9)
    client.force_login(people["confidential"])
    response = client.get(reverse("devices:usage_export", args=[book.pk]))
    assert response.status_code == 200
    assert f"usage-{computer.number}-{LAST_YEAR}.xlsx" in response["Content-Disposition"]
    rows = sheet_rows(streamed(response))
    assert rows[0][1] == computer.number and rows[1][1] == LAST_YEAR
    assert len(rows) == 3 + 2
    assert rows[3][0] == datetime(LAST_YEAR, 4, 7, 9) and rows[3][2] == "何机密"
    assert rows[4][3] == "=HYPERLINK(\"x\")"  # text, never a formula
    event = AuditEvent.objects.get(action="DEVICE_USAGE_BOOK_EXPORTED")
    assert json.loads(event.after)["rows"] == 2


# --- the books past retention -----------------------------------------------------------------


@pytest.fixture
def old_book(people, computer):
    old = services.open_usage_book(people["office"], computer, year=2018)
    services.record_usage(
        people["office"], computer, user=people["top"].person,
        started_at=timezone.make_aware(datetime(2018, 3, 1, 9)),
        ended_at=timezone.make_aware(datetime(2018, 3, 1, 10)), work="汇总统计数据",
        level=Level.SECRET)
    return services.close_usage_book(people["office"], old)


@pytest.mark.rule("D5")
def test_the_office_discards_the_books_past_retention(client, people, computer, book,
                                                      old_book):
    client.force_login(people["office"])
    url = reverse("devices:usage_books")
    html = client.get(url).content.decode()
    assert f'data-id="{old_book.pk}" data-year="2018"' in html
    assert f'data-id="{book.pk}"' not in html  # open, and within its retention
    assert client.post(url, {}).status_code == 400  # not confirmed
    assert UsageBook.objects.filter(pk=old_book.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert list(UsageBook.objects.all()) == [book]
    assert "action-usage-discard" not in client.get(url).content.decode()


@pytest.mark.rule("D5")
def test_only_the_office_opens_the_retention_page(client, people, old_book):
    for who in ("top", "head", "leader"):
        client.force_login(people[who])
        assert client.get(reverse("devices:usage_books")).status_code == 404
        assert client.post(reverse("devices:usage_books"), {"confirm": "on"}).status_code == 404
    assert UsageBook.objects.filter(pk=old_book.pk).exists()
    assert services.discardable_from(2018, 5) == date(2024, 1, 1)
