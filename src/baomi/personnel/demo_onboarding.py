"""Demo onboarding (called at the end of personnel/demo.py): moves some 拟定 files on.

- 何振宇: review passed, 16 学时 in two sessions, 承诺书 and this year's 责任书 → 在岗 as 一般;
  then also appointed 型号总师 (机密) → 重要 without the 移动通信设备使用保密承诺书 → the
  obligation of rule M3 (and the 复审 after a level change, rule P6).
- 孙立新 (dingmi, 重要): review passed, training, 承诺书, 责任书 and the mobile device
  commitment (rule M3) → 在岗.
- 郭婷: review waiting for the 保密办 (in baomiban's inbox).
- 马骏: review passed, training recorded, no 承诺书 → 待培训; "start in post" lists what is
  missing.
- 周敏 (yuangong): 在岗 with 8 学时 in one session this year → the training obligation (P4).

Reviews are filed by a second 保密办 officer, 保密办干事 (baomiyuan): nobody decides a request
they filed (rule T1), so baomiban decides the 保密办 step. Idempotent.
"""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts import services as accounts
from baomi.accounts.models import Department, Person, User
from baomi.accounts.roles import Role
from baomi.approvals.services import decide
from baomi.core.demo import DEMO_PASSWORD, DemoContext
from baomi.core.labels import Category, Level

from .choices import CommitmentKind, ExamResult, ReviewKind
from .docx_forms import COMMITMENT_TEXT_VERSION, MOBILE_COMMITMENT_TEXT_VERSION
from .models import PersonnelFile, Post, SecurityReview
from .services import onboarding as services
from .services import people as people_services

UNIT = "HX-DZ"
FILER = ("baomiyuan", "钱晓东", "保密办干事（提交保密审查、记录培训）")
INITIAL_PASSWORD = "Chushi#2026"


def _form(history: str, family: list[dict[str, Any]], work: list[dict[str, str]]
          ) -> dict[str, Any]:
    return {
        "personal_history": history,
        "conduct": "政治立场坚定，遵纪守法，工作认真负责，无违规违纪记录。",
        "family": family,
        "history": work,
        "overseas_ties": "",
        "relatives_abroad": False,
    }


FORMS = {
    "何振宇": _form(
        "1990年生，2012年毕业于西安电子科技大学电子工程专业，同年入职研发一部。",
        [{"relation": "父亲", "name": "何建国", "work_unit": "西安某机械厂退休",
          "political_status": "中共党员", "overseas": False},
         {"relation": "配偶", "name": "李静", "work_unit": "西安市某小学教师",
          "political_status": "群众", "overseas": False}],
        [{"from": "2008-09", "to": "2012-07", "unit": "西安电子科技大学", "role": "学生"},
         {"from": "2012-07", "to": "", "unit": "华信电子科技研究院研发一部", "role": "设计员"}]),
    "郭婷": _form(
        "1985年生，博士，2014年入职，现任型号总师。",
        [{"relation": "配偶", "name": "周浩", "work_unit": "某高校副教授",
          "political_status": "中共党员", "overseas": False}],
        [{"from": "2008-09", "to": "2014-06", "unit": "北京航空航天大学", "role": "博士研究生"},
         {"from": "2014-07", "to": "", "unit": "华信电子科技研究院研发一部", "role": "型号总师"}]),
    "孙立新": _form(
        "1982年生，2006年入职，定密责任人。",
        [{"relation": "母亲", "name": "王秀兰", "work_unit": "退休",
          "political_status": "群众", "overseas": False}],
        [{"from": "2002-09", "to": "2006-07", "unit": "南京理工大学", "role": "学生"},
         {"from": "2006-07", "to": "", "unit": "华信电子科技研究院研发一部", "role": "设计员"}]),
    "马骏": _form(
        "1996年生，2024年毕业入职研发一部。",
        [{"relation": "父亲", "name": "马永强", "work_unit": "个体经营",
          "political_status": "群众", "overseas": False}],
        [{"from": "2020-09", "to": "2024-06", "unit": "西北工业大学", "role": "学生"},
         {"from": "2024-07", "to": "", "unit": "华信电子科技研究院研发一部", "role": "设计员"}]),
    "周敏": _form(
        "1993年生，2023年入职研发一部。",
        [{"relation": "配偶", "name": "陈磊", "work_unit": "某银行职员",
          "political_status": "群众", "overseas": False}],
        [{"from": "2011-09", "to": "2015-06", "unit": "电子科技大学", "role": "学生"},
         {"from": "2015-07", "to": "", "unit": "华信电子科技研究院研发一部", "role": "设计员"}]),
}


