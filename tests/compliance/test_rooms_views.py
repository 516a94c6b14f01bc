"""Secure-room pages (rule Q7): only the 保密办 opens them (anyone else, the 三员 included, gets
a 404); the list shows each room's measures, whether it meets Q7 and its containers; the
forms register and edit a room and show a service's refusal with its status."""

import re

import pytest
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.carriers import services as carrier_services
from baomi.carriers.choices import CarrierKind, CarrierOrigin, ContainerKind
from baomi.carriers.models import Container
from baomi.compliance.models import SecureRoom
from baomi.core.labels import Category, Level, Scheme
from baomi.core.testing.factories import SecureRoomFactory, UnitFactory
from baomi.secrets.choices import PeriodKind

LIST = "/compliance/rooms/"
FORM = {"name": "档案室", "location": "行政楼四层", "access_control": "on", "video": "on",
        "video_retention_days": "90", "alarm": "on", "note": ""}


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def room(unit):
    return SecureRoomFactory(unit=unit, name="机要室")


def q7_cell(html, room):
    """The value of data-meets-q7 in the row of `room`."""
    row = re.search(rf'<tr data-id="{room.pk}".*?</tr>', html, re.S)
    assert row, f"no row for {room.name}"
    return re.search(r'data-meets-q7="(\w+)"', row.group(0)).group(1)


def edit_url(room):
    return f"/compliance/rooms/{room.pk}/"


def rooms_written():
    return (SecureRoom.objects.count(),
            AuditEvent.objects.filter(action__startswith="SECURE_ROOM_").count())


@pytest.mark.rule("Q7")
def test_the_list_shows_whether_each_room_meets_q7(client, unit, office, room):
    poor = SecureRoomFactory(unit=unit, name="文件室", alarm=False, video_retention_days=29)
    Container.objects.create(unit=unit, number="MX-01", kind=ContainerKind.SAFE,
                             rating=Level.TOP_SECRET, location="机要室", room=room)
    Container.objects.create(unit=unit, number="MX-02", kind=ContainerKind.SAFE,
                             rating=Level.TOP_SECRET, location="机要室", room=room,
                             active=False)  # retired: no longer stands there
    client.force_login(office)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert (q7_cell(html, room), q7_cell(html, poor)) == ("yes", "no")
    rows = {row["room"].pk: row for row in response.context["rows"]}
    assert rows[room.pk]["room"].container_count == 1
    assert rows[poor.pk]["room"].container_count == 0
    assert len(rows[poor.pk]["shortfalls"]) == 2  # the alarm, and video kept 29 days
    for shortfall in rows[poor.pk]["shortfalls"]:
        assert shortfall in html
    assert response.context["form"].fields["video_retention_days"].max_value == 3660


@pytest.mark.rule("T2")
def test_only_the_office_opens_the_pages(client, unit, room, make_user, sysadmin, secadmin,
                                         auditor):
    other_unit = UnitFactory(name="另一单位", code="OTHER")
    others = [
        make_user("staff", roles=[Role.STAFF], category=Category.CORE),
        make_user("leader", roles=[Role.LEADER], category=Category.CORE),
        make_user("head", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE),
        make_user("officer", roles=[Role.CLASSIFICATION_OFFICER], category=Category.CORE),
        sysadmin, secadmin, auditor]
    for user in others:
        client.force_login(user)
        for url in (LIST, edit_url(room)):
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url, FORM).status_code == 404, (user.username, url)
    other_office = make_user("other_office", roles=[Role.SECRECY_OFFICE], unit=other_unit)
    client.force_login(other_office)  # their own list, without our room
    listing = client.get(LIST)
    assert listing.status_code == 200 and f'data-id="{room.pk}"' not in listing.content.decode()
    assert client.get(edit_url(room)).status_code == 404
    assert client.post(edit_url(room), FORM).status_code == 404
    assert list(SecureRoom.objects.values_list("name", flat=True)) == ["机要室"]
    client.logout()
    assert client.get(LIST).status_code == 302  # to the login page


def test_an_unknown_room_is_a_404(client, office, room):
    client.force_login(office)
    for pk in (0, room.pk + 1000):
        assert client.get(f"/compliance/rooms/{pk}/").status_code == 404


