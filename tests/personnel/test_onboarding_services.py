"""Onboarding services: 保密审查 through approvals (P2), 复审 dates (P6), 先培训后上岗 (P3),
training (P4) and commitments (P3, P5)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.services import decide, withdraw_request
from baomi.audit.models import AuditEvent
from baomi.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory
from baomi.personnel.choices import (
    CommitmentKind,
    ExamResult,
    FileState,
    ReviewKind,
    ReviewOutcome,
)
from baomi.personnel.services import onboarding as services

from . import onboarding_support as support
from .onboarding_support import FORM, approve_all, commit, reviewed, train

# The shared fixtures of onboarding_support.
make_file, people, proposed, yf1 = (support.make_file, support.people,
                                      support.proposed, support.yf1)

TODAY = timezone.localdate


# --- P2: the review through the approvals engine -------------------------------------------
@pytest.mark.rule("P2")
def test_start_review_files_the_request_for_the_persons_department(proposed, people, yf1):
    review = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                   form=FORM, level=Level.SECRET)
    proposed.refresh_from_db()
    assert proposed.state == FileState.REVIEWING
    request = review.request
    assert request.request_type == "personnel_review" and request.state == RequestState.PENDING
    assert request.current_role == Role.DEPARTMENT_HEAD
    # The 部门负责人 step belongs to the head of the reviewed person's department.
    assert request.department_id == yf1.pk and request.requester_id == people["office"].pk
    assert request.payload["review_id"] == review.pk and request.level == Level.SECRET
    assert list(request.steps.values_list("role", flat=True)) == [
        Role.DEPARTMENT_HEAD, Role.SECRECY_OFFICE, Role.LEADER]
    assert review.form["history"][1] == {"from": "2010-07", "to": "", "unit": "示范单位",
                                         "role": "工程师"}
    assert AuditEvent.objects.filter(action="PERSONNEL_REVIEW_STARTED").count() == 1


@pytest.mark.rule("P2")
def test_approved_review_moves_the_file_to_training(proposed, people):
    review = reviewed(proposed, people)
    assert review.outcome == ReviewOutcome.PASSED and review.decided_on == TODAY()
    assert proposed.state == FileState.TRAINING
    assert proposed.last_review_on == TODAY()
    assert AuditEvent.objects.filter(action="PERSONNEL_REVIEW_PASSED").count() == 1


@pytest.mark.rule("P2")
def test_rejected_review_fails_the_file_and_a_new_review_may_follow(proposed, people):
    review = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                   form=FORM, level=Level.SECRET)
    request = decide(people["head"], review.request, "approve")
    decide(people["office2"], request, "reject", comment="有未申报的境外关系")
    review.refresh_from_db()
    proposed.refresh_from_db()
    assert review.outcome == ReviewOutcome.FAILED
    assert proposed.state == FileState.REVIEW_FAILED
    again = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                  form=FORM, level=Level.SECRET)
    proposed.refresh_from_db()
    assert proposed.state == FileState.REVIEWING and again.pk != review.pk


@pytest.mark.rule("P2")
def test_one_open_review_at_a_time_and_a_withdrawn_one_is_void(proposed, people):
    review = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                   form=FORM, level=Level.SECRET)
    with pytest.raises(Conflict) as caught:
        services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                              level=Level.SECRET)
    assert caught.value.code == "review_pending"
    withdraw_request(people["office"], review.request, reason="表格填错")
    proposed.refresh_from_db()
    assert proposed.state == FileState.REVIEWING
    services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                          level=Level.SECRET)
    assert proposed.reviews.count() == 2


@pytest.mark.rule("P2")
def test_returned_review_can_be_resubmitted_and_approved(proposed, people):
    review = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                   form=FORM, level=Level.SECRET)
    request = decide(people["head"], review.request, "return", comment="补充学习经历")
    # The 部门负责人 step stays with the reviewed person's department, not the 保密办's own.
    assert request.department_id == proposed.person.department_id
    changed = {**FORM, "conduct": "表现良好，补充了学习经历。"}
    services.resubmit_review(people["office"], review, form=changed)
    with pytest.raises(Conflict):
        services.resubmit_review(people["office"], review)
    review.refresh_from_db()
    request = review.request
    assert review.form["conduct"] == changed["conduct"] and request.round == 2
    assert request.department_id == proposed.person.department_id
    for name in ("head", "office2", "leader"):
        request = decide(people[name], request, "approve")
    proposed.refresh_from_db()
    assert proposed.state == FileState.TRAINING


@pytest.mark.rule("P2")
def test_review_form_errors_name_each_field(proposed, people):
    form = {**FORM, "personal_history": " ", "family": [{"relation": "父亲", "name": ""}],
            "history": [{"from": "2010/07", "unit": "某厂"},
                        {"from": "2012-01", "to": "2011-01", "unit": "某所"}],
            "relatives_abroad": True}
    with pytest.raises(InvalidInput) as caught:
        services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=form,
                              level=Level.SECRET)
    fields = caught.value.fields
    assert {"personal_history", "family.0.name", "history.0.from", "history.1"} <= set(fields)
    proposed.refresh_from_db()
    assert proposed.state == FileState.PROPOSED and not proposed.reviews.exists()


@pytest.mark.rule("P2")
def test_relatives_abroad_need_a_description(proposed, people):
    form = {**FORM, "family": [{"relation": "姐姐", "name": "李某", "overseas": True}]}
    with pytest.raises(InvalidInput) as caught:
        services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=form,
                              level=Level.SECRET)
    assert set(caught.value.fields) == {"overseas_ties"}
    form["overseas_ties"] = "姐姐定居加拿大，每年通话。"
    review = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                   form=form, level=Level.SECRET)
    assert review.form["relatives_abroad"] is True


@pytest.mark.parametrize("bad", [None, [], {"personal_history": "x", "conduct": "y",
                                            "unknown": 1},
                                 {**FORM, "conduct": "a\x00b"}, {**FORM, "family": "x"},
                                 {**FORM, "family": [FORM["family"][0]] * 31}])
def test_review_form_refuses_malformed_input(proposed, people, bad):
    with pytest.raises(InvalidInput):
        services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=bad,
                              level=Level.SECRET)


def test_review_kind_and_level_are_checked(proposed, people):
    with pytest.raises(InvalidInput):
        services.start_review(people["office"], proposed, kind="x", form=FORM, level=1)
    with pytest.raises(InvalidInput):
        services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                              level=Level.NONSECRET)


def test_only_the_units_secrecy_office_files_reviews(proposed, people, make_user):
    other = make_user("other", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                      unit=UnitFactory(code="OTHER"))
    with pytest.raises(NotFound):
        services.start_review(other, proposed, kind=ReviewKind.INITIAL, form=FORM,
                              level=Level.SECRET)
    # The department head sees the file but does not manage it.
    with pytest.raises(AccessDenied):
        services.start_review(people["head"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                              level=Level.SECRET)
    with pytest.raises(NotFound):
        services.record_training(other, proposed.person, course="c", held_on=TODAY(), hours=2)
    with pytest.raises(NotFound):
        services.start_in_post(other, proposed, since=TODAY())


# --- P6: 复审 ------------------------------------------------------------------------------
@pytest.mark.rule("P6")
@pytest.mark.parametrize(("category", "years"), [
    (Category.CORE, 1), (Category.IMPORTANT, 3), (Category.GENERAL, 5)])
def test_rereview_due_by_category_from_the_decision_date(make_file, people, category, years):
    file = make_file(category=category)
    reviewed(file, people)
    today = TODAY()
    assert file.rereview_due_on == services.add_years(today, years)
    assert file.rereview_due_on.year == today.year + years


@pytest.mark.rule("P6")
def test_rereview_period_follows_the_unit_policy(make_file, people, unit):
    unit.policy_overrides = {"personnel.rereview_years.general": 2}
    unit.save()
    file = make_file(category=Category.GENERAL)
    reviewed(file, people)
    assert file.rereview_due_on == services.add_years(TODAY(), 2)


@pytest.mark.rule("P6")
def test_add_years_on_29_february():
    assert services.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert services.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.rule("P6")
def test_periodic_rereview_keeps_the_person_in_post(make_file, people):
    file = make_file(category=Category.IMPORTANT, state=FileState.IN_POST,
                     in_post_since=date(2020, 1, 1), rereview_due_on=TODAY())
    with pytest.raises(InvalidInput):
        services.start_rereview(people["office"], file, form=FORM, kind=ReviewKind.INITIAL)
    review = services.start_rereview(people["office"], file, form=FORM)
    file.refresh_from_db()
    assert review.kind == ReviewKind.PERIODIC and review.level == Level.CONFIDENTIAL
    assert file.state == FileState.IN_POST
    approve_all(review, people)
    file.refresh_from_db()
    assert file.state == FileState.IN_POST and file.last_review_on == TODAY()
    assert file.rereview_due_on == services.add_years(TODAY(), 3)


@pytest.mark.rule("P6")
def test_failed_rereview_takes_the_person_out_of_post(make_file, people):
    file = make_file(state=FileState.IN_POST, in_post_since=date(2020, 1, 1))
    review = services.start_rereview(people["office"], file, form=FORM,
                                     kind=ReviewKind.CHANGE)
    decide(people["head"], review.request, "reject", comment="不再适合涉密岗位")
    file.refresh_from_db()
    assert file.state == FileState.REVIEW_FAILED


def test_rereview_needs_a_person_in_post(proposed, people):
    with pytest.raises(Conflict):
        services.start_rereview(people["office"], proposed, form=FORM)


def test_initial_review_refused_for_a_person_in_post(make_file, people):
    file = make_file(state=FileState.IN_POST)
    with pytest.raises(Conflict):
        services.start_review(people["office"], file, kind=ReviewKind.INITIAL, form=FORM,
                              level=Level.SECRET)


# --- P3: 先培训后上岗 ------------------------------------------------------------------------
@pytest.fixture
def ready(proposed, people):
    """A file after a passed review, with training and a signed commitment."""
    reviewed(proposed, people)
    train(proposed.person, held_on=TODAY() - timedelta(days=3))
    commit(proposed.person, signed_on=TODAY() - timedelta(days=2), year=TODAY().year)
    return proposed


@pytest.mark.rule("P3")
def test_start_in_post_when_everything_is_done(ready, people):
    since = TODAY() - timedelta(days=1)
    type(ready.person).objects.filter(pk=ready.person_id).update(category=0)  # not cleared yet
    services.start_in_post(people["office"], ready, since=since)
    ready.refresh_from_db()
    ready.person.refresh_from_db()
    assert ready.person.category == ready.category > 0  # cleared from 上岗 on
    assert ready.state == FileState.IN_POST and ready.in_post_since == since
    assert ready.rereview_due_on == services.add_years(ready.last_review_on, 5)
    assert AuditEvent.objects.filter(action="PERSONNEL_IN_POST_STARTED").count() == 1


@pytest.mark.rule("P3")
def test_start_in_post_refused_without_review(proposed, people):
    train(proposed.person, held_on=TODAY())
    commit(proposed.person, signed_on=TODAY(), year=TODAY().year)
    with pytest.raises(RuleViolation) as caught:
        services.start_in_post(people["office"], proposed, since=TODAY())
    assert caught.value.code == "not_ready" and caught.value.rule == "P3"
    assert set(caught.value.fields) == {"review"}
    assert caught.value.fields["review"] in caught.value.message


@pytest.mark.rule("P3")
@pytest.mark.parametrize("missing", ["training", "commitment", "both"])
def test_start_in_post_refused_naming_what_is_missing(proposed, people, missing):
    reviewed(proposed, people)
    if missing != "training" and missing != "both":
        train(proposed.person, held_on=TODAY())
    if missing == "training":
        commit(proposed.person, signed_on=TODAY(), year=TODAY().year)
    expected = {"training", "commitment"} if missing == "both" else {missing}
    with pytest.raises(RuleViolation) as caught:
        services.start_in_post(people["office"], proposed, since=TODAY())
    assert caught.value.code == "not_ready" and set(caught.value.fields) == expected
    for text in caught.value.fields.values():
        assert text in caught.value.message
    proposed.refresh_from_db()
    assert proposed.state == FileState.TRAINING


@pytest.mark.rule("P3")
def test_training_and_commitment_count_only_on_or_before_the_start(proposed, people):
    reviewed(proposed, people)
    day = TODAY() - timedelta(days=5)
    train(proposed.person, held_on=day + timedelta(days=1))
    commit(proposed.person, signed_on=day + timedelta(days=1), year=day.year)
    with pytest.raises(RuleViolation) as caught:
        services.start_in_post(people["office"], proposed, since=day)
    assert set(caught.value.fields) == {"training", "commitment"}
    services.start_in_post(people["office"], proposed, since=day + timedelta(days=1))


@pytest.mark.rule("P3")
def test_failed_exam_and_responsibility_letter_do_not_count(proposed, people):
    reviewed(proposed, people)
    train(proposed.person, held_on=TODAY(), exam=ExamResult.FAILED)
    commit(proposed.person, kind=CommitmentKind.RESPONSIBILITY, signed_on=TODAY(),
           year=TODAY().year)
    with pytest.raises(RuleViolation) as caught:
        services.start_in_post(people["office"], proposed, since=TODAY())
    assert set(caught.value.fields) == {"training", "commitment"}
    train(proposed.person, held_on=TODAY(), exam=ExamResult.NOT_EXAMINED)
    commit(proposed.person, signed_on=TODAY(), year=TODAY().year)
    services.start_in_post(people["office"], proposed, since=TODAY())


def test_start_in_post_twice_is_a_conflict(ready, people):
    services.start_in_post(people["office"], ready, since=TODAY())
    with pytest.raises(Conflict):
        services.start_in_post(people["office"], ready, since=TODAY())


def test_start_in_post_not_in_the_future(ready, people):
    with pytest.raises(InvalidInput):
        services.start_in_post(people["office"], ready, since=TODAY() + timedelta(days=1))


# --- P4, P5: training and commitments -------------------------------------------------------
@pytest.mark.rule("P4")
def test_record_training(proposed, people):
    record = services.record_training(people["office"], proposed.person, course="保密形势教育",
                                      held_on=TODAY(), hours="2.5",
                                      exam_result=ExamResult.PASSED, score=92)
    assert str(record.hours) == "2.5" and record.recorded_by == people["office"]
    assert AuditEvent.objects.filter(action="PERSONNEL_TRAINING_RECORDED").count() == 1


@pytest.mark.rule("P4")
@pytest.mark.parametrize(("hours", "ok"), [
    ("0", False), ("0.1", True), ("100", True), ("100.1", False), ("1.25", False),
    ("abc", False), (True, False), ("NaN", False), ("-1", False)])
def test_training_hours_bounds(proposed, people, hours, ok):
    call = lambda: services.record_training(  # noqa: E731
        people["office"], proposed.person, course="c", held_on=TODAY(), hours=hours)
    if ok:
        call()
    else:
        with pytest.raises(InvalidInput):
            call()


@pytest.mark.parametrize("kwargs", [
    {"held_on": "2026-01-01"}, {"exam_result": "maybe"}, {"score": 101},
    {"score": 80, "exam_result": ExamResult.NOT_EXAMINED}, {"course": ""},
])
def test_record_training_refuses_bad_input(proposed, people, kwargs):
    values = {"course": "c", "held_on": TODAY(), "hours": 2, "exam_result": ExamResult.PASSED,
              **kwargs}
    with pytest.raises(InvalidInput):
        services.record_training(people["office"], proposed.person, **values)
    with pytest.raises(InvalidInput):
        services.record_training(people["office"], proposed.person, course="c",
                                 held_on=TODAY() + timedelta(days=1), hours=2)


@pytest.mark.rule("P5")
def test_commitment_once_per_kind_and_year(proposed, people):
    year = TODAY().year
    services.record_commitment(people["office"], proposed.person,
                               kind=CommitmentKind.RESPONSIBILITY, year=year,
                               signed_on=TODAY(), text_version="2026-1")
    with pytest.raises(Conflict) as caught:
        services.record_commitment(people["office"], proposed.person,
                                   kind=CommitmentKind.RESPONSIBILITY, year=year,
                                   signed_on=TODAY(), text_version="2026-1")
    assert caught.value.code == "already_signed"
    services.record_commitment(people["office"], proposed.person,
                               kind=CommitmentKind.COMMITMENT, year=year,
                               signed_on=TODAY(), text_version="2026-1")
    assert AuditEvent.objects.filter(action="PERSONNEL_COMMITMENT_RECORDED").count() == 2


def test_commitment_year_near_the_signing(proposed, people):
    with pytest.raises(InvalidInput):
        services.record_commitment(people["office"], proposed.person,
                                   kind=CommitmentKind.RESPONSIBILITY,
                                   year=TODAY().year - 2, signed_on=TODAY(),
                                   text_version="v")


# --- attachments ----------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_attachment_is_stored_and_limited(proposed, people, media, monkeypatch):
    review = services.start_review(people["office"], proposed, kind=ReviewKind.INITIAL,
                                   form=FORM, level=Level.SECRET)
    upload = SimpleUploadedFile("家庭成员表.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = services.add_review_attachment(people["office"], review, title="家庭成员及社会关系表",
                                                uploaded_file=upload)
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4 test"
    with pytest.raises(InvalidInput) as caught:
        services.add_review_attachment(people["office"], review, title="x",
                                       uploaded_file=SimpleUploadedFile("a.exe", b"MZ"))
    assert caught.value.code == "file_type"
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 4)
    with pytest.raises(InvalidInput) as caught:
        services.add_review_attachment(people["office"], review, title="x",
                                       uploaded_file=SimpleUploadedFile("a.pdf", b"12345"))
    assert caught.value.code == "too_large"
    with pytest.raises(AccessDenied):
        services.add_review_attachment(people["head"], review, title="x",
                                       uploaded_file=SimpleUploadedFile("a.pdf", b"1"))
