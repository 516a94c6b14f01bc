"""The demo 保密委员会 of 华信电子科技研究院 (rule Q1), recorded by its 保密办 (刘晓燕) through
the services:

- established 2021-03-15 by 华信研〔2021〕12号, chaired by the legal representative 陈建华
  (lingdao), with a deputy (the vice-president 周建国, without a login), the head of the 保密办
  刘晓燕 and four members with their duties;
- last year two meetings (March and December) with minutes; this year only one, in April:
  from 1 October the sweep of `baomi demo` opens `compliance.committee_meetings`.

Idempotent: nothing is written when the unit already has an active committee.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext

from . import services_org
from .choices_org import CommitteeKind, MeetingKind, MemberPosition
from .models import Committee, CommitteeMember
from .services_org import members_on

UNIT_CODE = "HX-DZ"
ESTABLISHED_ON = dt.date(2021, 3, 15)
LEGAL_REPRESENTATIVE = "陈建华"
DUTIES = ("贯彻落实党和国家保密工作方针政策和法律法规，研究部署本单位保密工作；"
          "审定保密管理制度和年度保密工作计划；组织保密检查和保密教育培训；"
          "研究解决保密工作中的重大问题；对泄密事件组织查处。")


@dataclass
class DemoMember:
    """A member: a login (username) or a name, position, post in the unit and duties."""

    name: str
    position: str
    title: str
    duties: str
    username: str = ""


MEMBERS = [
    DemoMember("周建国", MemberPosition.DEPUTY, "副院长", "协助主任分管保密工作，主持日常保密工作会议"),
    DemoMember("刘晓燕", MemberPosition.OFFICE_HEAD, "保密办公室主任",
               "负责委员会日常工作，组织保密检查、教育培训和涉密人员管理", "baomiban"),
    DemoMember("张伟", MemberPosition.MEMBER, "研发一部主任", "负责研发一部涉密项目和涉密载体管理",
               "bumen"),
    DemoMember("孙立新", MemberPosition.MEMBER, "定密责任人", "负责定密工作和国家秘密事项管理",
               "dingmi"),
    DemoMember("宋佳", MemberPosition.MEMBER, "人力资源部主任", "负责涉密人员上岗审查、离岗脱密期管理"),
    DemoMember("韩磊", MemberPosition.MEMBER, "信息中心主任", "负责涉密信息系统和涉密计算机技术防护"),
]


@dataclass
class DemoMeeting:
    """A meeting `years_ago` years back on month/day, with the absent members and why."""

    years_ago: int
    month: int
    day: int
    place: str
    topics: str
    minutes: str
    decisions: str
    absent: dict[str, str]


MEETINGS = [
    DemoMeeting(1, 3, 18, "行政楼三层第一会议室",
                "1. 传达上级保密工作会议精神；2. 审议年度保密工作计划；3. 部署涉密人员年度复审",
                "会议由主任陈建华主持。保密办刘晓燕汇报了上年度保密工作情况和本年度保密工作计划"
                "（草案）。与会委员逐项讨论了计划内容，一致同意按计划开展保密检查、教育培训和涉密人员"
                "复审工作。陈建华强调，各部门负责人是本部门保密工作第一责任人，要层层落实保密责任。",
                "1. 审议通过年度保密工作计划；2. 二季度完成涉密人员年度复审；"
                "3. 各部门与涉密人员签订保密责任书", {"韩磊": "出差"}),
    DemoMeeting(1, 12, 16, "行政楼三层第一会议室",
                "1. 年度保密自查自评情况通报；2. 涉密计算机检查发现问题整改；3. 年度保密自查报告审议",
                "会议由主任陈建华主持。保密办通报了年度保密自查自评情况及涉密计算机检查中发现的问题，"
                "信息中心汇报了整改进展。会议审议了年度保密自查报告，要求于12月底前报送上级主管部门。",
                "1. 审议通过年度保密自查报告；2. 整改事项于次年1月底前完成并复查；"
                "3. 表彰保密工作先进个人", {}),
    DemoMeeting(0, 4, 21, "行政楼三层第一会议室",
                "1. 上年度保密工作总结；2. 本年度保密工作要点；3. 新修订保密法宣传教育安排",
                "会议由主任陈建华主持。与会委员听取了上年度保密工作总结，讨论了本年度保密工作要点，"
                "对新修订保密法学习宣传作出安排。",
                "1. 印发本年度保密工作要点；2. 5月组织全员保密法专题培训",
                {"周建国": "参加上级单位会议", "宋佳": "病假"}),
]


def load(context: DemoContext) -> None:
    unit = Unit.objects.filter(code=UNIT_CODE).first()
    if unit is None:
        return
    if Committee.objects.filter(unit=unit, active=True).exists():
        context.say("compliance: the demo secrecy committee already recorded")
        return
    office, users = context.users["baomiban"], context.users
    committee = services_org.establish_committee(
        office, unit=unit, kind=CommitteeKind.COMMITTEE, name="华信电子科技研究院保密委员会",
        established_on=ESTABLISHED_ON, document_number="华信研〔2021〕12号",
        legal_representative=LEGAL_REPRESENTATIVE, duties=DUTIES,
        chair_user=users["lingdao"], chair_title="院长",
        chair_duties="全面领导本单位保密工作，对保密工作负总责")
    for spec in MEMBERS:
        services_org.add_member(
            office, committee, position=spec.position, from_on=ESTABLISHED_ON,
            user=users[spec.username] if spec.username else None,
            name="" if spec.username else spec.name, title=spec.title, duties=spec.duties)
    today = timezone.localdate()
    held = 0
    for meeting in MEETINGS:
        day = dt.date(today.year - meeting.years_ago, meeting.month, meeting.day)
        if day > today:
            continue
        services_org.record_meeting(
            office, committee, held_on=day, place=meeting.place, kind=MeetingKind.REGULAR,
            topics=meeting.topics, minutes=meeting.minutes, decisions=meeting.decisions,
            attendance=_attendance(committee, day, meeting.absent))
        held += 1
    context.say(f"compliance: recorded the secrecy committee with {len(MEMBERS) + 1} members "
                f"and {held} meetings")


def _attendance(committee: Committee, day: dt.date, absent: dict[str, str]) -> list[dict[str, object]]:
    members: list[CommitteeMember] = list(members_on(committee, day))
    return [{"member": member.pk, "present": member.name not in absent,
             "absence_reason": absent.get(member.name, "")} for member in members]