@pytest.mark.rule("Q7")
def test_the_office_registers_a_room(client, unit, office):
    client.force_login(office)
    response = client.post(LIST, {**FORM, "alarm": ""})
    assert response.status_code == 302 and response["Location"] == LIST
    room = SecureRoom.objects.get(unit=unit, name="档案室")
    assert (room.access_control, room.video, room.video_retention_days, room.alarm,
            room.camera_inside) == (True, True, 90, False, False)
    assert q7_cell(client.get(LIST).content.decode(), room) == "no"


@pytest.mark.parametrize(("bad", "field"), [
    ({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"location": ""}, "location"),
    ({"video_retention_days": "-1"}, "video_retention_days"),
    ({"video_retention_days": "3661"}, "video_retention_days"),
    ({"video_retention_days": "三十"}, "video_retention_days"),
    ({"note": "x" * 501}, "note")])
def test_bad_input_is_shown_on_the_form(client, office, bad, field):
    client.force_login(office)
    response = client.post(LIST, {**FORM, **bad})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert rooms_written() == (0, 0)


def test_a_refusal_of_the_service_is_shown_on_the_form_with_its_status(client, office, room):
    client.force_login(office)
    duplicate = client.post(LIST, {**FORM, "name": "机要室"})
    assert duplicate.status_code == 409  # name_exists
    assert duplicate.context["form"].errors["name"]
    control = client.post(LIST, {**FORM, "name": "档案\x01室"})  # the form lets it through
    assert control.status_code == 400
    assert control.context["form"].errors["name"]
    assert SecureRoom.objects.count() == 1


@pytest.mark.rule("Q7")
def test_the_edit_page_shows_the_measures_and_the_containers_in_the_room(
        client, unit, office, room):
    safe = carrier_services.register_container(
        office, unit=unit, number="MX-01", kind=ContainerKind.SAFE, rating=Level.TOP_SECRET,
        location="机要室", room=room)
    carrier_services.register_container(
        office, unit=unit, number="BMG-09", kind=ContainerKind.CABINET, rating=Level.NONSECRET,
        location="走廊")  # stands in no room
    carrier_services.register_carrier(
        office, unit=unit, department=office.person.department, number="ZT-0001",
        title="型号总体方案", kind=CarrierKind.PAPER, scheme=Scheme.STATE,
        level=Level.CONFIDENTIAL, period_kind=PeriodKind.YEARS, period_value=20,
        origin=CarrierOrigin.PRODUCED, received_on=timezone.localdate(),
        custodian=office.person, container=safe, pages=8)
    client.force_login(office)
    response = client.get(edit_url(room))
    assert response.status_code == 200
    assert response.context["form"].initial["video_retention_days"] == 90
    assert [(c.number, c.carrier_count) for c in response.context["containers"].items] == [
        ("MX-01", 1)]
    html = response.content.decode()
    assert 'data-meets-q7="yes"' in html and "BMG-09" not in html


@pytest.mark.rule("Q7")
def test_the_office_edits_a_room_and_errors_stay_on_the_form(client, unit, office, room):
    SecureRoomFactory(unit=unit, name="档案室")
    client.force_login(office)
    response = client.post(edit_url(room), {**FORM, "name": "机要室", "alarm": ""})
    assert response.status_code == 302 and response["Location"] == LIST
    stored = SecureRoom.objects.get(pk=room.pk)
    assert (stored.alarm, stored.location) == (False, "行政楼四层")
    assert q7_cell(client.get(LIST).content.decode(), stored) == "no"

    duplicate = client.post(edit_url(room), {**FORM, "name": "档案室"})
    assert duplicate.status_code == 409
    assert duplicate.context["form"].errors["name"]
    invalid = client.post(edit_url(room), {**FORM, "video_retention_days": "3661"})
    assert invalid.status_code == 400
    assert invalid.context["form"].errors["video_retention_days"]
    assert SecureRoom.objects.get(pk=room.pk).name == "机要室"
    assert AuditEvent.objects.filter(action="SECURE_ROOM_UPDATED").count() == 1
