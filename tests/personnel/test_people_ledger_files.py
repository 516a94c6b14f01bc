"""The ledger's .xlsx import (all rows or none, per-row errors) and export."""

import datetime
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from baomi.accounts.models import Person
from baomi.accounts.roles import Role
from baomi.audit.models import AuditEvent
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, PersonFactory
from baomi.personnel.choices import FileState
from baomi.personnel.models import PersonnelFile, Post, PostHolding
from baomi.personnel.services import people as services

HEADER = ["姓名", "工号", "部门", "涉密岗位", "岗位密级", "上岗日期"]


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE)


@pytest.fixture
def rd(department):
    return DepartmentFactory(unit=department.unit, name="研发一部", code="YF1")


def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "ledger.xlsx"
    return data


def upload(client, user, data):
    client.force_login(user)
    return client.post("/personnel/people/import/", {"file": data})


GOOD = [
    ("何振宇", "E-1", "研发一部", "设计员", "秘密", datetime.date(2022, 4, 18)),
    ("何振宇", "E-1", "YF1", "型号总师", "机密", "2023-01-02"),
    ("郭婷", "E-2", "YF1", "设计员", "秘密", "2021/11/01"),
]


@pytest.mark.rule("L3")
def test_import_creates_people_files_posts_holdings(client, office, rd):
    existing = PersonFactory(unit=rd.unit, department=rd, name="郭婷", employee_no="E-2")
    response = upload(client, office, workbook(*GOOD))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.filter(unit=rd.unit, employee_no__in=["E-1", "E-2"]).count() == 2
    assert PersonnelFile.objects.count() == 2
    assert set(Post.objects.values_list("name", "level")) == {("设计员", Level.SECRET),
                                                             ("型号总师", Level.CONFIDENTIAL)}
    assert PostHolding.objects.count() == 3
    assert Person.objects.get(employee_no="E-1").category == Category.IMPORTANT  # rule L3
    imported = PersonnelFile.objects.get(person__employee_no="E-1")
    assert imported.state == FileState.IN_POST  # an existing ledger lists appointed people
    assert imported.in_post_since is not None and imported.rereview_due_on is not None
    existing.refresh_from_db()
    assert existing.category == Category.GENERAL
    event = AuditEvent.objects.get(action="PERSONNEL_IMPORTED")
    assert json.loads(event.after)["holdings_created"] == 3
    # Importing the same sheet again adds nothing.
    assert upload(client, office, workbook(*GOOD)).status_code == 302
    assert PostHolding.objects.count() == 3


@pytest.mark.parametrize("bad", [
    ("", "E-9", "YF1", "设计员", "秘密", "2022-01-01"),          # no name
    ("王五", "E-9", "不存在的部门", "设计员", "秘密", "2022-01-01"),  # unknown department
    ("王五", "E-9", "YF1", "设计员", "内部", "2022-01-01"),        # not a classified level
    ("王五", "E-9", "YF1", "设计员", "秘密", "明天"),              # not a date
    ("王五", "E-9", "YF1", "设计员", "机密", "2022-01-01"),        # 设计员 is 秘密 above
    ("别人", "E-1", "YF1", "测试岗", "秘密", "2022-01-01"),        # E-1 is 何振宇
])
def test_one_bad_row_writes_nothing(client, office, rd, bad):
    response = upload(client, office, workbook(*GOOD, bad))
    assert response.status_code == 400
    errors = response.context["row_errors"]
    assert [e.line for e in errors] == [5]
    assert not Person.objects.filter(employee_no__startswith="E-").exists()
    assert not Post.objects.exists() and not PersonnelFile.objects.exists()
    assert not AuditEvent.objects.filter(action="PERSONNEL_IMPORTED").exists()


def test_missing_columns_and_garbage(client, office, rd):
    client.force_login(office)
    assert "姓名" in client.get("/personnel/people/import/").content.decode()
    data = io.BytesIO(b"not a workbook")
    data.name = "ledger.xlsx"
    response = upload(client, office, data)
    assert response.status_code == 400 and response.context["row_errors"]
    book = Workbook()
    book.active.append(["姓名", "工号"])
    raw = io.BytesIO()
    book.save(raw)
    raw.seek(0)
    raw.name = "ledger.xlsx"
    response = upload(client, office, raw)
    assert response.status_code == 400
    assert response.context["row_errors"][0].line == 1


def test_import_needs_the_secrecy_office(client, make_user, rd):
    head = make_user("head", roles=[Role.DEPARTMENT_HEAD])
    client.force_login(head)
    assert client.get("/personnel/people/import/").status_code == 403
    assert upload(client, head, workbook(*GOOD)).status_code == 403
    assert not PersonnelFile.objects.exists()


def test_export_opens_in_openpyxl_with_filters(client, office, rd, department):
    post = services.create_post(office, department=rd, name="=设计员", level=Level.SECRET)
    for n, dept in enumerate([rd, rd, department]):
        person = PersonFactory(unit=rd.unit, department=dept, name=f"人员{n}")
        services.open_file(office, person)
        services.assign_post(office, person, post, started_on=datetime.date(2024, 1, 1))
    client.force_login(office)
    response = client.get(f"/personnel/people/export.xlsx?department={rd.pk}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3  # header + the two of 研发一部
    assert rows[1][3] == "=设计员（秘密）"  # text, never a formula
    assert AuditEvent.objects.filter(action="PERSONNEL_LEDGER_EXPORTED").count() == 1
