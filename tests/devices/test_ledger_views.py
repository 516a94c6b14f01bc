"""The device and media ledger pages: lists with their filters (one family per ledger, rule
D9), registration, one device with its users and level (rule D2); a service's refusal is shown
on the form with its status, never a 500."""

import pytest

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.labels import Category, Level
from baomi.devices.choices import DeviceKind, DeviceState
from baomi.devices.models import Device, DeviceUser, Medium

from . import support
from .support import today

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

PAGES = ("/devices/", "/devices/media/")
OFFICE_PAGES = ("/devices/new/", "/devices/media/new/")


def test_pages_render_for_every_business_role(client, make_user, people):
    for role in (Role.LEADER, Role.DEPARTMENT_HEAD, Role.STAFF, Role.CLASSIFICATION_OFFICER):
        client.force_login(make_user(f"u-{role}", roles=[role], category=Category.IMPORTANT))
        for url in PAGES:
            assert client.get(url).status_code == 200, (role, url)
        for url in OFFICE_PAGES:  # only the 保密办 keeps the ledgers
            assert client.get(url).status_code == 404, (role, url)
    client.force_login(people["office"])
    for url in (*PAGES, *OFFICE_PAGES):
        assert client.get(url).status_code == 200, url


@pytest.mark.rule("T2")
def test_admins_open_no_device_page(client, people, register_device, sysadmin, auditor,
                                    secadmin):
    device = register_device()
    for admin in (sysadmin, auditor, secadmin):
        client.force_login(admin)
        for url in (*PAGES, *OFFICE_PAGES, "/devices/export.xlsx", "/devices/labels.docx",
                    "/devices/media/export.xlsx",
                    f"/devices/{device.pk}/", f"/devices/{device.pk}/label.docx"):
            assert client.get(url).status_code == 404, (admin.username, url)


def device_post(people, yf1, **overrides):
    data = {"number": "HX-JSJ-001", "kind": "desktop", "level": int(Level.CONFIDENTIAL),
            "model": "联想 启天M437", "serial_no": "PC0A1B2C", "asset_no": "ZC-0101",
            "disk_serial": "WD-1", "mac": "00-1A-2B-3C-4D-01", "os": "中标麒麟 V7.0",
            "os_installed_on": today().isoformat(), "department": yf1.pk,
            "responsible": people["top"].person_id, "location": "科研楼 203",
            "in_use_on": today().isoformat()}
    data.update(overrides)
    return data


@pytest.mark.rule("D1")
def test_office_registers_a_device(client, people, yf1):
    client.force_login(people["office"])
    response = client.post("/devices/new/", device_post(people, yf1))
    device = Device.objects.get()
    assert response.status_code == 302 and response.url == f"/devices/{device.pk}/"
    assert (device.mac, device.level, device.phone_line) == (
        "00-1A-2B-3C-4D-01", Level.CONFIDENTIAL, False)
    page = client.get(f"/devices/{device.pk}/")
    assert page.status_code == 200 and "HX-JSJ-001" in page.content.decode()


@pytest.mark.rule("D2")
def test_responsible_below_the_level_is_refused_on_the_form(client, people, yf1):
    client.force_login(people["office"])
    response = client.post("/devices/new/", device_post(
        people, yf1, responsible=people["secret"].person_id))
    assert response.status_code == 422
    assert response.context["form"].errors["responsible"]
    assert not Device.objects.exists()


@pytest.mark.rule("D9")
def test_multifunction_on_a_phone_line_is_refused_on_the_form(client, people, yf1):
    client.force_login(people["office"])
    response = client.post("/devices/new/", device_post(
        people, yf1, kind="multifunction", level=int(Level.SECRET), phone_line="on"))
    assert response.status_code == 422
    assert response.context["form"].errors["phone_line"]


