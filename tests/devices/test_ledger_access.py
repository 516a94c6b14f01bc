"""rule L5 across every surface of the device and media ledgers: for each kind of user and
each device or medium, the list page, the search, the .xlsx export, the labels, the API list,
search and detail and the detail page agree — and agree with the rule as written here, not
with the selector. A device or medium is seen by someone cleared for its level who is the
保密办 of its unit, the head of its department, its responsible person or one of its users."""

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.devices import services

from . import support

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)

pytestmark = [pytest.mark.django_db, pytest.mark.rule("L5")]

DEVICES = ("TS-PC", "CF-PC", "CF-RESP", "SC-PC")
MEDIA = ("TS-U", "CF-U", "SC-U")
EXPECTED = {
    "office": frozenset({*DEVICES, *MEDIA}),
    "office_important": frozenset({"CF-PC", "CF-RESP", "SC-PC", "CF-U", "SC-U"}),
    "head": frozenset({*DEVICES, *MEDIA}),
    "top": frozenset({"TS-PC", "CF-PC", "SC-PC", "TS-U", "SC-U"}),   # responsible
    "confidential": frozenset({"CF-PC", "CF-RESP", "CF-U"}),         # user; responsible
    "secret": frozenset({"SC-PC"}),                                   # user only
    "outsider": frozenset(),          # cleared 绝密, no duty on any of them
    "leader": frozenset(),            # no duty on the ledgers
    "office2": frozenset(),           # the 保密办 of another unit
    "auditor": frozenset(),           # rule T2
}
DEVICE_SURFACES = ("page", "search_page", "export", "labels", "api", "api_search")
MEDIUM_SURFACES = ("media_page", "media_api")


@pytest.fixture
def ledger(people, register_device, register_medium):
    top, confidential = people["top"].person, people["confidential"].person
    made = {
        "TS-PC": register_device(number="TS-PC", level=Level.TOP_SECRET),
        "CF-PC": register_device(number="CF-PC", level=Level.CONFIDENTIAL),
        "CF-RESP": register_device(number="CF-RESP", level=Level.CONFIDENTIAL,
                                   responsible=confidential),
        "SC-PC": register_device(number="SC-PC", level=Level.SECRET),
        "TS-U": register_medium(number="TS-U", level=Level.TOP_SECRET),
        "CF-U": register_medium(number="CF-U", level=Level.CONFIDENTIAL,
                                responsible=confidential),
        "SC-U": register_medium(number="SC-U", level=Level.SECRET, responsible=top),
    }
    services.add_device_user(people["office"], made["CF-PC"], confidential)
    services.add_device_user(people["office"], made["SC-PC"], people["secret"].person)
    return made


@pytest.fixture
def users(people, make_user, auditor):
    return {**people, "auditor": auditor,
            "outsider": make_user("outsider", roles=[Role.STAFF], category=Category.CORE)}


def _numbers_in(text: str, numbers) -> frozenset[str]:
    return frozenset(number for number in numbers if number in text)


def _listed(client, surface: str) -> frozenset[str]:
    if surface in ("api", "api_search", "media_api"):
        url = {"api": "/api/v1/devices/devices", "api_search": "/api/v1/devices/devices?q=PC",
               "media_api": "/api/v1/devices/media"}[surface]
        response = client.get(url)
        if response.status_code != 200:
            return frozenset()
        return frozenset(row["number"] for row in response.json()["items"])
    url = {"page": "/devices/", "search_page": "/devices/?q=PC",
           "export": "/devices/export.xlsx", "labels": "/devices/labels.docx",
           "media_page": "/devices/media/"}[surface]
    response = client.get(url)
    if response.status_code in (403, 404):
        return frozenset()
    assert response.status_code == 200, (surface, response.status_code)
    numbers = MEDIA if surface.startswith("media") else DEVICES
    if surface == "export":
        rows = support.sheet_rows(support.streamed(response))
        return _numbers_in("\n".join(str(cell) for row in rows for cell in row), numbers)
    if surface == "labels":
        return _numbers_in(support.docx_text(response.content), numbers)
    return _numbers_in(response.content.decode(), numbers)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_every_surface_shows_what_the_rule_allows(client, ledger, users, who):
    client.force_login(users[who])
    expected = EXPECTED[who]
    devices = expected & frozenset(DEVICES)
    for surface in DEVICE_SURFACES:
        wanted = frozenset(n for n in devices if "PC" in n) if "search" in surface else devices
        assert _listed(client, surface) == wanted, (who, surface)
    for surface in MEDIUM_SURFACES:
        assert _listed(client, surface) == expected & frozenset(MEDIA), (who, surface)
    for number, obj in ledger.items():
        visible = number in expected
        if number in DEVICES:
            pages = (f"/devices/{obj.pk}/", f"/devices/{obj.pk}/label.docx")
            api = f"/api/v1/devices/devices/{obj.pk}"
        else:
            pages = (f"/devices/media/{obj.pk}/", f"/devices/media/{obj.pk}/label.docx")
            api = f"/api/v1/devices/media/{obj.pk}"
        for url in pages:
            assert (client.get(url).status_code == 200) == visible, (who, url)
        status = client.get(api).status_code
        assert (status == 200) == visible, (who, api, status)
        if not visible:  # the same answer as for one that does not exist
            assert status in (403, 404)
            assert client.get(pages[0]).status_code == 404
