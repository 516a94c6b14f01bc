"""The demo password changes (rule D6): every classified device in use has one recorded,
one is overdue and its obligation is open after the sweep of `baomi demo`; a second load
adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.devices.choices import DeviceState
from baomi.devices.models import Device
from baomi.obligations.models import Obligation


@pytest.mark.rule("D6")
@pytest.mark.django_db(transaction=True)
def test_demo_password_changes_load_once_one_overdue():
    call_command("demo", stdout=StringIO())
    classified = Device.objects.filter(level__gt=Level.NONSECRET, state=DeviceState.IN_USE)
    assert classified.exists()
    assert not classified.filter(password_changed_on__isnull=True).exists()
    due = Obligation.objects.filter(rule_code="devices.password_change_due", state="open")
    assert [Device.objects.get(pk=o.subject_id).number for o in due] == ["HXDZ-JSJ-003"]
    events = AuditEvent.objects.filter(action="DEVICE_PASSWORD_CHANGED").count()
    assert events == classified.count()
    call_command("demo", stdout=StringIO())
    assert AuditEvent.objects.filter(action="DEVICE_PASSWORD_CHANGED").count() == events
