"""Demo leak incidents of 华信电子科技研究院 (rules I1, I2), dated back from now:

- 周敏 (yuangong, 研发一部) reports a suspected leak she discovered: a colleague photographed a
  秘密 document with his personal phone. The 保密办 (baomiban, 刘晓燕) reports it to the 保密局
  within 24 hours, records the remedial measures and the four items of 四不放过, and closes it;
- a 机密 technical document sent through a personal internet mailbox, reported to the 保密局
  only after three days (flagged late), still under investigation with the cause and the
  responsibility done: past the policy days, the sweep raises `compliance.incident_open`.

The incidents recorded by the carriers (rule C8) and devices (rule D3) demos stay open and not
reported, so that `compliance.incident_report_due` shows. All through the services.
Idempotent: nothing is written when the first incident's title already exists in the unit.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from .choices import IncidentKind
from .models import Incident
from .services_incidents import (
    add_measure,
    close_incident,
    record_bureau_report,
    record_investigation,
    report_incident,
)

PHONE_TITLE = "秘密级文件被个人手机拍照"
MAIL_TITLE = "机密级技术资料经互联网邮箱发送"
BUREAU = "市国家保密局"


def _ago(now: dt.datetime, days: int, hours: int = 0) -> dt.datetime:
    return now - dt.timedelta(days=days, hours=hours)


def _phone_photo(staff: Any, office: Any, unit: Unit, now: dt.datetime) -> Incident:
    """A suspected leak reported by the staff member who saw it, handled and closed."""
    incident = report_incident(
        staff, unit=unit, kind=IncidentKind.SUSPECTED_LEAK, level=Level.SECRET,
        title=PHONE_TITLE, discovered_at=_ago(now, 20, 3),
        description="研发一部会议室内，一名同事用个人手机拍摄了秘密级《XX型号测试大纲》的两页，"
                    "本人当场发现并制止，随即报告保密办。")
    add_measure(office, incident, taken_at=_ago(now, 20, 2),
                measure="当场查看该手机，确认照片未上传、未转发，在保密办见证下删除照片并清空回收站。")
    record_bureau_report(office, incident, reported_at=_ago(now, 19, 20), reported_to=BUREAU)
    add_measure(office, incident, taken_at=_ago(now, 19, 6),
                measure="对该手机进行技术检查，确认无云同步和第三方备份；收回文件并核对份数。")
    day = timezone.localdate(now) - dt.timedelta(days=12)
    record_investigation(office, incident, on=day,
                         cause="当事人保密意识淡薄，为方便会后查阅擅自拍摄涉密文件。",
                         responsibility="对当事人通报批评并扣发当季保密补贴，调离涉密岗位三个月。")
    record_investigation(office, incident, on=day + dt.timedelta(days=3),
                         rectification="涉密会议室入口设置手机存放柜，会前统一收存手机。",
                         education="研发一部全体人员参加保密警示教育，签订手机使用保密承诺书。")
    return close_incident(office, incident)


def _mail_leak(office: Any, unit: Unit, now: dt.datetime) -> Incident:
    """A leak reported to the 保密局 after three days, still under investigation."""
    incident = report_incident(
        office, unit=unit, kind=IncidentKind.LEAK, level=Level.CONFIDENTIAL,
        title=MAIL_TITLE, discovered_at=_ago(now, 45, 5),
        description="信息中心网络监测发现，研发二部一名工作人员将机密级技术资料压缩后"
                    "通过个人互联网邮箱发送给外单位合作人员。")
    add_measure(office, incident, taken_at=_ago(now, 45, 2),
                measure="立即联系收件方删除邮件及附件，封存发件计算机，停止当事人涉密信息系统账号。")
    record_bureau_report(office, incident, reported_at=_ago(now, 42), reported_to=BUREAU)
    day = timezone.localdate(now) - dt.timedelta(days=30)
    record_investigation(office, incident, on=day,
                         cause="当事人违规使用非涉密计算机和互联网邮箱处理、传递涉密资料。",
                         responsibility="当事人给予行政记过处分，部门负责人作书面检查。")
    return incident


def load(ctx: DemoContext) -> None:
    office, staff = ctx.users.get("baomiban"), ctx.users.get("yuangong")
    if office is None or staff is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Incident.objects.filter(unit=unit, title=PHONE_TITLE).exists():
        ctx.say("compliance: demo leak incidents already recorded")
        return
    now = timezone.now().replace(second=0, microsecond=0)
    _phone_photo(staff, office, unit, now)
    _mail_leak(office, unit, now)
    ctx.say("compliance: a suspected leak reported in time and closed, a leak reported late "
            "still under investigation")
