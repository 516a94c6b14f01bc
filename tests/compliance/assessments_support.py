"""What the assessment tests share: the 保密办, the shipped consulting-unit standard and a
helper that scores every item, losing the points asked for and failing the veto items asked
for (rules Q2, Q3)."""

import datetime as dt
from decimal import Decimal

import pytest

from baomi.accounts.roles import Role
from baomi.compliance import services_assessments as services
from baomi.compliance.models import Standard
from baomi.core.labels import Category

ASSESSED_ON = dt.date(2026, 11, 10)


@pytest.fixture
def office(make_user):
    return make_user("office", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                     person__name="刘保密")


@pytest.fixture
def consulting(db):
    services.install_shipped_standards()
    return Standard.objects.get(unit__isnull=True, code="consulting_unit")


def start(office, standard, year=2026, **kwargs):
    return services.start_assessment(office, unit=office.person.unit, standard=standard,
                                     year=year, assessed_on=kwargs.pop(
                                         "assessed_on", ASSESSED_ON.replace(year=year)),
                                     **kwargs)


def entries(assessment, lose=None, unmet=(), notes=None):
    """Score entries for every item: full points less `lose[item]`, veto items met unless
    in `unmet`."""
    lose, notes = lose or {}, notes or {}
    rows = []
    for row in assessment.scores.all():
        entry = {"item": row.item_code, "note": notes.get(row.item_code, "")}
        if row.veto:
            entry["met"] = row.item_code not in unmet
        else:
            entry["awarded"] = row.max_points - Decimal(str(lose.get(row.item_code, 0)))
        rows.append(entry)
    return rows


def scored(office, standard, year=2026, lose=None, unmet=(), complete=True, notes=None):
    assessment = start(office, standard, year=year)
    services.score_items(office, assessment, entries(assessment, lose, unmet, notes))
    if complete:
        assessment = services.complete_assessment(office, assessment)
    return assessment
