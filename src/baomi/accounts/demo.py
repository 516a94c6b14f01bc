"""Demo group 华信集团: two units, departments, people and one login per role."""

from typing import Any

from baomi.accounts import services
from baomi.accounts.models import Department, Person, Unit, User
from baomi.accounts.roles import Role
from baomi.core.demo import DEMO_PASSWORD, DemoContext
from baomi.core.labels import Category

INITIAL_PASSWORD = "Chushi#2026"

UNITS = [
    # code, name, kind, parent, policy profile
    ("HX", "华信集团", Unit.Kind.GROUP, None, "law-commentary"),
    ("HX-DZ", "华信电子科技研究院", Unit.Kind.UNIT, "HX", "law-commentary"),
    ("HX-ZX", "华信保密咨询有限公司", Unit.Kind.UNIT, "HX", "consulting-unit"),
]
DEPARTMENTS = {
    "HX-DZ": [("BMB", "保密办公室"), ("ZH", "综合办公室"), ("RL", "人力资源部"),
              ("YF1", "研发一部"), ("YF2", "研发二部"), ("XX", "信息中心")],
    "HX-ZX": [("BMB", "保密办"), ("ZX", "咨询业务部")],
}
# username, name, unit, department, category, roles, description
LOGINS = [
    ("xitong", "王志强", "HX-DZ", "XX", Category.NONE, [Role.SYSADMIN],
     "系统管理员（管理账户，看不到业务数据）"),
    ("anquan", "李慧敏", "HX-DZ", "BMB", Category.IMPORTANT, [Role.SECADMIN],
     "安全保密管理员（角色、涉密类别、策略）"),
    ("shenji", "赵国庆", "HX-DZ", "ZH", Category.GENERAL, [Role.AUDITOR],
     "安全审计员（审计记录、导出、检查点）"),
    ("lingdao", "陈建华", "HX-DZ", "ZH", Category.CORE, [Role.LEADER], "单位领导"),
    ("baomiban", "刘晓燕", "HX-DZ", "BMB", Category.CORE, [Role.SECRECY_OFFICE], "保密办"),
    ("bumen", "张伟", "HX-DZ", "YF1", Category.IMPORTANT, [Role.DEPARTMENT_HEAD],
     "研发一部部门负责人"),
    ("dingmi", "孙立新", "HX-DZ", "YF1", Category.IMPORTANT, [Role.CLASSIFICATION_OFFICER],
     "定密责任人"),
    ("yuangong", "周敏", "HX-DZ", "YF1", Category.GENERAL, [Role.STAFF], "涉密人员（研发一部）"),
    ("zixun", "吴静", "HX-ZX", "BMB", Category.IMPORTANT, [Role.SECRECY_OFFICE],
     "咨询公司保密办"),
]
# People without a login: most 涉密人员 of a unit never use the system themselves.
PEOPLE = [
    ("HX-DZ", "YF1", "何振宇", Category.GENERAL), ("HX-DZ", "YF1", "郭婷", Category.IMPORTANT),
    ("HX-DZ", "YF1", "马骏", Category.GENERAL), ("HX-DZ", "YF2", "林海峰", Category.IMPORTANT),
    ("HX-DZ", "YF2", "黄丽", Category.GENERAL), ("HX-DZ", "YF2", "罗斌", Category.NONE),
    ("HX-DZ", "YF2", "高雪", Category.GENERAL), ("HX-DZ", "ZH", "梁晨", Category.NONE),
    ("HX-DZ", "RL", "宋佳", Category.GENERAL), ("HX-DZ", "RL", "唐明", Category.NONE),
    ("HX-DZ", "XX", "韩磊", Category.GENERAL), ("HX-DZ", "XX", "冯洁", Category.NONE),
    ("HX-ZX", "ZX", "曹阳", Category.IMPORTANT), ("HX-ZX", "ZX", "彭琳", Category.GENERAL),
]


def load(context: DemoContext) -> None:
    if Unit.objects.filter(code="HX").exists():
        context.say("accounts: demo group 华信集团 already loaded")
        context.users.update({u.username: u for u in User.objects.filter(
            username__in=[row[0] for row in LOGINS])})
    else:
        units = _units()
        departments = _departments(units)
        _people(units, departments)
        for row in LOGINS:
            context.users[row[0]] = _login(units, departments, *row[:6])
        # 秘密级 passwords are changed monthly in the secondary sources (rule D6 [S]).
        services.set_policy_override(context.users["anquan"], units["HX-DZ"],
                                     "password.max_age_days", 30,
                                     reason="按保密局建议，涉密人员口令每月更换")
        context.say("accounts: created 华信集团 with 2 units, 8 departments and "
                    f"{len(LOGINS) + len(PEOPLE)} people")
    context.logins.extend((row[0], f"{row[1]} · {row[6]}") for row in LOGINS)


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for code, name, kind, parent, profile in UNITS:
        units[code] = services.create_unit(None, name=name, code=code, kind=kind,
                                           parent=units.get(parent) if parent else None)
        services.set_policy_profile(None, units[code], profile)
    return units


def _departments(units: dict[str, Unit]) -> dict[tuple[str, str], Department]:
    return {
        (unit_code, code): services.create_department(None, unit=units[unit_code], name=name,
                                                      code=code)
        for unit_code, rows in DEPARTMENTS.items() for code, name in rows
    }


def _people(units: dict[str, Unit], departments: dict[tuple[str, str], Department]) -> None:
    for number, (unit_code, dept, name, category) in enumerate(PEOPLE, start=100):
        person = services.create_person(None, unit=units[unit_code],
                                        department=departments[(unit_code, dept)], name=name,
                                        employee_no=f"{unit_code}-{number:04d}")
        _categorise(person, category)


def _login(units: dict[str, Unit], departments: dict[tuple[str, str], Department], username: str,
           name: str, unit_code: str, dept: str, category: int, roles: list[Any]) -> User:
    user = services.create_person_and_user(
        None, unit=units[unit_code], department=departments[(unit_code, dept)], name=name,
        employee_no=f"{unit_code}-{username}", username=username,
        initial_password=INITIAL_PASSWORD,
    )
    services.change_password(user, INITIAL_PASSWORD, DEMO_PASSWORD)
    _categorise(user.person, category)
    for role in roles:
        services.assign_role(None, user, role, reason="演示数据")
    return user


def _categorise(person: Person, category: int) -> None:
    if category != Category.NONE:
        services.set_person_category(None, person, category, reason="演示数据：按岗位密级确定")