def test_duplicate_number_and_bad_input_are_shown_on_the_form(client, people, yf1,
                                                              register_device):
    register_device(number="HX-JSJ-001")
    client.force_login(people["office"])
    response = client.post("/devices/new/", device_post(people, yf1))
    assert response.status_code == 409 and response.context["form"].errors["number"]
    for bad in ({"level": "9"}, {"kind": "laptop"}, {"in_use_on": "2026-13-01"},
                {"responsible": "99999999"}, {"number": "x" * 51},
                {"in_use_on": "2999-01-01"}):
        response = client.post("/devices/new/", device_post(people, yf1, **{"number": "N2", **bad}))
        assert response.status_code == 400, bad
    assert Device.objects.count() == 1


@pytest.mark.rule("D9")
def test_the_list_shows_one_family_with_filters(client, people, register_device):
    desktop = register_device(number="PC-1", serial_no="SN-AAA", mac="AA-BB")
    secret = register_device(number="PC-2", level=Level.SECRET, serial_no="SN-BBB",
                             asset_no="ZC-777")
    printer = register_device(number="PR-1", kind=DeviceKind.PRINTER)
    security = register_device(number="AQ-1", kind=DeviceKind.SECURITY_PRODUCT)
    client.force_login(people["office"])

    def shown(query=""):
        return [d.pk for d in client.get(f"/devices/{query}").context["page"].items]

    assert shown() == [secret.pk, desktop.pk]  # computers by default, newest first
    assert shown("?family=office") == [printer.pk]
    assert shown("?family=security") == [security.pk]
    assert shown("?family=bogus") == [secret.pk, desktop.pk]
    assert shown(f"?level={int(Level.SECRET)}") == [secret.pk]
    assert shown("?state=idle") == []
    assert shown("?q=SN-AAA") == [desktop.pk] and shown("?q=ZC-777") == [secret.pk]
    assert shown("?q=aa-bb") == [desktop.pk] and shown("?q=PC-2") == [secret.pk]
    assert shown("?level=x&department=abc&after=-1&q=%00") == [secret.pk, desktop.pk]


@pytest.mark.rule("D2")
def test_office_adds_and_removes_users_and_changes_the_level(client, people, register_device):
    device = register_device(level=Level.SECRET)
    client.force_login(people["office"])
    url = f"/devices/{device.pk}/"
    response = client.post(url, {"action": "add_user",
                                 "add_user-person": people["none"].person_id})
    assert response.status_code == 422  # rule D2: 非密 staff never use a 秘密 computer
    assert response.context["forms"]["add_user"].errors["person"]
    response = client.post(url, {"action": "add_user",
                                 "add_user-person": people["secret"].person_id})
    assert response.status_code == 302
    response = client.post(url, {"action": "level", "level-level": int(Level.CONFIDENTIAL)})
    assert response.status_code == 422  # the 秘密 user would be left below it
    assert response.context["forms"]["level"].errors["level"]
    response = client.post(url, {"action": "remove_user",
                                 "remove_user-person": people["secret"].person_id})
    assert response.status_code == 302 and not DeviceUser.objects.exists()
    response = client.post(url, {"action": "level", "level-level": int(Level.CONFIDENTIAL)})
    assert response.status_code == 302
    response = client.post(url, {"action": "update", "update-location": "科研楼 305",
                                 "update-responsible": people["top"].person_id,
                                 "update-state": DeviceState.IDLE})
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.level, device.location, device.state) == (
        Level.CONFIDENTIAL, "科研楼 305", DeviceState.IDLE)


def test_only_the_office_posts_on_a_device(client, people, register_device):
    device = register_device()
    client.force_login(people["head"])  # sees it, does not keep the ledger
    page = client.get(f"/devices/{device.pk}/")
    assert page.status_code == 200 and not page.context["forms"]
    response = client.post(f"/devices/{device.pk}/", {
        "action": "add_user", "add_user-person": people["top"].person_id})
    assert response.status_code == 404 and not DeviceUser.objects.exists()
    client.force_login(people["office"])
    assert client.post(f"/devices/{device.pk}/", {"action": "bogus"}).status_code == 404
    assert client.post(f"/devices/{device.pk}/", {
        "action": "remove_user", "remove_user-person": "abc"}).status_code == 400


