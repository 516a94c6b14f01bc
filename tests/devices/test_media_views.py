"""The media pages (rule D4): the panels on the computer and medium pages, binding,
unbinding, check-out and return through them, and the check-out list; a service's refusal is
shown on the form with its status, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import ContentCheck, DeviceKind, MediumLoanState, MediumState
from baomi.devices.models import Medium, MediumBinding, MediumLoan

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)


@pytest.fixture
def medium(register_medium):
    return register_medium(number="JZ-U-001")


@pytest.fixture
def computer(register_device):
    return register_device(number="JSJ-001")


def device_page(client, device):
    return client.get(reverse("devices:device_detail", args=[device.pk]))


def medium_page(client, medium):
    return client.get(reverse("devices:medium_detail", args=[medium.pk]))


def test_device_page_offers_the_office_the_media_it_may_bind(client, people, computer,
                                                             register_medium):
    allowed = register_medium(number="JZ-OK", level=Level.SECRET)
    register_medium(number="JZ-TOO-HIGH", level=Level.TOP_SECRET)
    register_medium(number="JZ-PLAIN", level=Level.NONSECRET)
    client.force_login(people["office"])
    page = device_page(client, computer).content.decode()
    assert 'id="media-panel"' in page and 'id="action-bind"' in page
    assert f'value="{allowed.pk}"' in page
    assert "JZ-TOO-HIGH" not in page and "JZ-PLAIN" not in page  # rule D4


def test_the_bind_form_is_the_offices_only(client, people, computer, medium):
    services.bind_medium(people["office"], medium, computer)
    client.force_login(people["head"])
    page = device_page(client, computer).content.decode()
    assert "JZ-U-001" in page and 'id="action-bind"' not in page
    assert "/unbind/" not in page  # no unbind button for the head
    url = reverse("devices:device_bind_medium", args=[computer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"medium": medium.pk}).status_code == 404


def test_no_media_panel_on_office_equipment(client, people, register_device):
    printer = register_device(kind=DeviceKind.PRINTER)
    client.force_login(people["office"])
    assert 'id="media-panel"' not in device_page(client, printer).content.decode()
    url = reverse("devices:device_bind_medium", args=[printer.pk])
    assert client.get(url).status_code == 404


@pytest.mark.rule("D4")
def test_office_binds_from_the_device_page_and_unbinds(client, people, computer, medium):
    client.force_login(people["office"])
    response = client.post(reverse("devices:device_bind_medium", args=[computer.pk]),
                           {"medium": medium.pk, "back": "device"})
    assert response.status_code == 302 and response.url == reverse(
        "devices:device_detail", args=[computer.pk])
    binding = MediumBinding.objects.get()
    assert f'data-id="{binding.pk}"' in device_page(client, computer).content.decode()
    response = client.post(reverse("devices:binding_unbind", args=[binding.pk]),
                           {"back": "medium"})
    assert response.status_code == 302 and response.url == reverse(
        "devices:medium_detail", args=[medium.pk])
    binding.refresh_from_db()
    assert binding.unbound_on == today()
    again = client.post(reverse("devices:binding_unbind", args=[binding.pk]), {"back": "device"})
    assert again.status_code == 409  # shown on the form, never a 500
    assert 'name="back" value="device"' in again.content.decode()


@pytest.mark.rule("D4")
def test_office_binds_from_the_medium_page(client, people, computer, medium, register_device):
    register_device(number="JSJ-PLAIN", level=Level.NONSECRET)
    register_device(number="JSJ-LOW", level=Level.SECRET)
    client.force_login(people["office"])
    page = medium_page(client, medium).content.decode()
    assert f'value="{computer.pk}"' in page
    assert "JSJ-PLAIN" not in page and "JSJ-LOW" not in page
    response = client.post(reverse("devices:medium_bind", args=[medium.pk]),
                           {"device": computer.pk, "bound_on": today().isoformat()})
    assert response.status_code == 302
    assert MediumBinding.objects.get().device == computer


def test_a_binding_refused_by_the_service_shows_on_the_form(client, people, computer, medium):
    client.force_login(people["office"])
    url = reverse("devices:medium_bind", args=[medium.pk])
    future = (today() + dt.timedelta(days=2)).isoformat()
    response = client.post(url, {"device": computer.pk, "bound_on": future})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not MediumBinding.objects.exists()


def test_a_computer_the_rule_forbids_is_not_a_choice(client, people, medium, register_device):
    low = register_device(level=Level.SECRET)
    client.force_login(people["office"])
    response = client.post(reverse("devices:medium_bind", args=[medium.pk]), {"device": low.pk})
    assert response.status_code == 400 and not MediumBinding.objects.exists()


@pytest.mark.rule("D4")
def test_office_checks_out_and_takes_back_with_the_content_check(client, people, medium):
    client.force_login(people["office"])
    page = medium_page(client, medium).content.decode()
    assert 'id="action-check-out"' in page and 'id="action-return"' not in page
    response = client.post(reverse("devices:medium_check_out", args=[medium.pk]),
                           {"person": people["top"].person.pk, "purpose": "拷贝试验数据"})
    assert response.status_code == 302
    loan = MediumLoan.objects.get()
    assert loan.due_on == today() + dt.timedelta(days=7)
    page = medium_page(client, medium).content.decode()
    assert 'id="action-return"' in page and 'id="action-check-out"' not in page
    url = reverse("devices:medium_loan_return", args=[loan.pk])
    refused = client.post(url, {"content_check": ContentCheck.CLEARED, "content_note": "",
                                "back": "medium"})
    assert refused.status_code == 400 and 'class="error"' in refused.content.decode()
    assert MediumLoan.objects.get().state == MediumLoanState.OUT
    response = client.post(url, {"content_check": ContentCheck.CLEARED,
                                 "content_note": "已用专用工具清除"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.state, loan.content_check) == (MediumLoanState.RETURNED, ContentCheck.CLEARED)
    assert 'data-value="cleared"' in medium_page(client, medium).content.decode()


@pytest.mark.rule("D4")
def test_a_check_out_to_someone_not_cleared_shows_on_the_form(client, people, medium):
    client.force_login(people["office"])
    response = client.post(reverse("devices:medium_check_out", args=[medium.pk]),
                           {"person": people["secret"].person.pk, "purpose": "拷贝"})
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert Medium.objects.get(pk=medium.pk).state == MediumState.IN_STORE


def test_a_second_check_out_of_a_medium_out_is_a_conflict_on_the_form(client, people, medium):
    services.check_out_medium(people["office"], medium, person=people["top"].person,
                              purpose="拷贝")
    client.force_login(people["office"])
    response = client.post(reverse("devices:medium_check_out", args=[medium.pk]),
                           {"person": people["confidential"].person.pk, "purpose": "拷贝"})
    assert response.status_code == 409


@pytest.mark.parametrize("url_name", ["medium_bind", "medium_check_out"])
def test_others_and_admins_get_404(client, people, sysadmin, medium, url_name):
    url = reverse(f"devices:{url_name}", args=[medium.pk])
    for user in (people["head"], people["office2"], people["top"], sysadmin):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    client.force_login(people["office"])
    assert client.get(url).status_code == 200


def test_unknown_ids_are_404(client, people):
    client.force_login(people["office"])
    for name in ("device_bind_medium", "medium_bind", "binding_unbind", "medium_check_out",
                 "medium_loan_return"):
        assert client.get(reverse(f"devices:{name}", args=[999999])).status_code == 404


@pytest.fixture
def loans(people, register_medium):
    """An overdue loan to `top`, one out to `confidential` and one returned."""
    office = people["office"]
    late = services.check_out_medium(office, register_medium(number="JZ-LATE"),
                                     person=people["top"].person, purpose="拷贝")
    MediumLoan.objects.filter(pk=late.pk).update(due_on=today() - dt.timedelta(days=1))
    out = services.check_out_medium(office, register_medium(number="JZ-OUT"),
                                    person=people["confidential"].person, purpose="拷贝")
    back = services.check_out_medium(office, register_medium(number="JZ-BACK"),
                                     person=people["top"].person, purpose="拷贝")
    services.return_medium(office, back, content_check=ContentCheck.NOTHING_WRITTEN)
    return {"late": late, "out": out, "back": back}


def listed(client, query=""):
    response = client.get(reverse("devices:medium_loan_list") + query)
    assert response.status_code == 200
    page = response.content.decode()
    return {number for number in ("JZ-LATE", "JZ-OUT", "JZ-BACK") if number in page}


def test_the_check_out_list_and_its_filters(client, people, loans):
    client.force_login(people["office"])
    assert listed(client) == {"JZ-LATE", "JZ-OUT", "JZ-BACK"}
    assert listed(client, "?out=1") == {"JZ-LATE", "JZ-OUT"}
    assert listed(client, "?overdue=1") == {"JZ-LATE"}
    client.force_login(people["top"])  # their own only
    assert listed(client) == {"JZ-LATE", "JZ-BACK"}
    client.force_login(people["head"])
    assert listed(client) == set()


def test_take_back_from_the_list_returns_to_the_list(client, people, loans):
    client.force_login(people["office"])
    url = reverse("devices:medium_loan_return", args=[loans["out"].pk])
    assert f'{url}?back=list' in client.get(reverse("devices:medium_loan_list")).content.decode()
    form = client.get(url + "?back=list")
    assert 'name="back" value="list"' in form.content.decode()
    response = client.post(url, {"content_check": ContentCheck.NOTHING_WRITTEN, "back": "list"})
    assert response.status_code == 302 and response.url == reverse("devices:medium_loan_list")


def test_admins_open_no_media_page(client, sysadmin, auditor, secadmin):
    for admin in (sysadmin, auditor, secadmin):
        client.force_login(admin)
        assert client.get(reverse("devices:medium_loan_list")).status_code == 404
