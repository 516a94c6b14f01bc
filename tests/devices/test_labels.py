"""Level labels with a QR code (rules D1, D4): one device, the filtered ledger, one medium."""

import io

import pytest
from docx import Document

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.devices.labels import label_payload, level_mark

from . import support

people, yf1, other_unit, register_device, register_medium = (
    support.people, support.yf1, support.other_unit, support.register_device,
    support.register_medium)


@pytest.mark.rule("D1")
def test_a_device_label_carries_its_level_number_and_qr(client, people, register_device):
    device = register_device(number="HX:SB-001", level=Level.CONFIDENTIAL)
    assert label_payload(device) == "BAOMI-SB:DEMO-T:HX%3ASB-001"
    assert level_mark(device) == "机密"
    client.force_login(people["office"])
    response = client.get(f"/devices/{device.pk}/label.docx")
    assert response.status_code == 200
    text = support.docx_text(response.content)
    assert "机密" in text and "HX:SB-001" in text and "郭绝密" in text
    assert "BAOMI-SB:DEMO-T:HX%3ASB-001" in text
    assert len(Document(io.BytesIO(response.content)).inline_shapes) == 1  # the QR code
    assert AuditEvent.objects.filter(action="DEVICES_EXPORTED").count() == 1


@pytest.mark.rule("D4")
def test_labels_of_the_filtered_ledger_and_of_a_medium(client, people, register_device,
                                                       register_medium):
    register_device(number="PC-1", level=Level.SECRET)
    register_device(number="PC-2", level=Level.CONFIDENTIAL)
    medium = register_medium(number="U-1", level=Level.NONSECRET,
                             responsible=people["none"].person)
    client.force_login(people["office"])
    response = client.get(f"/devices/labels.docx?level={int(Level.SECRET)}")
    text = support.docx_text(response.content)
    assert "PC-1" in text and "PC-2" not in text
    response = client.get(f"/devices/media/{medium.pk}/label.docx")
    text = support.docx_text(response.content)
    assert "非密" in text and "BAOMI-JZ:DEMO-T:U-1" in text
