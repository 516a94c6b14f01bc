"""The figures of a unit's year, as the 年度保密自查报告 (rule Q5) and the 保密办's overview
read them: classified personnel and their training, carriers, devices, incidents and
obligations. One grouped query per table, so a unit of 200,000 carriers costs a handful of
index scans.

Every figure stops at `max_level` (rule L5): a reader cleared for 机密 does not learn how many
绝密 carriers the unit holds. Carriers and incidents of 工作秘密 and 商业秘密 carry no state
level (rule L4) and always count.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone, translation

from baomi.accounts.models import Unit
from baomi.carriers.choices import CarrierState
from baomi.carriers.models import Carrier, DestructionBatch, Loan, Movement
from baomi.core.labels import Category, Level, Scheme
from baomi.devices.choices import FAMILY, DeviceKind, DeviceState, MediumState
from baomi.devices.models import Device, DeviceCheck, Maintenance, Medium, Retirement
from baomi.obligations.models import Obligation
from baomi.personnel.choices import SERVING
from baomi.personnel.models import PersonnelFile, TrainingRecord

from .choices import IncidentKind, IncidentState
from .models import Incident
from .selectors_assessments import assessments_summary
from .selectors_firms import firm_summary
from .selectors_inspections import inspection_summary
from .selectors_org import committee_summary
from .selectors_places import places_summary
from .selectors_publications import publication_summary
from .selectors_qualification import qualification_summary


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of `year` and of the next one, in local time."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def _cleared(max_level: int) -> Q:
    """rule L5 on a model with `scheme` and `level`."""
    return ~Q(scheme=Scheme.STATE) | Q(level__lte=max_level)


def _grouped(rows: Any, key: str) -> dict[str, int]:
    return {str(row[key]): int(row["n"]) for row in rows}


def people_by_category(unit: Unit) -> dict[str, int]:
    """Classified personnel in post (or leaving) by category, 核心 first."""
    counts = _grouped(PersonnelFile.objects.filter(unit=unit, state__in=SERVING)
                      .values("category").annotate(n=Count("id")), "category")
    return {str(int(c)): counts.get(str(int(c)), 0)
            for c in (Category.CORE, Category.IMPORTANT, Category.GENERAL)}


def carriers_by_level_state(unit: Unit, max_level: int) -> dict[str, dict[str, int]]:
    """Carriers on the ledger (not destroyed) counted by level, then state."""
    by_level_state: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (Carrier.objects.filter(unit=unit).filter(_cleared(max_level))
                .exclude(state=CarrierState.DESTROYED)
                .values("level", "state").annotate(n=Count("id"))):
        by_level_state[str(row["level"])][row["state"]] = int(row["n"])
    return dict(by_level_state)


def people_figures(unit: Unit, year: int) -> dict[str, Any]:
    """Classified personnel in post by category, who came into post and who left in the year,
    and the training of the unit's people in the year (rule P4)."""
    files = PersonnelFile.objects.filter(unit=unit)
    by_category = people_by_category(unit)
    training = TrainingRecord.objects.filter(person__unit=unit, held_on__year=year).aggregate(
        sessions=Count("id"), hours=Sum("hours"), people=Count("person", distinct=True))
    return {
        "by_category": by_category,
        "in_post": sum(by_category.values()),
        "joined": files.filter(in_post_since__year=year).count(),
        "left": files.filter(left_on__year=year).count(),
        "training_sessions": training["sessions"],
        "training_hours": str(training["hours"] or 0),
        "trained_people": training["people"],
    }


def carrier_figures(unit: Unit, year: int, max_level: int) -> dict[str, Any]:
    """Carriers on the ledger by level and state, registered in the year by level, and the
    year's loans, movements out of the unit and destructions."""
    start, end = year_bounds(year)
    carriers = Carrier.objects.filter(unit=unit).filter(_cleared(max_level))
    registered = _grouped(carriers.filter(received_on__year=year).values("level")
                          .annotate(n=Count("id")), "level")
    return {
        "by_level_state": carriers_by_level_state(unit, max_level),
        "registered": registered,
        "loans": Loan.objects.filter(carrier__in=carriers, handed_out_at__gte=start,
                                     handed_out_at__lt=end).count(),
        "movements": Movement.objects.filter(carrier__in=carriers, out_at__gte=start,
                                             out_at__lt=end).count(),
        "destroyed": carriers.filter(
            destruction_items__batch__destroyed_at__gte=start,
            destruction_items__batch__destroyed_at__lt=end).count(),
        "destruction_batches": DestructionBatch.objects.filter(
            unit=unit, destroyed_at__gte=start, destroyed_at__lt=end).count(),
    }