def test_reading_a_confidential_device_page_is_audited(client, people, register_device):
    device = register_device(level=Level.CONFIDENTIAL)
    client.force_login(people["office"])
    client.get(f"/devices/{device.pk}/")
    assert AuditEvent.objects.filter(action="DEVICE_READ", object_id=str(device.pk)).exists()


@pytest.mark.rule("D4")
def test_office_registers_a_medium(client, people, yf1):
    client.force_login(people["office"])
    data = {"number": "HX-U-001", "kind": "usb", "level": int(Level.SECRET),
            "capacity": "64GB", "model": "朗科", "serial_no": "U-1", "department": yf1.pk,
            "responsible": people["secret"].person_id, "location": "保密柜"}
    response = client.post("/devices/media/new/", data)
    medium = Medium.objects.get()
    assert response.status_code == 302 and response.url == f"/devices/media/{medium.pk}/"
    assert client.get(response.url).status_code == 200
    response = client.post("/devices/media/new/", {**data, "number": "HX-U-002",
                                                   "level": int(Level.CONFIDENTIAL)})
    assert response.status_code == 422 and response.context["form"].errors["responsible"]
    response = client.post("/devices/media/new/", {**data, "kind": "floppy"})
    assert response.status_code == 400
    assert Medium.objects.count() == 1


def test_the_media_list_filters(client, people, register_medium):
    usb = register_medium(number="U-1", serial_no="XYZ")
    disc = register_medium(number="GP-1", kind="optical", level=Level.SECRET)
    client.force_login(people["office"])

    def shown(query=""):
        return [m.pk for m in client.get(f"/devices/media/{query}").context["page"].items]

    assert shown() == [disc.pk, usb.pk]
    assert shown("?kind=optical") == [disc.pk]
    assert shown(f"?level={int(Level.CONFIDENTIAL)}") == [usb.pk]
    assert shown("?q=xyz") == [usb.pk]
    assert shown("?state=out") == []
    assert shown("?kind=bogus&level=7") == [disc.pk, usb.pk]


@pytest.mark.rule("D2")
def test_office_moves_a_medium_and_hands_it_on(client, people, register_medium):
    medium = register_medium(level=Level.CONFIDENTIAL)
    client.force_login(people["office"])
    url = f"/devices/media/{medium.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["update_form"] is not None
    response = client.post(url, {"action": "update", "update-location": "保密柜 3",
                                 "update-responsible": people["secret"].person_id})
    assert response.status_code == 422  # a 秘密 person never answers for a 机密 medium
    assert response.context["update_form"].errors["responsible"]
    response = client.post(url, {"action": "update", "update-location": "保密柜 3",
                                 "update-responsible": people["confidential"].person_id})
    assert response.status_code == 302 and response.url == url
    medium.refresh_from_db()
    assert (medium.location, medium.responsible) == ("保密柜 3", people["confidential"].person)
    for bad in ({"update-responsible": "99999999"}, {"update-location": "x" * 201},
                {"update-responsible": ""}):
        data = {"action": "update", "update-location": "A",
                "update-responsible": people["top"].person_id, **bad}
        assert client.post(url, data).status_code == 400, bad
    assert client.post(url, {"action": "bogus"}).status_code == 404
    medium.refresh_from_db()
    assert medium.location == "保密柜 3"


def test_only_the_office_updates_a_medium_page(client, people, register_medium):
    medium = register_medium(level=Level.SECRET, responsible=people["secret"].person)
    url = f"/devices/media/{medium.pk}/"
    data = {"action": "update", "update-location": "x",
            "update-responsible": people["top"].person_id}
    for key in ("head", "secret"):  # they see it, but do not keep the ledger
        client.force_login(people[key])
        page = client.get(url)
        assert page.status_code == 200 and page.context["update_form"] is None
        assert client.post(url, data).status_code == 404
    client.force_login(people["office2"])
    assert client.post(url, data).status_code == 404
    medium.refresh_from_db()
    assert medium.location == "保密办"
