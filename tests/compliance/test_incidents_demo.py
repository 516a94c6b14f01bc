"""The demo leak incidents (rules I1, I2): a suspected leak reported by a staff member in time
and closed, a leak reported late still under investigation; the C8 and D3 incidents stay
unreported so `compliance.incident_report_due` shows; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.compliance.choices import IncidentState
from baomi.compliance.demo_incidents import MAIL_TITLE, PHONE_TITLE
from baomi.compliance.models import Incident, IncidentMeasure
from baomi.obligations.models import Obligation


def open_subjects(code):
    return set(Obligation.objects.filter(rule_code=code, state="open")
               .values_list("subject_id", flat=True))


@pytest.mark.rule("I2")
@pytest.mark.django_db(transaction=True)
def test_demo_incidents_load_once():
    call_command("demo", stdout=StringIO())
    phone = Incident.objects.get(title=PHONE_TITLE)
    assert phone.state == IncidentState.CLOSED and not phone.reported_late
    assert phone.created_by.username == "yuangong" and phone.measures.count() == 2
    mail = Incident.objects.get(title=MAIL_TITLE)
    assert mail.state == IncidentState.INVESTIGATING and mail.reported_late
    assert (bool(mail.cause), bool(mail.responsibility), mail.rectification,
            mail.education) == (True, True, "", "")
    assert mail.pk in open_subjects("compliance.incident_open")
    sourced = Incident.objects.filter(source_type__in=["carriers.carrier",
                                                        "devices.devicecheck"])
    assert sourced.exists() and all(i.state == IncidentState.OPEN for i in sourced)
    assert set(sourced.values_list("pk", flat=True)) <= open_subjects(
        "compliance.incident_report_due")
    counts = Incident.objects.count(), IncidentMeasure.objects.count()
    call_command("demo", stdout=StringIO())
    assert (Incident.objects.count(), IncidentMeasure.objects.count()) == counts
