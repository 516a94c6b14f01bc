"""Demo 要害部门部位 and 涉密会议 of 华信电子科技研究院 (rules M1, M2), through the services:

- three key places registered by the 保密办 (刘晓燕): the 机要室 (a 要害部位 handling 绝密,
  linked to the secure room of the same name), the 档案室 (要害部位, 机密; linked when a secure
  room of that name exists) and the 科研处 (要害部门, 机密), each with its 人防/物防/技防
  measures and the people allowed in;
- a closed 机密 review meeting of 研发一部 three weeks ago: attendees signed in with their
  phones handed in, identities checked, a signal jammer, two documents issued and both
  collected back — one of them the registered carrier HXDZ-ZT-2026-001 when it is in the ledger;
- a 秘密 coordination meeting four days ago, held, with one document still out
  (`compliance.meeting_documents_out` opens at the sweep);
- the 秘密 annual secrecy work meeting planned for next week.

Idempotent: places are registered only when the unit has none, meetings only when it has none.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Department, Unit, User
from baomi.carriers.models import Carrier
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from . import services_places as sp
from .choices_places import PlaceKind
from .models import ClassifiedMeeting, KeyPlace, SecureRoom

PLACES: list[dict[str, Any]] = [
    {"name": "机要室", "kind": PlaceKind.PART, "dept": "BMB", "room": "机要室",
     "location": "行政楼三层 保密办公室内", "level": Level.TOP_SECRET,
     "approval_no": "华信电科保〔2026〕2号",
     "people_measures": "保密办专人管理，双人出入；外来人员一律不得进入，检查人员由保密办负责人陪同并登记",
     "physical_measures": "甲级防盗门、防护铁窗，密码文件柜和保密柜存放涉密载体，钥匙与密码分人保管",
     "technical_measures": "门禁系统（刷卡加指纹），出入口视频监控保存90天，红外入侵报警接入值班室",
     "phone_storage": "门外手机屏蔽存放柜，进入前登记存放",
     "people": ["baomiban", "lingdao"]},
    {"name": "档案室", "kind": PlaceKind.PART, "dept": "ZH", "room": "档案室",
     "location": "行政楼四层 408", "level": Level.CONFIDENTIAL,
     "approval_no": "华信电科保〔2026〕3号",
     "people_measures": "档案管理员专人管理，借阅人员须持审批单在室内查阅，不得带出",
     "physical_measures": "防盗门、密集架加锁，涉密档案单独存放于保密柜",
     "technical_measures": "门禁系统，出入口视频监控保存60天，入侵报警，温湿度监控",
     "phone_storage": "档案室门口手机存放柜",
     "people": ["baomiban", "bumen"]},
    {"name": "科研处", "kind": PlaceKind.DEPARTMENT, "dept": "YF1", "room": "",
     "location": "科研楼二层 201—210", "level": Level.CONFIDENTIAL,
     "approval_no": "华信电科保〔2026〕3号",
     "people_measures": "部门负责人为第一责任人，设兼职保密员；涉密人员上岗前经保密培训并签订保密承诺书",
     "physical_measures": "办公区独立门禁分区，涉密计算机和载体所在房间下班后上锁并贴封条",
     "technical_measures": "区域门禁，走廊视频监控保存30天，涉密会议室配备手机信号屏蔽器",
     "phone_storage": "科研楼二层入口手机存放柜",
     "people": ["bumen", "dingmi", "baomiban"]},
]
APPROVED_DAYS_AGO = 200


def _places(office: User, unit: Unit, today: dt.date) -> int:
    departments = {d.code: d for d in Department.objects.filter(unit=unit)}
    rooms = {r.name: r for r in SecureRoom.objects.filter(unit=unit)}
    users = {u.username: u for u in User.objects.filter(person__unit=unit).select_related(
        "person")}
    for spec in PLACES:
        place = sp.register_key_place(
            office, unit=unit, name=spec["name"], kind=spec["kind"],
            department=departments.get(str(spec["dept"])), location=spec["location"],
            level=spec["level"], approved_on=today - dt.timedelta(days=APPROVED_DAYS_AGO),
            approval_no=spec["approval_no"], people_measures=spec["people_measures"],
            physical_measures=spec["physical_measures"],
            technical_measures=spec["technical_measures"], phone_storage=spec["phone_storage"],
            room=rooms.get(str(spec["room"])))
        for username in spec["people"]:
            user = users.get(username)
            if user is not None and sp.is_cleared(user, place.level):
                sp.grant_place_access(office, place, user=user,
                                      granted_on=place.approved_on + dt.timedelta(days=1))
    return len(PLACES)


def _at(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _fitting_carrier(unit: Unit, level: int) -> Carrier | None:
    """The carrier of the review when the carriers demo registered it, not above the meeting."""
    return Carrier.objects.filter(unit=unit, number="HXDZ-ZT-2026-001",
                                  level__lte=level).first()


def _closed_review(office: User, unit: Unit, users: dict[str, User]) -> None:
    organiser = users["bumen"]
    place = KeyPlace.objects.filter(unit=unit, name="科研处").first()
    meeting = sp.plan_meeting(
        office, unit=unit, title="XX型号总体技术方案评审会", level=Level.CONFIDENTIAL,
        starts_at=_at(21, 9), ends_at=_at(21, 11, 30), organiser=organiser, key_place=place,
        place_text="科研楼二层第一会议室",
        plan="会前对会议室进行保密检查并开启信号屏蔽器；参会人员凭名单签到、核验身份，"
             "手机统一存放于会议室外；会议文件编号发放，会后当场收回清点；会议不录音录像。")
    attendees = [sp.add_attendee(office, meeting, user=users[name])
                 for name in ("bumen", "dingmi", "baomiban") if name in users]
    attendees.append(sp.add_attendee(office, meeting, name="王建国",
                                     organisation="某研究所（总体设计单位）",
                                     id_note="工作证 KY-0317，已核验"))
    for minute, attendee in enumerate(attendees, start=40):
        sp.sign_in_attendee(office, attendee, phone_handed_in=True,
                            at=_at(21, 8, minute))
    sp.record_meeting_measures(office, meeting, identity_check=True, phones_collected=True,
                               signal_jammer=True)
    documents = [sp.issue_meeting_document(
        office, meeting, title="型号总体技术方案（第二版）", number="评审-01", copies=1,
        carrier=_fitting_carrier(unit, meeting.level), issued_to=attendees[-1],
        at=_at(21, 9, 5))]
    documents.append(sp.issue_meeting_document(
        office, meeting, title="评审意见表", number="评审-02", copies=len(attendees),
        at=_at(21, 9, 5)))
    for document in documents:
        sp.return_meeting_document(office, document, at=_at(21, 11, 35))
    sp.close_meeting(office, meeting)


def _held_with_document_out(office: User, unit: Unit, users: dict[str, User]) -> None:
    meeting = sp.plan_meeting(
        office, unit=unit, title="分系统联试协调会", level=Level.SECRET,
        starts_at=_at(4, 14), ends_at=_at(4, 16), organiser=users["dingmi"],
        place_text="科研楼四层第三会议室",
        plan="参会人员签到并上交手机；联试大纲和进度安排会后收回。")
    attendees = [sp.add_attendee(office, meeting, user=users[name])
                 for name in ("dingmi", "yuangong", "bumen") if name in users]
    for minute, attendee in enumerate(attendees, start=50):
        sp.sign_in_attendee(office, attendee, phone_handed_in=True, at=_at(4, 13, minute))
    sp.record_meeting_measures(office, meeting, identity_check=True, phones_collected=True,
                               signal_jammer=False)
    outline = sp.issue_meeting_document(office, meeting, title="分系统联试试验大纲",
                                        number="联试-01", copies=3, at=_at(4, 14, 5))
    sp.return_meeting_document(office, outline, at=_at(4, 16, 5))
    # Still out: 周敏 took the schedule back to her office (rule M2, obligation at the sweep).
    sp.issue_meeting_document(office, meeting, title="联试进度安排（征求意见稿）",
                              number="联试-02", copies=1,
                              issued_to=attendees[1] if len(attendees) > 1 else None,
                              at=_at(4, 14, 5))


def _planned(office: User, unit: Unit, users: dict[str, User]) -> None:
    start = timezone.make_aware(dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=7), dt.time(9, 0)))
    meeting = sp.plan_meeting(
        office, unit=unit, title="年度保密工作部署会", level=Level.SECRET, starts_at=start,
        ends_at=start + dt.timedelta(hours=2), place_text="行政楼二层会议室")
    for name in ("lingdao", "bumen", "yuangong"):
        if name in users:
            sp.add_attendee(office, meeting, user=users[name])


def load(ctx: DemoContext) -> None:
    office: Any = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    today = timezone.localdate()
    if KeyPlace.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo key places already registered")
    else:
        ctx.say(f"compliance: {_places(office, unit, today)} key departments and parts")
    if ClassifiedMeeting.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo classified meetings already recorded")
        return
    users = {u.username: u for u in User.objects.filter(person__unit=unit).select_related(
        "person", "person__unit")}
    _closed_review(office, unit, users)
    _held_with_document_out(office, unit, users)
    _planned(office, unit, users)
    ctx.say("compliance: 3 classified meetings — a closed 机密 review, a held meeting with a "
            "document still out, one planned for next week")
