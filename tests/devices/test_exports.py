"""The device ledger as .xlsx: one family per file (rule D9), every column of the users'
ledgers, only what the user sees (rule L5), audited."""

import json

import pytest

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.devices.choices import DeviceKind

from . import support

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)


@pytest.mark.rule("D9")
def test_the_export_has_one_family_and_every_column(client, people, register_device):
    register_device(number="PC-1", mac="00-1A", level=Level.SECRET)
    register_device(number="PR-1", kind=DeviceKind.PRINTER)
    register_device(number="=cmd()", serial_no="=1+1")
    client.force_login(people["office"])
    response = client.get("/devices/export.xlsx")
    assert response.status_code == 200
    rows = support.sheet_rows(support.streamed(response))
    assert len(rows[0]) == 17
    numbers = [row[0] for row in rows[1:]]
    assert numbers == ["=cmd()", "PC-1"]  # computers only, newest first; text, never formulas
    assert rows[2][7] == "00-1A" and rows[1][4] == "=1+1"
    office = support.sheet_rows(support.streamed(client.get("/devices/export.xlsx?family=office")))
    assert [row[0] for row in office[1:]] == ["PR-1"]
    events = AuditEvent.objects.filter(action="DEVICES_EXPORTED").order_by("seq")
    assert events.count() == 2


@pytest.mark.rule("L5")
def test_the_media_export_holds_only_the_media_the_user_sees(client, people, register_medium):
    register_medium(number="=U-1", level=Level.SECRET, responsible=people["secret"].person)
    register_medium(number="U-2", level=Level.CONFIDENTIAL, kind="optical")
    register_medium(number="U-3", level=Level.TOP_SECRET)
    client.force_login(people["office"])
    response = client.get("/devices/media/export.xlsx")
    assert response.status_code == 200
    rows = support.sheet_rows(support.streamed(response))
    assert len(rows[0]) == 10
    assert [row[0] for row in rows[1:]] == ["U-3", "U-2", "=U-1"]  # newest first, as text
    assert rows[3][7] == "马秘密" and rows[3][5] == "64GB"
    filtered = support.sheet_rows(support.streamed(
        client.get("/devices/media/export.xlsx?kind=optical")))
    assert [row[0] for row in filtered[1:]] == ["U-2"]
    client.force_login(people["secret"])  # responsible for the 秘密 one only
    mine = support.sheet_rows(support.streamed(client.get("/devices/media/export.xlsx")))
    assert [row[0] for row in mine[1:]] == ["=U-1"]
    client.force_login(people["head"])  # 研发一部's head, 核心: all three
    assert len(support.sheet_rows(support.streamed(
        client.get("/devices/media/export.xlsx")))) == 4
    client.force_login(people["office2"])  # another unit: the headers only
    assert len(support.sheet_rows(support.streamed(
        client.get("/devices/media/export.xlsx")))) == 1
    events = AuditEvent.objects.filter(action="MEDIA_EXPORTED").order_by("seq")
    assert [json.loads(e.after)["rows"] for e in events] == [3, 1, 1, 3, 0]
    assert json.loads(events[1].after)["filters"] == {"kind": "optical"}


def test_the_media_list_links_its_export(client, people, register_medium):
    client.force_login(people["secret"])
    page = client.get("/devices/media/?kind=usb&level=1").content.decode()
    assert 'href="/devices/media/export.xlsx?kind=usb&amp;level=1"' in page
