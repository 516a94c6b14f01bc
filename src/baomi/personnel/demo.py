"""Demo personnel data for 华信电子科技研究院 (HX-DZ): posts, and files in 拟定 for the people
who hold them; the onboarding step (demo_onboarding) then moves some of them on, and the
reports, trips abroad and exits (demo_reports, demo_travel, demo_exit) follow."""

import datetime

from baomi.accounts.models import Department, Person, Unit
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from .models import Post
from .services import people as services

UNIT = "HX-DZ"
# department code, post name, level, duties
POSTS = [
    ("YF1", "型号总师", Level.CONFIDENTIAL, "负责型号总体技术方案，接触机密级设计文件"),
    ("YF1", "设计员", Level.SECRET, "承担型号分系统设计，接触秘密级图纸"),
    ("BMB", "保密员", Level.CONFIDENTIAL, "管理涉密载体台帐、保密检查和培训"),
    ("ZH", "机要员", Level.TOP_SECRET, "收发、登记、保管绝密级文件"),
    ("YF2", "试验员", Level.SECRET, "开展试验并管理秘密级试验数据"),
    ("XX", "涉密网络管理员", Level.CONFIDENTIAL, "运维涉密信息系统"),
]
# username or person name, posts held (department code, post name), started on
HOLDERS = [
    ("baomiban", [("BMB", "保密员")], "2021-03-01"),
    ("bumen", [("YF1", "型号总师")], "2019-07-15"),
    ("dingmi", [("YF1", "设计员"), ("YF1", "型号总师")], "2020-05-10"),
    ("yuangong", [("YF1", "设计员")], "2023-09-01"),
    ("lingdao", [("ZH", "机要员")], "2018-01-02"),
    ("何振宇", [("YF1", "设计员")], "2022-04-18"),
    ("郭婷", [("YF1", "型号总师")], "2021-11-01"),
    ("马骏", [("YF1", "设计员")], "2024-02-26"),
    ("林海峰", [("YF2", "试验员")], "2020-08-03"),
    ("黄丽", [("YF2", "试验员")], "2022-06-20"),
    ("高雪", [("YF2", "试验员")], "2023-03-13"),
    ("梁晨", [("ZH", "机要员")], "2024-05-06"),
    ("韩磊", [("XX", "涉密网络管理员")], "2021-09-27"),
]


def load(context: DemoContext) -> None:
    unit = Unit.objects.get(code=UNIT)
    if Post.objects.filter(unit=unit).exists():
        context.say("personnel: demo posts already loaded")
    else:
        actor = context.users["baomiban"]
        posts = _posts(actor, unit)
        for who, held, started in HOLDERS:
            person = _person(context, unit, who)
            services.open_file(actor, person)
            for key in held:
                services.assign_post(actor, person, posts[key],
                                     started_on=datetime.date.fromisoformat(started))
        context.say(f"personnel: {len(POSTS)} classified posts and {len(HOLDERS)} files in 拟定")
    from . import demo_exit, demo_onboarding, demo_reports, demo_travel

    demo_onboarding.load(context)
    demo_reports.load(context)
    demo_travel.load(context)
    demo_exit.load(context)


def _posts(actor: object, unit: Unit) -> dict[tuple[str, str], Post]:
    departments = {d.code: d for d in Department.objects.filter(unit=unit)}
    return {
        (code, name): services.create_post(actor, department=departments[code], name=name,
                                           level=level, duties=duties)
        for code, name, level, duties in POSTS
    }


def _person(context: DemoContext, unit: Unit, who: str) -> Person:
    if who in context.users:
        return Person.objects.get(pk=context.users[who].person_id)
    return Person.objects.get(unit=unit, name=who)
