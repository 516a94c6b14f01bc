"""Onboarding pages: my file, the panel, the review form and detail, the printed forms."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import UnitFactory, UserFactory
from baomi.personnel.choices import FileState, ReviewKind, ReviewOutcome
from baomi.personnel.services.onboarding import start_review

from . import onboarding_support as support
from .onboarding_support import FORM, commit, reviewed, train

# The shared fixtures of onboarding_support.
make_file, people, proposed, yf1 = (support.make_file, support.people,
                                      support.proposed, support.yf1)

TODAY = timezone.localdate


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def docx_text(response):
    document = Document(io.BytesIO(b"".join(response.streaming_content)
                                   if response.streaming else response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_my_file_without_a_file_is_a_friendly_empty_state(make_user, as_user):
    user = make_user("staff", roles=[Role.STAFF])
    response = as_user(user).get(reverse("personnel:my_file"))
    assert response.status_code == 200
    assert b"empty-state" in response.content


@pytest.mark.rule("P4")
def test_my_file_shows_state_and_training_against_the_minimum(make_file, as_user):
    file = make_file(state=FileState.IN_POST, rereview_due_on=TODAY() + timedelta(days=400))
    user = UserFactory(person=file.person, roles=[Role.STAFF])
    train(file.person, held_on=TODAY(), hours="14.5")
    response = as_user(user).get(reverse("personnel:my_file"))
    text = response.content.decode()
    assert response.status_code == 200 and 'data-state="in_post"' in text
    assert "14.5" in text and "overdue" in text  # short of the 15 hours: flagged
    assert (TODAY() + timedelta(days=400)).isoformat() in text


def test_panel_on_the_person_page_lists_what_is_missing(proposed, people, as_user):
    reviewed(proposed, people)
    train(proposed.person, held_on=TODAY())
    response = as_user(people["office"]).get(
        reverse("personnel:person_detail", args=[proposed.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-missing="commitment"' in text and 'data-missing="training"' not in text
    assert reverse("personnel:start_in_post", args=[proposed.pk]) in text
    assert reverse("personnel:training_add", args=[proposed.pk]) in text


def test_panel_offers_no_forms_to_the_department_head(proposed, people, as_user):
    response = as_user(people["head"]).get(
        reverse("personnel:person_detail", args=[proposed.pk]))
    assert response.status_code == 200
    assert reverse("personnel:training_add", args=[proposed.pk]).encode() not in (
        response.content)


@pytest.mark.rule("P2")
def test_review_form_page_files_the_review(proposed, people, as_user):
    client = as_user(people["office"])
    url = reverse("personnel:review_new", args=[proposed.pk])
    assert client.get(url).status_code == 200
    data = {"kind": "initial", "level": "1", "personal_history": "简历", "conduct": "良好",
            "family-0-relation": "母亲", "family-0-name": "赵某", "family-0-work_unit": "退休",
            "history-0-from": "2001-09", "history-0-to": "2005-07", "history-0-unit": "某大学"}
    response = client.post(url, data)
    assert response.status_code == 302
    review = proposed.reviews.get()
    assert review.form["family"][0]["name"] == "赵某" and review.request is not None
    assert response["Location"] == reverse("personnel:review_detail", args=[review.pk])


@pytest.mark.rule("P2")
def test_review_form_shows_row_errors_without_writing(proposed, people, as_user):
    client = as_user(people["office"])
    response = client.post(reverse("personnel:review_new", args=[proposed.pk]), {
        "kind": "initial", "level": "1", "personal_history": "简历", "conduct": "良好",
        "family-1-relation": "父亲", "history-0-from": "20010"})
    assert response.status_code == 400 and not proposed.reviews.exists()
    assert response.content.count(b'class="error"') >= 2


def test_review_pages_hidden_from_another_units_secrecy_office(proposed, people, make_user,
                                                                 as_user):
    review = start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                          level=Level.SECRET)
    other = make_user("other", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                      unit=UnitFactory(code="OTHER"))
    client = as_user(other)
    for url in (reverse("personnel:review_new", args=[proposed.pk]),
                reverse("personnel:review_detail", args=[review.pk]),
                reverse("personnel:review_docx", args=[review.pk]),
                reverse("personnel:commitment_docx", args=[proposed.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("personnel:training_add", args=[proposed.pk]), {
        "course": "c", "held_on": TODAY().isoformat(), "hours": "2",
        "exam_result": "passed"}).status_code == 404


@pytest.mark.rule("P2")
def test_review_docx_has_the_person_and_the_approval_opinions(proposed, people, as_user):
    review = reviewed(proposed, people)
    response = as_user(people["office"]).get(reverse("personnel:review_docx", args=[review.pk]))
    assert response.status_code == 200
    text = docx_text(response)
    assert "涉密人员保密审查表" in text and proposed.person.name in text and "王芳" in text
    assert text.count("同意") >= 3 and people["leader"].person.name in text
    assert "本人签字" in text


@pytest.mark.rule("P3")
def test_commitment_docx(proposed, people, as_user):
    response = as_user(people["office"]).get(
        reverse("personnel:commitment_docx", args=[proposed.pk]))
    text = docx_text(response)
    assert "保密承诺书" in text and proposed.person.name in text and "承诺人（签字）" in text


@pytest.mark.rule("P3")
def test_start_in_post_page_shows_the_refusal(proposed, people, as_user):
    reviewed(proposed, people)
    client = as_user(people["office"])
    url = reverse("personnel:start_in_post", args=[proposed.pk])
    response = client.post(url, {"since": TODAY().isoformat()})
    assert response.status_code == 422
    proposed.refresh_from_db()
    assert proposed.state == FileState.TRAINING
    train(proposed.person, held_on=TODAY())
    commit(proposed.person, signed_on=TODAY(), year=TODAY().year)
    response = client.post(url, {"since": TODAY().isoformat()})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.state == FileState.IN_POST


def test_training_and_commitment_forms(proposed, people, as_user):
    client = as_user(people["office"])
    response = client.post(reverse("personnel:training_add", args=[proposed.pk]), {
        "course": "保密知识", "held_on": TODAY().isoformat(), "hours": "4",
        "exam_result": "passed", "score": "90"})
    assert response.status_code == 302 and proposed.person.training_records.count() == 1
    data = {"kind": "commitment", "year": TODAY().year, "signed_on": TODAY().isoformat(),
            "text_version": "2026-1"}
    url = reverse("personnel:commitment_add", args=[proposed.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 409  # once per kind and year


def test_attachment_upload_and_access_checked_download(proposed, people, make_user, as_user,
                                                       settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review = start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                          level=Level.SECRET)
    client = as_user(people["office"])
    url = reverse("personnel:review_detail", args=[review.pk])
    response = client.post(url, {"title": "学习工作经历表",
                                 "file": SimpleUploadedFile("经历.pdf", b"%PDF-1.4")})
    assert response.status_code == 302
    attachment = review.attachments.get()
    download = reverse("personnel:review_attachment", args=[attachment.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4"
    other = make_user("other2", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                      unit=UnitFactory(code="OTHER2"))
    assert as_user(other).get(download).status_code == 404


def test_returned_review_is_resubmitted_from_its_page(proposed, people, as_user):
    from baomi.approvals.services import decide

    review = start_review(people["office"], proposed, kind=ReviewKind.INITIAL, form=FORM,
                          level=Level.SECRET)
    decide(people["head"], review.request, "return", comment="补充")
    client = as_user(people["office"])
    url = reverse("personnel:review_resubmit", args=[review.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "initial", "level": "1", "personal_history": "补充后",
                                 "conduct": "良好"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.form["personal_history"] == "补充后" and review.request.state == "pending"
    assert review.outcome == ReviewOutcome.PENDING


def test_login_required(client):
    response = client.get(reverse("personnel:my_file"))
    assert response.status_code == 302 and "login" in response["Location"]
