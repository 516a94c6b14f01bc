"""The demo secret items of 华信电子科技研究院: the unit's 定密权限 (机密), items classified
under each scheme with 知悉范围 and knowledge records, a provisional 绝密 item, one waiting
for the 定密责任人, a period change pending, one declassified by decision and an annual
review falling due; a second `baomi demo` adds nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baomi.accounts.models import User
from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.selectors import inbox_for
from baomi.core.calendar import add_working_days, add_years, period_last_day
from baomi.core.labels import Level, Scheme
from baomi.core.policy import policy_of
from baomi.obligations.models import Obligation
from baomi.secrets.choices import ChangeKind, DeclassifiedHow, ItemState, PeriodKind
from baomi.secrets.marks import mark_text
from baomi.secrets.models import Authority, ItemChange, KnowledgeRecord, ScopeEntry, SecretItem
from baomi.secrets.selectors import items_visible_to, scope_of


def item(number):
    return SecretItem.objects.select_related("request", "decider").get(number=number)


def scope_names(found):
    return {entry.person.name if entry.person_id else entry.department.name
            for entry in scope_of(found)}


def counts():
    return [model.objects.count()
            for model in (Authority, SecretItem, ScopeEntry, KnowledgeRecord, ItemChange,
                          Request)]


@pytest.mark.rule("S1")
@pytest.mark.rule("S3")
@pytest.mark.rule("S4")
@pytest.mark.rule("S5")
@pytest.mark.rule("S8")
@pytest.mark.rule("S10")
@pytest.mark.rule("L4")
@pytest.mark.rule("L5")
@pytest.mark.django_db(transaction=True)
def test_demo_secret_items_load_once():
    """One `baomi demo` (the demo runs as a whole, in a few seconds), then every case."""
    call_command("demo", stdout=StringIO())
    first = counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts() == first and first[1] == 8
    assert "secrets: demo secret items already loaded" in out.getvalue()

    check_authority()
    check_classified_item()
    check_knowledge()
    check_work_and_commercial_secrets()
    check_provisional_top_secret()
    check_proposal_in_inbox()
    check_period_change_pending()
    check_declassified_by_decision()
    check_annual_review_due()
    check_visibility()
    check_obligations()


def user(username):
    return User.objects.get(username=username)


def check_authority():
    authority = Authority.objects.get(unit__code="HX-DZ")
    assert (authority.max_level, authority.document) == (Level.CONFIDENTIAL, "国保发〔2023〕12号")
    assert user("dingmi").has_role(Role.CLASSIFICATION_OFFICER)


def check_classified_item():
    task_book = item("HXDZ-DM-001")
    assert (task_book.state, task_book.level) == (ItemState.DETERMINED, Level.CONFIDENTIAL)
    assert task_book.decider == user("dingmi")
    assert task_book.expires_on == period_last_day(task_book.issued_on, 20 * 12)  # rule S2
    assert scope_names(task_book) == {"张伟", "郭婷", "孙立新"}  # 张伟 is the 承办人
    history = set(task_book.changes.values_list("kind", flat=True))
    assert history == {ChangeKind.DETERMINED}


def check_knowledge():
    for number, people in (("HXDZ-DM-001", {"郭婷", "孙立新", "张伟"}),
                           ("HXDZ-DM-002", {"林海峰", "郭婷"})):
        found = item(number)
        # the secrets demo's own records; the carriers demos add those of copies and loans
        records = found.knowledge.select_related("person", "approved_by").exclude(
            source__startswith="复制载体").exclude(source__startswith="借阅载体")
        assert {record.person.name for record in records} == people
        assert {record.approved_by.username for record in records} == {"lingdao"}
        assert all(record.known_on >= found.decided_on for record in records)


def check_work_and_commercial_secrets():
    inspection, customers = item("HXDZ-DM-003"), item("HXDZ-DM-004")
    assert (inspection.scheme, inspection.level, inspection.state) == (
        Scheme.WORK, Level.SECRET, ItemState.DETERMINED)
    assert "保密办公室" in scope_names(inspection)  # a department in the 知悉范围
    assert (customers.scheme, customers.level, customers.state) == (
        Scheme.COMMERCIAL, Level.CONFIDENTIAL, ItemState.DETERMINED)
    assert mark_text(customers.scheme, customers.level, customers.period_kind,
                     customers.period_value) == "核心商密★5年"
    assert mark_text(inspection.scheme, inspection.level, inspection.period_kind,
                     inspection.period_value, inspection.declassify_condition
                     ) == "工作秘密★检查结束并通报结果后"  # rule S9


def check_provisional_top_secret():
    provisional = item("HXDZ-DM-005")
    assert (provisional.level, provisional.state) == (Level.TOP_SECRET, ItemState.PROVISIONAL)
    assert provisional.period_kind == PeriodKind.LONG_TERM
    assert provisional.declassify_condition  # rule S9: 绝密★长期 only with a condition
    assert provisional.request is None and provisional.decider is None
    days = int(policy_of(provisional.unit)["secrets.provisional_decision_working_days"])
    assert days == 10
    assert provisional.provisional_due_on == add_working_days(
        timezone.localtime(provisional.created_at).date(), days).date


def check_proposal_in_inbox():
    proposed = item("HXDZ-DM-006")
    assert proposed.state == ItemState.PROPOSED
    assert proposed.request.state == RequestState.PENDING
    assert proposed.request.current_role == Role.CLASSIFICATION_OFFICER
    assert inbox_for(user("dingmi")).filter(pk=proposed.request_id).exists()


def check_period_change_pending():
    outsourcing = item("HXDZ-DM-007")
    assert (outsourcing.state, outsourcing.period_value) == (ItemState.DETERMINED, 5)
    change = Request.objects.get(request_type="secret_change", payload__item_id=outsourcing.pk)
    assert change.state == RequestState.PENDING
    assert (change.payload["kind"], change.payload["period_value"]) == (ChangeKind.PERIOD, 10)
    assert change.requester == user("yuangong")  # the 承办人
    assert inbox_for(user("dingmi")).filter(pk=change.pk).exists()
    assert scope_names(outsourcing) == {"周敏", "研发一部"}


def check_declassified_by_decision():
    bid = item("HXDZ-DM-008")
    today = timezone.localdate()
    assert bid.state == ItemState.DECLASSIFIED
    assert (bid.declassified_how, bid.declassified_on) == (DeclassifiedHow.DECISION, today)
    assert bid.decided_on == today - datetime.timedelta(days=120)
    change = bid.changes.get(kind=ChangeKind.DECLASSIFY)
    assert change.decided_by == user("dingmi") and change.reason
    assert change.request.state == RequestState.APPROVED


def check_annual_review_due():
    radar = item("HXDZ-DM-002")
    today = timezone.localdate()
    assert radar.state == ItemState.DETERMINED and radar.last_reviewed_on is None
    due = add_years(radar.decided_on, 1)
    notice = int(policy_of(radar.unit)["secrets.review_notice_days"])
    assert today < due <= today + datetime.timedelta(days=notice)
    assert radar.issued_on < radar.decided_on
    # its history and request read the back-dated decision
    assert radar.changes.get(kind=ChangeKind.DETERMINED).decided_on == radar.decided_on
    assert timezone.localtime(radar.request.decided_at).date() == radar.decided_on
    # every other classified item was decided recently: nothing else is due
    others = SecretItem.objects.filter(state=ItemState.DETERMINED).exclude(pk=radar.pk)
    assert all(add_years(other.decided_on, 1) > today + datetime.timedelta(days=notice)
               for other in others)


def check_visibility():
    def numbers(username):
        return set(items_visible_to(user(username)).values_list("number", flat=True))

    assert len(numbers("baomiban")) == 8  # 保密办, cleared 绝密
    # 机密: the 定密责任人 sees every item of the unit but the 绝密 one
    assert numbers("dingmi") == {f"HXDZ-DM-00{n}" for n in range(1, 9)} - {"HXDZ-DM-005"}
    # 周敏 (秘密) sees what they proposed and what their department is in, no 机密 item
    assert numbers("yuangong") == {"HXDZ-DM-006", "HXDZ-DM-007"}
    assert numbers("xitong") == set()  # rule T2


def check_obligations():
    """The sweep of `baomi demo` opened the provisional decision (rule S3) and the one annual
    review falling due (rule S5, for the 定密责任人 who decided it)."""
    open_ = Obligation.objects.filter(subject_type="secrets.secretitem",
                                      state=Obligation.State.OPEN)
    assert set(open_.values_list("rule_code", "subject_id")) == {
        ("secrets.provisional_decision", item("HXDZ-DM-005").pk),
        ("secrets.annual_review", item("HXDZ-DM-002").pk),
    }
    review = open_.get(rule_code="secrets.annual_review")
    assert review.responsible == user("dingmi") and review.level == Level.CONFIDENTIAL