def load(context: DemoContext) -> None:
    context.logins.append((FILER[0], f"{FILER[1]} · {FILER[2]}"))
    if SecurityReview.objects.filter(file__unit__code=UNIT).exists():
        context.users.setdefault(FILER[0], User.objects.get(username=FILER[0]))
        context.say("personnel: demo onboarding already loaded")
        return
    filer = _filer(context)
    office, head, leader = (context.users[n] for n in ("baomiban", "bumen", "lingdao"))
    today = timezone.localdate()
    sessions = [max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=40)),
                today]

    he = _review(filer, "何振宇", [head, office, leader])
    _train_and_sign(filer, he.person, sessions, today)
    services.start_in_post(filer, he, since=today)
    # rule M3: appointed to a 机密 post in post, he owes the mobile device commitment.
    people_services.assign_post(office, he.person, Post.objects.get(
        unit_id=he.unit_id, department__code="YF1", name="型号总师"), started_on=today)

    sun = _review(filer, "孙立新", [head, office, leader])  # 重要: signs the M3 commitment too
    _train_and_sign(filer, sun.person, sessions, today)
    _sign(filer, sun.person, CommitmentKind.MOBILE, today)
    services.start_in_post(filer, sun, since=today)

    _review(filer, "郭婷", [head])  # waits for the 保密办 (baomiban)

    ma = _review(filer, "马骏", [head, office, leader])
    services.record_training(filer, ma.person, course="新入职涉密人员岗前保密培训",
                             held_on=today, hours="4", exam_result=ExamResult.PASSED, score=85)

    zhou = _review(filer, "周敏", [head, office, leader])
    services.record_training(filer, zhou.person, course="保密法律法规与形势教育",
                             held_on=today, hours="8", exam_result=ExamResult.NOT_EXAMINED)
    _sign(filer, zhou.person, CommitmentKind.COMMITMENT, today)
    services.start_in_post(filer, zhou, since=today)
    context.say("personnel: onboarding — 3 in post (1 owing the mobile device commitment), "
                "1 awaiting training, 1 review in the approval chain")


def _filer(context: DemoContext) -> User:
    """A second 保密办 officer who files the reviews, holding the 保密员 post."""
    username, name, _ = FILER
    office = context.users["baomiban"]
    unit = office.person.unit
    user = accounts.create_person_and_user(
        None, unit=unit, department=Department.objects.get(unit=unit, code="BMB"), name=name,
        employee_no=f"{UNIT}-{username}", username=username, initial_password=INITIAL_PASSWORD)
    accounts.change_password(user, INITIAL_PASSWORD, DEMO_PASSWORD)
    accounts.assign_role(None, user, Role.SECRECY_OFFICE, reason="演示数据")
    people_services.open_file(office, user.person)
    post = Post.objects.get(unit=unit, department__code="BMB", name="保密员")
    people_services.assign_post(office, user.person, post,
                                started_on=datetime.date(2022, 3, 1))
    # Like the other demo logins, cleared by the 安全保密管理员 (his file is still in 拟定).
    accounts.set_person_category(None, user.person, Category.IMPORTANT,
                                 reason="演示数据：保密员岗位（机密）")
    context.users[username] = User.objects.get(pk=user.pk)
    return context.users[username]


def _review(filer: User, name: str, deciders: list[User]) -> PersonnelFile:
    file = PersonnelFile.objects.select_related("person").get(
        person=Person.objects.get(unit__code=UNIT, name=name))
    review = services.start_review(filer, file, kind=ReviewKind.INITIAL, form=FORMS[name],
                                   level=max(int(file.category), Level.SECRET))
    request = review.request
    assert request is not None  # start_review always files the request
    for decider in deciders:
        request = decide(decider, request, "approve", comment="同意。")
    file.refresh_from_db()
    return file


def _train_and_sign(filer: User, person: Person, sessions: list[datetime.date],
                    today: datetime.date) -> None:
    """16 学时 in two sessions (rule P4), the 承诺书 (P3) and this year's 责任书 (P5)."""
    for day in sessions:
        services.record_training(filer, person, course="保密法律法规与形势教育", held_on=day,
                                 hours="8", exam_result=ExamResult.PASSED, score=92)
    _sign(filer, person, CommitmentKind.COMMITMENT, today)
    _sign(filer, person, CommitmentKind.RESPONSIBILITY, today)


def _sign(filer: User, person: Person, kind: str, day: datetime.date) -> None:
    version = (MOBILE_COMMITMENT_TEXT_VERSION if kind == CommitmentKind.MOBILE
               else COMMITMENT_TEXT_VERSION)
    services.record_commitment(filer, person, kind=kind, year=day.year, signed_on=day,
                               text_version=version)
