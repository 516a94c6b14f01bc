"""`baomi demo` loads the demo group and is idempotent (make run runs it on every start)."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.accounts.models import Person, User
from baomi.approvals.models import Request
from baomi.audit.models import AuditEvent
from baomi.audit.verify import verify_chain
from baomi.personnel.models import PersonnelFile


def counts():
    return [model.objects.count() for model in (Person, User, PersonnelFile, Request)]


@pytest.mark.django_db(transaction=True)
def test_demo_loads_and_a_second_run_changes_nothing():
    out = StringIO()
    call_command("demo", stdout=out)
    first = counts()
    assert first[0] > 20 and first[1] >= 10 and first[2] > 10 and first[3] > 4
    assert "baomiban" in out.getvalue()
    events = AuditEvent.objects.count()
    call_command("demo", stdout=StringIO())
    assert counts() == first
    assert AuditEvent.objects.filter(action="SWEEP_RUN").count() == 2  # only the sweep reran
    assert AuditEvent.objects.count() == events + 1
    assert verify_chain().ok
