"""The demo checks (rules D3, D11): passed and signed checks, an item rectified and verified,
one open past its due day, a wireless card recorded as a suspected leak, a computer never
checked — and the obligations the sweep of `baomi demo` opens for them; a second load adds
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.compliance.models import Incident
from baomi.devices import services
from baomi.devices.choices import FindingState
from baomi.devices.models import CheckFinding, Device, DeviceCheck
from baomi.obligations.models import Obligation


def open_subjects(code):
    return set(Obligation.objects.filter(rule_code=code, state="open")
               .values_list("subject_id", flat=True))


@pytest.mark.rule("D11")
@pytest.mark.django_db(transaction=True)
def test_demo_checks_load_once():
    call_command("demo", stdout=StringIO())
    checks = DeviceCheck.objects.select_related("device")
    assert checks.count() >= 4
    signed = [check for check in checks if services.is_signed(check)]
    assert sum(check.passed for check in signed) >= 2
    assert CheckFinding.objects.filter(state=FindingState.VERIFIED).count() == 1
    overdue = CheckFinding.objects.get(state=FindingState.OPEN,
                                       check_record__device__number="HXDZ-JSJ-003")
    assert overdue.pk in open_subjects("devices.finding_overdue")
    wireless = DeviceCheck.objects.get(no_wireless=False)
    assert Incident.objects.get(source_type="devices.devicecheck").source_id == wireless.pk
    never = Device.objects.get(number="HXDZ-ZJJ-001")
    assert not never.checks.exists() and never.pk in open_subjects("devices.check_due")
    assert open_subjects("devices.check_unsigned")
    count = checks.count()
    call_command("demo", stdout=StringIO())
    assert DeviceCheck.objects.count() == count