def device_figures(unit: Unit, year: int, max_level: int) -> dict[str, Any]:
    """Devices and media on the ledger (not retired) by family and level, and the year's
    checks, findings, maintenances and retirements."""
    start, end = year_bounds(year)
    devices = Device.objects.filter(unit=unit, level__lte=max_level)
    media_all = Medium.objects.filter(unit=unit, level__lte=max_level)
    by_family: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (devices.exclude(state=DeviceState.RETIRED)
                .values("kind", "level").annotate(n=Count("id"))):
        family = str(FAMILY[DeviceKind(row["kind"])])
        by_family[family][str(row["level"])] = (by_family[family].get(str(row["level"]), 0)
                                                + int(row["n"]))
    media = _grouped(media_all.exclude(state=MediumState.RETIRED).values("level")
                     .annotate(n=Count("id")), "level")
    checks = DeviceCheck.objects.filter(device__in=devices, checked_on__year=year)
    return {
        "by_family_level": dict(by_family),
        "media_by_level": media,
        "checks": checks.count(),
        "findings": checks.aggregate(n=Count("findings"))["n"],
        "maintenances": Maintenance.objects.filter(device__in=devices, created_at__gte=start,
                                                   created_at__lt=end).count(),
        "retired": Retirement.objects.filter(
            Q(device__in=devices) | Q(medium__in=media_all),
            handed_over_on__year=year).count(),
    }


def incident_figures(unit: Unit, year: int, max_level: int) -> dict[str, Any]:
    """Leaks and suspected leaks discovered in the year (rule I1), and how many are closed
    (rule I2)."""
    incidents = Incident.objects.filter(unit=unit, discovered_on__year=year).filter(
        _cleared(max_level))
    by_kind = _grouped(incidents.values("kind").annotate(n=Count("id")), "kind")
    return {
        "leaks": by_kind.get(IncidentKind.LEAK, 0),
        "suspected": by_kind.get(IncidentKind.SUSPECTED_LEAK, 0),
        "closed": incidents.filter(state=IncidentState.CLOSED).count(),
    }


def obligation_figures(unit: Unit, year: int, today: dt.date, max_level: int
                       ) -> dict[str, Any]:
    """Deadlines raised in the year and those still open today, overdue or not."""
    start, end = year_bounds(year)
    obligations = Obligation.objects.filter(unit=unit, level__lte=max_level)
    open_now = obligations.filter(state=Obligation.State.OPEN)
    return {
        "raised": obligations.filter(opened_at__gte=start, opened_at__lt=end).count(),
        "open": open_now.count(),
        "overdue": open_now.filter(due_date__lt=today).count(),
    }


def _json(value: Any) -> Any:
    """Summaries made JSON-ready: decimals and dates as text, mapping keys as text."""
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


def work_figures(unit: Unit, year: int, today: dt.date) -> dict[str, Any]:
    """The year's secrecy work of the other parts: the 保密委员会 (rule Q1), key places and
    classified meetings (M1, M2), inspections and rectifications (Q9, Q10), the scored
    assessment (Q2, Q3), qualifications and unit changes (Q4, Q6), outside firms (Q8, Q11) and
    publication review (Q12). Labels are the printed report's Chinese."""
    with translation.override("zh-hans"):
        committee = committee_summary(unit, year)
        committee["committee"] = committee["committee"].name if committee["committee"] else None
        return _json({
            "committee": committee,
            "places": places_summary(unit, year),
            "inspections": inspection_summary(unit, year, today),
            "assessment": assessments_summary(unit, year),
            "qualification": qualification_summary(unit, year),
            "firms": firm_summary(unit, year),
            "publications": asdict(publication_summary(unit, year)),
        })


def annual_figures(unit: Unit, year: int, max_level: int = Level.TOP_SECRET,
                   today: dt.date | None = None) -> dict[str, Any]:
    """Everything the annual report states for `unit` and `year`, as JSON-ready values."""
    today = today or timezone.localdate()
    return {
        "unit": unit.name, "year": year, "max_level": int(max_level),
        "as_of": today.isoformat(),
        "people": people_figures(unit, year),
        "carriers": carrier_figures(unit, year, max_level),
        "devices": device_figures(unit, year, max_level),
        "incidents": incident_figures(unit, year, max_level),
        "obligations": obligation_figures(unit, year, today, max_level),
        **work_figures(unit, year, today),
    }
