"""The register of key departments and parts (要害部门部位登记表, rule M1) as .xlsx, streamed
through openpyxl's write_only mode, with the people allowed in each place."""

from collections import defaultdict
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.labels import Level
from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices_places import PlaceKind
from .models import KeyPlace, KeyPlacePerson


def register_headers() -> list[str]:
    return [_("Name"), _("Kind"), _("Department"), _("Location"), _("Highest level handled"),
            _("Approved on"), _("Approval document number"), _("Personnel measures"),
            _("Physical measures"), _("Technical measures"), _("Where phones are left"),
            _("Secure room"), _("In use"), _("People allowed in")]


def _people(places: list[KeyPlace]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    grants = KeyPlacePerson.objects.filter(place__in=places, revoked_on__isnull=True).values_list(
        "place_id", "user__person__name").order_by("id")
    for place_id, name in grants:
        names[place_id].append(name)
    return names


def key_place_register(places: QuerySet[KeyPlace]) -> IO[bytes]:
    """The visible places, one row each, with the people allowed in now."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Key departments and parts"))
    sheet.append(register_headers())
    rows = list(places.select_related("department", "room").order_by("name", "id")[:MAX_ROWS])
    people = _people(rows)
    yes, no = _("yes"), _("no")
    for place in rows:
        values = [place.name, str(PlaceKind(place.kind).label),
                  place.department.name if place.department else "", place.location,
                  str(Level(place.level).label), place.approved_on.isoformat(),
                  place.approval_no, place.people_measures, place.physical_measures,
                  place.technical_measures, place.phone_storage,
                  place.room.name if place.room else "", yes if place.active else no,
                  "、".join(people.get(place.pk, []))]
        sheet.append([text_cell(sheet, value) for value in values])
    return saved_workbook(workbook)
