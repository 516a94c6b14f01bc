"""The demo exits (rules P10–P14): one awaiting the unit leader, one 离职 in the 脱密期 with
every formality and two visits, one 离岗 with a visit overdue and formalities missing, and
one released person; a second `baomi demo` adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.obligations.models import Obligation
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.models import ExitCase
from baomi.personnel.services.exit import missing_formalities


def exit_of(name):
    return ExitCase.objects.select_related("file", "request").get(file__person__name=name)


@pytest.mark.rule("P10")
@pytest.mark.django_db(transaction=True)
def test_demo_exits_load_once():
    call_command("demo", stdout=StringIO())
    today = timezone.localdate()
    assert ExitCase.objects.count() == 4

    pending = exit_of("杨帆")
    assert (pending.state, pending.file.state) == (ExitState.PENDING, FileState.LEAVING)
    assert pending.request.state == RequestState.PENDING
    assert pending.request.current_role == Role.LEADER  # in lingdao's inbox
    leader = User.objects.get(username="lingdao")
    assert leader.has_role(Role.LEADER)

    teaching = exit_of("徐志远")
    assert (teaching.kind, teaching.file.state) == (ExitKind.LEAVE_UNIT,
                                                    FileState.DECLASSIFYING)
    assert teaching.approved_on < today and missing_formalities(teaching) == []
    assert teaching.visits.count() == 2 and teaching.next_visit_due_on > today

    moved = exit_of("赵雅琴")
    assert (moved.kind, moved.file.state) == (ExitKind.LEAVE_POST, FileState.DECLASSIFYING)
    assert moved.next_visit_due_on < today and len(missing_formalities(moved)) == 2

    retired = exit_of("吴建国")
    assert retired.file.state == FileState.RELEASED
    assert retired.ends_on < retired.filing_withdrawn_on <= today
    assert retired.visits.count() == 3

    # the sweep of `baomi demo` opened the obligations of the declassification period
    open_rules = set(Obligation.objects.filter(subject_type="personnel.exitcase",
                                               state="open")
                     .values_list("rule_code", "subject_id"))
    assert ("personnel.declassification_visit", moved.pk) in open_rules
    assert ("personnel.exit_formalities", moved.pk) in open_rules
    assert ("personnel.exit_formalities", teaching.pk) not in open_rules

    call_command("demo", stdout=StringIO())
    assert ExitCase.objects.count() == 4
