"""The demo 保密委员会 (rule Q1): chaired by the legal representative, a deputy, the head of the
保密办 and four members; two meetings last year, one this year — so the sweep of `baomi demo`
opens `compliance.committee_meetings` from the start of Q4; a second load adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.compliance.models import Committee, CommitteeMeeting, CommitteeMember
from baomi.compliance.selectors_org import committee_summary, current_members
from baomi.obligations.models import Obligation


@pytest.mark.rule("Q1")
@pytest.mark.django_db(transaction=True)
def test_demo_committee_loads_once():
    call_command("demo", stdout=StringIO())
    committee = Committee.objects.get(unit__code="HX-DZ", active=True)
    assert (committee.established_on.isoformat(), committee.document_number,
            committee.legal_representative) == ("2021-03-15", "华信研〔2021〕12号", "陈建华")
    members = current_members(committee)
    assert [(m.name, m.position) for m in members[:3]] == [
        ("陈建华", "chair"), ("周建国", "deputy"), ("刘晓燕", "office_head")]
    assert members[0].user.username == "lingdao" and members[0].is_legal_representative
    assert sum(m.position == "member" for m in members) == 4 and all(m.duties for m in members)
    today = timezone.localdate()
    last_year = committee_summary(committee.unit, today.year - 1)
    assert last_year["meetings_held"] == 2 and last_year["meets_requirement"]
    this_year = committee_summary(committee.unit, today.year)
    assert this_year["meetings_held"] == (1 if today.month > 4 else 0)
    opened = Obligation.objects.filter(rule_code="compliance.committee_meetings", state="open",
                                       subject_id=committee.pk).exists()
    assert opened == (today.month >= 10)
    counts = (Committee.objects.count(), CommitteeMember.objects.count(),
              CommitteeMeeting.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Committee.objects.count(), CommitteeMember.objects.count(),
            CommitteeMeeting.objects.count()) == counts
