"""The ledger and post pages: render, filter, and show a refusal on the form."""

import datetime

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory
from baomi.personnel.models import PersonnelFile, Post, PostHolding
from baomi.personnel.services import people as services


@pytest.fixture
def office(make_user, client):
    user = make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)
    client.force_login(user)
    return user


def test_pages_render_for_every_business_role(client, make_user, department):
    for role in (Role.SECRECY_OFFICE, Role.LEADER, Role.DEPARTMENT_HEAD, Role.STAFF,
                 Role.SYSADMIN):
        client.force_login(make_user(f"u-{role}", roles=[role]))
        for url in ("/personnel/people/", "/personnel/posts/"):
            assert client.get(url).status_code == 200, (role, url)


@pytest.mark.rule("P1")
def test_office_runs_post_file_and_assignment(client, office, department):
    response = client.post("/personnel/posts/", {"department": department.pk, "name": "保密员",
                                                 "level": int(Level.CONFIDENTIAL), "duties": ""})
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == f"/personnel/posts/{post.pk}/"
    person = PersonFactory(unit=department.unit, department=department)
    page = client.get("/personnel/people/")
    assert person.name in page.content.decode()  # offered in the "open a file" form
    response = client.post("/personnel/people/", {"person": person.pk})
    file = PersonnelFile.objects.get()
    assert response.url == f"/personnel/people/{file.pk}/"
    response = client.post(f"/personnel/people/{file.pk}/",
                           {"post": post.pk, "started_on": "2024-02-01"})
    assert response.status_code == 302
    again = client.post(f"/personnel/people/{file.pk}/",
                        {"post": post.pk, "started_on": "2024-02-01"})
    assert again.status_code == 400
    assert again.context["assign_form"].errors["post"]
    file.refresh_from_db()
    assert file.category == Category.IMPORTANT
    ledger = client.get(f"/personnel/people/?department={department.pk}&state=proposed")
    assert ledger.context["page"].items == [file]
    holding = PostHolding.objects.get()
    response = client.post(f"/personnel/people/{file.pk}/",
                           {"holding": holding.pk, "ended_on": "2024-03-01"})
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.category == Category.NONE


@pytest.mark.rule("P6")
def test_post_level_change_warns(client, office, department):
    post = services.create_post(office, department=department, name="设计员",
                                level=Level.SECRET)
    page = client.get(f"/personnel/posts/{post.pk}/")
    assert page.status_code == 200 and b'role="note"' in page.content
    response = client.post(f"/personnel/posts/{post.pk}/",
                           {"name": "设计员", "level": int(Level.TOP_SECRET), "duties": ""},
                           follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert "warning" in levels
    post.refresh_from_db()
    assert post.level == Level.TOP_SECRET


def test_duplicate_post_shown_on_form(client, office, department):
    services.create_post(office, department=department, name="设计员", level=Level.SECRET)
    response = client.post("/personnel/posts/", {"department": department.pk, "name": "设计员",
                                                 "level": 1, "duties": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]


def test_ledger_pages_by_key(client, office, department):
    other = DepartmentFactory(unit=department.unit)
    for _ in range(55):
        services.open_file(office, PersonFactory(unit=department.unit, department=other))
    first = client.get("/personnel/people/")
    assert len(first.context["page"].items) == 50
    second = client.get("/personnel/people/" + first.context["page"].next_url)
    assert len(second.context["page"].items) == 5
    assert client.get("/personnel/people/?after=abc&department=zzz").status_code == 200


def test_head_cannot_open_files_or_create_posts(client, make_user, department):
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD])
    client.force_login(head)
    person = PersonFactory(unit=department.unit, department=department)
    response = client.post("/personnel/people/", {"person": person.pk})
    assert response.status_code == 400
    assert not PersonnelFile.objects.exists()
    assert client.post("/personnel/posts/", {"department": department.pk, "name": "x",
                                             "level": 1}).status_code == 400
    assert not Post.objects.exists()
    assert datetime.date.today()
