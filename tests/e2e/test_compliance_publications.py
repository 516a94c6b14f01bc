"""In Chromium (rule Q12): an author writes a news item and submits it with the declaration;
the head of her department and the 保密办 approve it in 待我审批; the author records its
publication; the register of the 保密办 shows it with its approvers."""

import re

import pytest
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.compliance.choices import PublicationState
from baomi.compliance.models import PublicationReview
from baomi.core.labels import Category


@pytest.mark.rule("Q12")
def test_a_news_item_is_reviewed_published_and_registered(page, make_user, as_user,
                                                          approve_from_inbox):
    author = make_user("zhoumin", roles=[Role.STAFF], category=Category.GENERAL,
                       person__name="周敏")
    head = make_user("zhangwei", roles=[Role.DEPARTMENT_HEAD], category=Category.IMPORTANT,
                     person__name="张伟")
    office = make_user("liuxy", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                       person__name="刘晓燕")

    as_user(author)
    page.click("a[href='/compliance/publications/']")
    page.click("#publication-new")
    form = page.locator("#publication-form")
    form.locator("[name=title]").fill("我院举办保密知识竞赛")
    form.locator("[name=kind]").select_option("news")
    form.locator("[name=channel]").fill("单位门户网站")
    form.locator("[name=content]").fill("11月20日，我院举办2026年度保密知识竞赛。")
    form.locator("button[value=submit]").click()  # without the declaration: refused
    expect(form.locator(".has-error [name=declaration]")).to_have_count(1)
    assert not PublicationReview.objects.exists()
    form.locator("[name=declaration]").check()
    form.locator("button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/compliance/publications/\d+/$"))
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "submitted")
    review = PublicationReview.objects.get()

    as_user(head)
    approve_from_inbox("我院举办保密知识竞赛")
    as_user(office)
    approve_from_inbox("我院举办保密知识竞赛")
    assert PublicationReview.objects.get(pk=review.pk).state == PublicationState.APPROVED

    as_user(author)
    page.goto(f"/compliance/publications/{review.pk}/")
    expect(page.locator("[data-field=approvers]")).to_contain_text("张伟、刘晓燕")
    publish = page.locator("#publish-form")
    publish.locator("[name=published_where]").fill("http://portal.example.local/news/1")
    publish.locator("button[type=submit]").click()
    expect(page.locator("[data-field=state]")).to_have_attribute("data-state", "published")

    as_user(office)
    page.click("a[href='/compliance/publications/register/']")
    row = page.locator(f"#register tr[data-id='{review.pk}']")
    expect(row).to_have_attribute("data-state", "published")
    expect(row.locator("td.approvers")).to_have_text("张伟、刘晓燕")
    expect(row.locator("td.published_where")).to_have_text("http://portal.example.local/news/1")
