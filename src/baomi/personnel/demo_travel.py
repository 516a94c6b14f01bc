"""Demo 出国(境) (rules P8, P9): a 因私 trip closed (passport back, visit done), a 因公 trip
returned 12 days ago with the passport not back (overdue), and a trip approved awaiting the
pre-trip talk. Filed by 保密办干事 (baomiyuan), decided by 部门负责人, 保密办, 单位领导.
Idempotent."""

import datetime
from typing import Any

from django.utils import timezone

from baomi.accounts.models import Person
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext

from .models import PersonnelFile, Trip
from .services import travel

TALKERS = ["保密办主任", "保密办干事"]


def load(context: DemoContext) -> None:
    office = context.users["baomiban"]
    if Trip.objects.filter(file__unit_id=office.person.unit_id).exists():
        context.say("personnel: demo trips already loaded")
        return
    filer = context.users.get("baomiyuan")
    zhou, he = (_file(office, name) for name in ("周敏", "何振宇"))
    if filer is None or zhou is None or he is None:
        return
    deciders = [context.users[n] for n in ("bumen", "baomiban", "lingdao")]
    today = timezone.localdate()
    days = datetime.timedelta
    passports = {
        file.pk: travel.register_document(filer, file.person, kind="passport", number=number,
                                          issued_on=datetime.date(2021, 5, 10),
                                          expires_on=datetime.date(2031, 5, 9))
        for file, number in ((zhou, "EA1234567"), (he, "EB7654321"))}

    closed = _approved(filer, deciders, zhou, "private", "泰国", "春节探亲", today, 5)
    _before_trip(filer, closed, passports[zhou.pk], today - days(30))
    travel.record_return(filer, closed, returned_on=today - days(20))
    travel.receive_document(filer, closed, received_on=today - days(15))
    travel.record_return_visit(filer, closed, visited_on=today - days(14),
                               visitors=["保密办干事"], findings="在境外未发现异常情况。")

    late = _approved(filer, deciders, he, "official", "德国", "参加国际学术会议", today, 6)
    _before_trip(filer, late, passports[he.pk], today - days(20))
    travel.record_return(filer, late, returned_on=today - days(12))

    _approved(filer, deciders, zhou, "private", "日本", "旅游", today + days(14), 7)
    context.say("personnel: 3 trips abroad (1 closed, 1 passport overdue, 1 awaiting the "
                "pre-trip talk)")


def _file(office: Any, name: str) -> PersonnelFile | None:
    person = Person.objects.filter(unit_id=office.person.unit_id, name=name).first()
    file = getattr(person, "personnel_file", None) if person else None
    return file if file is not None and file.state == "in_post" else None


def _approved(filer: Any, deciders: list[Any], file: PersonnelFile, kind: str, where: str,
              purpose: str, depart: datetime.date, length: int) -> Trip:
    trip = travel.apply_for_trip(filer, file, purpose_kind=kind, destinations=where,
                                 purpose=purpose, depart_on=depart,
                                 return_on=depart + datetime.timedelta(days=length))
    request = trip.request
    assert request is not None  # apply_for_trip always files the request
    for decider in deciders:
        request = decide(decider, request, "approve", comment="同意。")
    trip.refresh_from_db()
    return trip


def _before_trip(filer: Any, trip: Trip, passport: Any, day: datetime.date) -> None:
    travel.record_pre_trip_talk(filer, trip, talkers=TALKERS, held_on=day,
                                notes="提醒不携带涉密载体出境，遇有可疑情况及时报告。")
    travel.record_travel_commitment(filer, trip, signed_on=day)
    travel.issue_document_for_trip(filer, trip, document=passport, issued_on=day)
