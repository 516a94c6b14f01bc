"""The demo media in use (rule D4): bindings that follow the rule, one check-out out, one
overdue (its obligation open after the sweep of `baomi demo`), one returned with its data
cleared; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from baomi.audit.models import AuditEvent
from baomi.devices import demo_media
from baomi.devices.choices import ContentCheck, MediumLoanState, MediumState
from baomi.devices.models import MediumBinding, MediumLoan
from baomi.devices.services import binding_refusal
from baomi.obligations.models import Obligation


@pytest.mark.rule("D4")
@pytest.mark.django_db(transaction=True)
def test_demo_media_load_once_and_follow_the_rule():
    out = StringIO()
    call_command("demo", stdout=out)
    bindings = MediumBinding.objects.select_related("medium", "device")
    assert bindings.count() == sum(len(pair) for pair in demo_media.BINDINGS.values())
    assert all(binding_refusal(b.medium, b.device) is None for b in bindings)
    loans = {loan.medium.number: loan for loan in MediumLoan.objects.select_related(
        "medium", "person")}
    out_now = loans[demo_media.OUT[0]]
    assert (out_now.state, out_now.medium.state) == (MediumLoanState.OUT, MediumState.OUT)
    assert not out_now.due_on < out_now.out_at.date()
    late = loans[demo_media.OVERDUE[0]]
    assert late.state == MediumLoanState.OUT and late.person.name == "高雪"
    assert Obligation.objects.filter(rule_code="devices.medium_overdue", subject_id=late.pk,
                                     state="open").exists()
    assert not Obligation.objects.filter(rule_code="devices.medium_overdue",
                                         subject_id=out_now.pk).exists()
    back = loans[demo_media.RETURNED[0]]
    assert (back.state, back.content_check) == (MediumLoanState.RETURNED, ContentCheck.CLEARED)
    assert back.medium.state == MediumState.IN_STORE and back.content_note
    events = AuditEvent.objects.filter(action__startswith="MEDIUM_").count()
    call_command("demo", stdout=StringIO())
    assert MediumBinding.objects.count() == bindings.count() and MediumLoan.objects.count() == 3
    assert AuditEvent.objects.filter(action__startswith="MEDIUM_").count() == events
    assert "media bindings" in out.getvalue()
