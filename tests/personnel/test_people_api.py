"""The people and posts API: typed input, 4xx bodies with code/message, keyset pages."""

import datetime
import json

import pytest

from baomi.accounts.roles import Role
from baomi.accounts.services import create_api_token
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory, UnitFactory
from baomi.personnel.models import PersonnelFile
from baomi.personnel.services import people as services

BASE = "/api/v1/personnel"


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def call(client):
    tokens = {}

    def request(user, method, path, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = create_api_token(user, "t")[1]
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(BASE + path, **kwargs)

    return request


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]


@pytest.mark.rule("L3")
def test_post_file_assignment_and_ledger(call, office, department):
    response = call(office, "post", "/posts", {"department_id": department.pk, "name": "机要员",
                                               "level": int(Level.CONFIDENTIAL)})
    assert response.status_code == 201, response.content
    post_id = response.json()["id"]
    person = PersonFactory(unit=department.unit, department=department)
    response = call(office, "post", "/people", {"person_id": person.pk})
    assert response.status_code == 201
    file_id = response.json()["id"]
    assert response.json()["state"] == "proposed"
    response = call(office, "post", f"/people/{file_id}/posts",
                    {"post_id": post_id, "started_on": "2024-01-02"})
    assert response.status_code == 201
    assert response.json()["category"] == Category.IMPORTANT
    assert [p["post_id"] for p in response.json()["posts"]] == [post_id]
    listing = call(office, "get", f"/people?department_id={department.pk}&limit=1").json()
    assert [i["id"] for i in listing["items"]] == [file_id]
    assert call(office, "get", f"/people/{file_id}").json()["name"] == person.name
    response = call(office, "patch", f"/posts/{post_id}", {"level": int(Level.TOP_SECRET)})
    assert response.status_code == 200 and response.json()["level"] == Level.TOP_SECRET
    assert PersonnelFile.objects.get(pk=file_id).category == Category.CORE
    posts = call(office, "get", "/posts").json()
    assert posts["items"][0]["holders"] == [person.pk]


def test_keyset_pages(call, office, department):
    for _ in range(3):
        services.open_file(office, PersonFactory(unit=department.unit, department=department))
    first = call(office, "get", "/people?limit=2").json()
    assert len(first["items"]) == 2 and first["next_after"]
    second = call(office, "get", f"/people?limit=2&after={first['next_after']}").json()
    assert len(second["items"]) == 1 and second["next_after"] is None


def test_errors(call, office, department, make_user):
    person = PersonFactory(unit=department.unit, department=department)
    file_id = call(office, "post", "/people", {"person_id": person.pk}).json()["id"]
    assert_error(call(office, "post", "/people", {"person_id": person.pk}), 409, "file_exists")
    assert_error(call(office, "post", "/people", {"person_id": 10**9}), 404, "not_found")
    assert_error(call(office, "get", "/people/999999"), 404, "not_found")
    assert_error(call(office, "post", "/posts", {"department_id": department.pk, "name": "x",
                                                 "level": 0}), 422, "invalid")
    assert_error(call(office, "get", "/people?limit=501"), 422, "invalid")
    assert_error(call(office, "post", f"/people/{file_id}/posts",
                      {"post_id": 12345, "started_on": "2024-01-01"}), 400, "invalid_post")
    other = UnitFactory(code="OTHER")
    foreign_dept = DepartmentFactory(unit=other)
    assert_error(call(office, "post", "/posts", {"department_id": foreign_dept.pk, "name": "x",
                                                 "level": 1}), 400, "invalid_department")
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD])
    post_id = call(office, "post", "/posts", {"department_id": department.pk, "name": "x",
                                              "level": 1}).json()["id"]
    assert_error(call(head, "patch", f"/posts/{post_id}", {"level": 2}), 403, "forbidden")
    assert_error(call(head, "post", f"/people/{file_id}/posts",
                      {"post_id": post_id, "started_on": "2024-01-01"}), 403, "forbidden")
    admin = make_user("sysadmin", roles=[Role.SYSADMIN])
    assert call(admin, "get", "/people").json()["items"] == []
    assert_error(call(admin, "get", f"/people/{file_id}"), 404, "not_found")


def test_assignment_date_is_bounded(call, office, department):
    person = PersonFactory(unit=department.unit, department=department)
    file_id = call(office, "post", "/people", {"person_id": person.pk}).json()["id"]
    post = services.create_post(office, department=department, name="x", level=Level.SECRET)
    response = call(office, "post", f"/people/{file_id}/posts",
                    {"post_id": post.pk, "started_on": "0001-01-01"})
    assert_error(response, 422, "invalid")
    assert datetime.date.today()  # the ledger stays empty of holdings
    assert not post.holdings.exists()
