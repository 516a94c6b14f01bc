"""Publication-review pages (rule Q12): the list, a new request (draft or submitted), the
review's page with the forms open to each user, a refusal shown on its form with its
status, the register with its filters and .xlsx export, the printed approval form."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.compliance import services_publications as services
from baomi.compliance.choices import PublicationKind, PublicationState
from baomi.compliance.docx_publications import EXCERPT_CHARS, TITLE
from baomi.compliance.models import PublicationReview

from .publications_support import (  # noqa: F401 (fixtures)
    TEXT,
    approved,
    draft,
    people,
    submitted,
    today,
)

LIST = "/compliance/publications/"
NEW = "/compliance/publications/new/"
REGISTER = "/compliance/publications/register/"
FORM = {"title": "我院举办保密知识竞赛", "kind": "news", "channel": "单位门户网站",
        "planned_on": "", "content": TEXT}


def url(review, action=""):
    return f"/compliance/publications/{review.pk}/{action}"


def test_the_menu_offers_the_pages(client, people):
    client.force_login(people["author"])
    html = client.get(LIST).content.decode()
    assert f'href="{NEW}"' in html and f'href="{REGISTER}"' not in html
    client.force_login(people["office"])
    html = client.get(LIST).content.decode()
    assert f'href="{LIST}"' in html and f'href="{REGISTER}"' in html


def test_a_draft_is_saved_then_submitted(client, people):
    client.force_login(people["author"])
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, {**FORM, "action": "draft"})
    review = PublicationReview.objects.get()
    assert response.status_code == 302 and response["Location"] == url(review)
    assert review.state == PublicationState.DRAFT
    page = client.get(url(review))
    assert page.context["submit_form"] is not None and page.context["publish_form"] is None
    response = client.post(url(review, "submit/"), {})
    assert response.status_code == 422  # rule Q12: the declaration is required
    assert "declaration" in response.context["submit_form"].errors
    response = client.post(url(review, "submit/"), {"declaration": "on"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == PublicationState.SUBMITTED


@pytest.mark.rule("Q12")
def test_submitting_at_once_without_the_declaration_writes_nothing(client, people):
    client.force_login(people["author"])
    response = client.post(NEW, {**FORM, "action": "submit"})
    assert response.status_code == 422
    assert "declaration" in response.context["form"].errors
    assert not PublicationReview.objects.exists()
    response = client.post(NEW, {**FORM, "action": "submit", "declaration": "on"})
    assert response.status_code == 302
    assert PublicationReview.objects.get().state == PublicationState.SUBMITTED


def test_bad_input_shows_on_the_form(client, people):
    client.force_login(people["author"])
    response = client.post(NEW, {**FORM, "kind": "poster", "title": ""})
    assert response.status_code == 400
    assert {"kind", "title"} <= set(response.context["form"].errors)
    response = client.post(NEW, {**FORM, "title": "a\x00b", "action": "draft"})
    assert response.status_code == 400
    assert not PublicationReview.objects.exists()


@pytest.mark.rule("Q12")
def test_the_approved_review_offers_the_publication_and_records_it(client, people):
    review = approved(people)
    client.force_login(people["author"])
    page = client.get(url(review))
    assert page.context["publish_form"] is not None and page.context["edit_form"] is None
    html = page.content.decode()
    assert "张伟、刘晓燕" in html and "同意发布" in html
    response = client.post(url(review, "publish/"), {
        "published_on": today().isoformat(), "published_where": "https://www.example.cn/1"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.published_by_id) == (PublicationState.PUBLISHED,
                                                      people["author"].pk)


@pytest.mark.rule("Q12")
def test_publishing_before_approval_is_refused_on_the_form(client, people):
    review = submitted(people)
    client.force_login(people["office"])
    response = client.post(url(review, "publish/"), {
        "published_on": today().isoformat(), "published_where": "单位门户网站"})
    assert response.status_code == 422
    assert response.context["publish_form"].non_field_errors()
    assert PublicationReview.objects.get(pk=review.pk).state == PublicationState.SUBMITTED


def test_the_locked_text_is_refused_on_the_form(client, people):
    review = approved(people)
    client.force_login(people["author"])
    response = client.post(url(review, "edit/"), {**FORM, "content": "改过的正文"})
    assert response.status_code == 409
    assert PublicationReview.objects.get(pk=review.pk).content == TEXT


def test_a_rejected_text_is_revised_and_the_versions_are_shown(client, people):
    from baomi.approvals.services import decide

    review = submitted(people)
    decide(people["head"], review.request, "reject", comment="引用了内部数据")
    client.force_login(people["author"])
    response = client.post(url(review, "edit/"), {**FORM, "content": "删去内部数据后的正文"})
    assert response.status_code == 302
    response = client.post(url(review, "submit/"), {"declaration": "on"})
    assert response.status_code == 302
    html = client.get(url(review)).content.decode()
    assert 'data-version="1"' in html and 'data-version="2"' in html
    assert "引用了内部数据" in html


def test_withdrawing_from_the_page(client, people):
    review = draft(people)
    client.force_login(people["author"])
    response = client.post(url(review, "withdraw/"), {"reason": "活动取消"})
    assert response.status_code == 302
    assert PublicationReview.objects.get(pk=review.pk).state == PublicationState.WITHDRAWN


def test_pages_of_reviews_not_seen_are_404(client, people, secadmin):
    review = draft(people)
    for user in ("colleague", "head_other", "stranger"):
        client.force_login(people[user])
        for action in ("", "form.docx"):
            assert client.get(url(review, action)).status_code == 404
        assert client.post(url(review, "publish/"), {}).status_code == 404
    client.force_login(secadmin)
    assert client.get(LIST).status_code == 404
    assert client.get(url(review)).status_code == 404
    for user in ("author", "head", "office", "leader"):
        client.force_login(people[user])
        assert client.get(url(review)).status_code == 200
    assert client.get("/compliance/publications/99999999999999999999/").status_code == 404


def test_the_list_shows_what_the_user_sees(client, people):
    draft(people, title="我的稿件")
    client.force_login(people["colleague"])
    assert "我的稿件" not in client.get(LIST).content.decode()
    client.force_login(people["head"])
    assert "我的稿件" in client.get(LIST).content.decode()


@pytest.mark.rule("Q12")
def test_the_register_filters_and_exports(client, people):
    news = approved(people, title="新闻稿")
    services.publish_review(people["author"], news, published_on=today(),
                            published_where="https://www.example.cn/news/1")
    approved(people, PublicationKind.EXHIBITION, title="展板")
    draft(people, title="草稿")
    for user in ("author", "head"):
        client.force_login(people[user])
        assert client.get(REGISTER).status_code == 404
        assert client.get(REGISTER.rstrip("/") + ".xlsx").status_code == 404
    client.force_login(people["leader"])
    response = client.get(REGISTER)
    titles = [row["review"].title for row in response.context["rows"]]
    assert sorted(titles) == ["展板", "新闻稿"]
    assert "张伟、刘晓燕、陈建华" in response.content.decode()
    response = client.get(REGISTER, {"kind": "news", "year": str(today().year)})
    assert [row["review"].title for row in response.context["rows"]] == ["新闻稿"]
    response = client.get(REGISTER, {"year": "1999x", "state": "nonsense"})
    assert response.status_code == 200  # a bad filter filters nothing

    response = client.get("/compliance/publications/register.xlsx", {"state": "published"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert list(values.values())[1:7] == [
        "新闻稿", str(PublicationKind.NEWS.label), "单位门户网站", "周敏", "综合部",
        str(PublicationState.PUBLISHED.label)]
    assert "张伟、刘晓燕" in row and "https://www.example.cn/news/1" in row
    event = AuditEvent.objects.get(action="PUBLICATION_REGISTER_EXPORTED")
    assert event.actor_id == people["leader"].pk


def test_an_xlsx_cell_is_never_a_formula(client, people):
    approved(people, title="=HYPERLINK(\"http://x\")")
    client.force_login(people["office"])
    response = client.get("/compliance/publications/register.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.rule("Q12")
def test_the_printed_form_holds_the_review_and_the_opinions(client, people):
    review = approved(people, content="正" * (EXCERPT_CHARS + 50))
    client.force_login(people["author"])
    response = client.get(url(review, "form.docx"))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == TITLE
    tables = document.tables
    assert [c.text for c in tables[0].rows[1].cells] == [
        "我院举办保密知识竞赛", str(PublicationKind.NEWS.label), "单位门户网站"]
    assert [c.text for c in tables[1].rows[1].cells][:2] == ["周敏", "综合部"]
    opinions = [[c.text for c in row.cells] for row in tables[2].rows[1:]]
    assert [row[:4] for row in opinions[:2]] == [
        [str(Role.DEPARTMENT_HEAD.label), "张伟", "同意", "同意发布"],
        [str(Role.SECRECY_OFFICE.label), "刘晓燕", "同意", "同意发布"]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "（以下略）" in text and "正" * (EXCERPT_CHARS + 1) not in text
    assert "承诺人：周敏" in text and "谁上网谁负责" in text
    assert "部门负责人签字" in text and "保密办审查人签字" in text
