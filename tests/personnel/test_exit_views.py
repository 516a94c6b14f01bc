"""Pages of the exit (rule P10) and of the 脱密期 (rules P11–P14): filing from the person's
page, the exit page with its forms, the 保密办's list, the printable forms, and who sees what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.core.labels import Category, Level
from baomi.personnel.choices import ExitKind, ExitState, FileState
from baomi.personnel.custody import (
    CustodyItem,
    register_custody_provider,
    unregister_custody_provider,
)
from baomi.personnel.docx_exit import EXIT_COMMITMENT_TEXT_VERSION
from baomi.personnel.models import ExitCase, PersonnelFile, Post, PostHolding
from baomi.personnel.services.exit import file_exit

from .onboarding_support import make_file, people, yf1  # noqa: F401

pytestmark = pytest.mark.django_db
TALKERS = "张保密、李保密"


@pytest.fixture
def leaver(make_user, yf1):
    """何振宇, 重要涉密人员 of 研发一部 in post, holding one 机密 post."""
    user = make_user("leaver", roles=[Role.STAFF, Role.CLASSIFICATION_OFFICER],
                     category=Category.IMPORTANT, department_=yf1, person__name="何振宇")
    today = timezone.localdate()
    PersonnelFile.objects.create(person=user.person, unit=user.person.unit,
                                 category=Category.IMPORTANT, state=FileState.IN_POST,
                                 in_post_since=today - timedelta(days=400))
    post = Post.objects.create(unit=user.person.unit, department=yf1, name="总体设计师",
                               level=Level.CONFIDENTIAL)
    PostHolding.objects.create(post=post, person=user.person,
                               started_on=today - timedelta(days=400))
    return user


@pytest.fixture
def held_usb():
    """A custody provider (rule C9) listing one USB stick for 何振宇 only."""

    def provider(person):
        if person.name == "何振宇":
            yield CustodyItem(kind="涉密U盘", reference="U-0042", title="设计资料",
                              level=Level.CONFIDENTIAL)

    register_custody_provider("test-usb", provider)
    yield
    unregister_custody_provider("test-usb")


def filed(leaver, people, kind=ExitKind.LEAVE_UNIT):
    return file_exit(people["office"], leaver.person.personnel_file, kind=kind,
                     leave_on=timezone.localdate(), reason="合同期满", destination="某公司")


def approved(leaver, people, kind=ExitKind.LEAVE_UNIT):
    case = filed(leaver, people, kind)
    request = case.request
    for name in ("head", "office2", "leader"):
        request = decide(people[name], request, "approve")
    case.refresh_from_db()
    return case


def detail(case):
    return reverse("personnel:exit_detail", args=[case.pk])


@pytest.mark.rule("P10")
def test_office_files_an_exit_from_the_person_page(client, leaver, people):
    file = leaver.person.personnel_file
    client.force_login(people["office"])
    person_page = client.get(reverse("personnel:person_detail", args=[file.pk])).content.decode()
    new_url = reverse("personnel:exit_new", args=[file.pk])
    assert 'id="person-exit-link"' in person_page and new_url in person_page
    page = client.get(new_url).content.decode()
    assert 'id="exit-form"' in page and 'data-custody="none"' in page
    response = client.post(new_url, {"kind": "leave_unit", "leave_on": timezone.localdate(),
                                     "reason": "合同期满", "destination": "某公司"})
    case = file.exits.get()
    assert response.status_code == 302 and response["Location"] == detail(case)
    assert case.state == ExitState.PENDING and case.request.request_type == "exit"
    page = client.get(detail(case)).content.decode()
    assert reverse("approvals:request_detail", args=[case.request_id]) in page
    person_page = client.get(reverse("personnel:person_detail", args=[file.pk])).content.decode()
    assert 'id="exit-panel"' in person_page and 'id="person-exit-link"' not in person_page
    assert 'id="exit-restrictions"' not in person_page  # only during the 脱密期
    assert b'id="exit-form"' not in client.get(new_url).content  # one exit at a time


def test_exit_form_errors_are_shown_with_400(client, leaver, people):
    file = leaver.person.personnel_file
    client.force_login(people["office"])
    url = reverse("personnel:exit_new", args=[file.pk])
    response = client.post(url, {"kind": "leave_unit", "leave_on": "2026-13-40", "reason": ""})
    assert response.status_code == 400 and b'class="error"' in response.content
    # the service refuses a leaving date before the person took the post
    early = file.in_post_since - timedelta(days=1)
    response = client.post(url, {"kind": "leave_post", "leave_on": early, "reason": "调岗"})
    assert response.status_code == 400 and b'class="error"' in response.content
    assert not file.exits.exists()


@pytest.mark.rule("C9")
def test_what_is_still_held_is_shown_while_pending(client, leaver, people, held_usb):
    file = leaver.person.personnel_file
    client.force_login(people["office"])
    page = client.get(reverse("personnel:exit_new", args=[file.pk])).content.decode()
    assert "U-0042" in page and 'data-custody="none"' not in page
    case = filed(leaver, people)
    page = client.get(detail(case)).content.decode()
    assert 'class="custody-item"' in page and "U-0042" in page


def test_department_head_reads_only_and_others_get_404(client, leaver, people,
                                                       make_user):
    case = approved(leaver, people)
    client.force_login(people["head"])
    page = client.get(detail(case))
    assert page.status_code == 200 and b'class="card exit-action"' not in page.content
    assert b'data-field="ends_on"' in page.content
    assert client.post(detail(case), {"action": "door", "door-revoked_on": "2026-01-01"}
                       ).status_code == 404
    new_url = reverse("personnel:exit_new", args=[case.file_id])
    assert b'id="exit-form"' not in client.get(new_url).content
    assert client.post(new_url, {"kind": "leave_unit"}).status_code == 404
    assert client.get(reverse("personnel:exit_list")).status_code == 404
    stranger = make_user("stranger", roles=[Role.STAFF], category=Category.GENERAL)
    client.force_login(stranger)
    for url in (detail(case), new_url, reverse("personnel:exit_list"),
                reverse("personnel:exit_commitment_docx", args=[case.pk]),
                reverse("personnel:exit_visit_docx", args=[case.pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("personnel:exit_detail", args=[99999999])).status_code == 404


@pytest.mark.rule("P10")
@pytest.mark.rule("P11")
def test_approved_page_shows_the_period_and_the_access_withdrawn(
        client, leaver, people):
    case = approved(leaver, people)
    assert case.state == ExitState.APPROVED and case.ends_on is not None
    client.force_login(people["office"])
    page = client.get(detail(case)).content.decode()
    assert case.ends_on.isoformat() in page and 'data-field="days_left"' in page
    assert 'data-field="login_disabled"' in page
    assert str(Role.CLASSIFICATION_OFFICER.label) in page  # roles by their labels
    for action in ("commitment", "talk", "door", "visit", "extend"):
        assert f'id="action-{action}"' in page, action
    assert 'id="action-release"' not in page and 'id="release-from"' in page
    assert 'id="exit-restrictions"' in page
    assert reverse("personnel:trip_new", args=[case.file_id]) in page
    person_page = client.get(reverse("personnel:person_detail", args=[case.file_id])
                             ).content.decode()
    assert 'data-field="declassification_ends_on"' in person_page
    assert 'id="exit-restrictions"' in person_page


@pytest.mark.rule("P10")
def test_formality_forms(client, leaver, people):
    case = approved(leaver, people)
    client.force_login(people["office"])
    url = detail(case)
    today = timezone.localdate()
    response = client.post(url, {"action": "commitment", "commitment-signed_on": today,
                                 "commitment-text_version": EXIT_COMMITMENT_TEXT_VERSION})
    assert response.status_code == 302
    again = client.post(url, {"action": "commitment", "commitment-signed_on": today,
                              "commitment-text_version": "x"})
    assert again.status_code == 409 and b'id="action-commitment"' in again.content
    one = client.post(url, {"action": "talk", "talk-held_on": today, "talk-talkers": "张保密"})
    assert one.status_code == 422 and b'class="error"' in one.content
    two = client.post(url, {"action": "talk", "talk-held_on": today, "talk-talkers": TALKERS,
                            "talk-notes": "提醒脱密期义务"})
    assert two.status_code == 302
    future = client.post(url, {"action": "door", "door-revoked_on": today + timedelta(days=1)})
    assert future.status_code == 400 and b'class="error"' in future.content
    assert client.post(url, {"action": "door", "door-revoked_on": today}).status_code == 302
    case.refresh_from_db()
    assert case.commitment_version == EXIT_COMMITMENT_TEXT_VERSION
    assert case.talkers == ["张保密", "李保密"] and case.door_access_revoked_on == today
    page = client.get(url).content.decode()
    assert 'data-done="no"' not in page and 'id="formalities-missing"' not in page
    assert 'id="action-talk"' not in page
    assert client.post(url, {"action": "unknown"}).status_code == 404


@pytest.mark.rule("P13")
@pytest.mark.rule("P12")
def test_return_visit_form(client, leaver, people):
    case = approved(leaver, people)
    client.force_login(people["office"])
    url = detail(case)
    today = timezone.localdate()
    visit = {"action": "visit", "visit-visited_on": today, "visit-method": "phone",
             "visit-visitors": "张保密", "visit-current_employer": "某公司",
             "visit-restrictions_kept": "no", "visit-findings": ""}
    refused = client.post(url, visit)
    assert refused.status_code == 400 and b'class="error"' in refused.content
    assert client.post(url, {**visit, "visit-findings": "曾为外资企业提供咨询"}).status_code == 302
    saved = case.visits.get()
    assert saved.restrictions_kept is False and saved.visitors == ["张保密"]
    page = client.get(url).content.decode()
    assert page.count('class="visit"') == 1 and "曾为外资企业提供咨询" in page
    case.refresh_from_db()
    if case.next_visit_due_on:
        assert case.next_visit_due_on.isoformat() in page
    # a past due date is shown in red
    ExitCase.objects.filter(pk=case.pk).update(next_visit_due_on=today - timedelta(days=1))
    assert b'data-field="next_visit_due_on" class="overdue"' in client.get(url).content


@pytest.mark.rule("P11")
def test_extend_form(client, leaver, people):
    case = approved(leaver, people)
    client.force_login(people["office"])
    url = detail(case)
    same = client.post(url, {"action": "extend", "extend-months": case.period_months,
                             "extend-reason": "知悉较多"})
    assert same.status_code == 422 and b'class="error"' in same.content
    assert client.post(url, {"action": "extend", "extend-months": "x",
                             "extend-reason": "知悉较多"}).status_code == 400
    longer = case.period_months + 12
    assert client.post(url, {"action": "extend", "extend-months": longer,
                             "extend-reason": "知悉较多"}).status_code == 302
    case.refresh_from_db()
    assert case.period_months == longer


@pytest.mark.rule("P14")
def test_release_is_offered_after_the_end(client, leaver, people):
    case = approved(leaver, people)
    client.force_login(people["office"])
    url = detail(case)
    today = timezone.localdate()
    early = client.post(url, {"action": "release", "release-withdrawn_on": today})
    assert early.status_code == 422 and b'class="error"' in early.content
    # the period ended yesterday: the withdrawal is possible from today
    ExitCase.objects.filter(pk=case.pk).update(approved_on=today - timedelta(days=400),
                                               ends_on=today - timedelta(days=1))
    page = client.get(url).content.decode()
    assert 'id="action-release"' in page and 'id="release-from"' not in page
    assert client.post(url, {"action": "release", "release-withdrawn_on": today,
                             "release-reference": "保备〔2026〕12号"}).status_code == 302
    case.refresh_from_db()
    assert case.file.state == FileState.RELEASED and case.filing_reference
    page = client.get(url).content.decode()
    assert 'data-field="filing_withdrawn_on"' in page and 'class="card exit-action"' not in page
    person_page = client.get(reverse("personnel:person_detail", args=[case.file_id])
                             ).content.decode()
    assert 'id="exit-panel"' in person_page and 'id="exit-restrictions"' not in person_page


def test_exit_list_filters(client, leaver, people, make_file):
    case = approved(leaver, people)
    other = make_file(name="周岚", state=FileState.IN_POST)
    pending = file_exit(people["office"], other, kind=ExitKind.LEAVE_POST,
                        leave_on=timezone.localdate(), reason="调岗")
    client.force_login(people["office"])
    url = reverse("personnel:exit_list")
    page = client.get(url).content.decode()
    assert detail(case) in page and detail(pending) in page
    page = client.get(url, {"state": "declassifying"}).content.decode()
    assert detail(case) in page and detail(pending) not in page
    assert detail(case) not in client.get(url, {"overdue": "1"}).content.decode()
    ExitCase.objects.filter(pk=case.pk).update(
        next_visit_due_on=timezone.localdate() - timedelta(days=1))
    page = client.get(url, {"overdue": "1", "state": "bogus"}).content.decode()
    assert detail(case) in page and 'data-overdue="yes"' in page
    assert detail(pending) not in page


def test_printable_forms_download(client, leaver, people):
    case = approved(leaver, people)
    client.force_login(people["head"])
    for name in ("exit_commitment_docx", "exit_visit_docx"):
        response = client.get(reverse(f"personnel:{name}", args=[case.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.rule("P12")
def test_person_sees_the_period_on_their_own_page(client, leaver, people):
    approved(leaver, people, kind=ExitKind.LEAVE_POST)  # 离岗: the login stays
    leaver.refresh_from_db()
    assert leaver.is_active
    client.force_login(leaver)
    page = client.get(reverse("personnel:my_file")).content.decode()
    assert 'id="my-declassification"' in page and 'id="exit-restrictions"' in page
    ends_on = leaver.person.personnel_file.declassification_ends_on
    assert ends_on.isoformat() in page
