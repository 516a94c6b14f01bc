"""rule L5 across every surface of the carrier ledger: for each kind of user and each kind of
carrier, the list page, the search, the carrier page, the .xlsx export, the printed ledger, the
labels, and the API list, search and detail agree — and agree with the rule as written here,
not with the selector. A 机密 user never learns that a 绝密 carrier exists.

Carriers (unit 本单位, 研发一部, custodian `keeper`): a 绝密 carrier without item, a 机密
carrier of the 机密 item whose 知悉范围 names `reader` and `clerk`, a 机密 carrier without item,
and a 秘密 carrier without item.
"""

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import DepartmentFactory, UnitFactory
from baomi.secrets.choices import PeriodKind

from . import page_support as support

cabinet, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.cabinet, support.clerk, support.head, support.item, support.keeper,
    support.office, support.reader, support.register, support.safe, support.yf1)

pytestmark = [pytest.mark.django_db, pytest.mark.rule("L5")]

CARRIERS = ("TS-PLAIN", "CF-ITEM", "CF-PLAIN", "SC-PLAIN")
ALL = frozenset(CARRIERS)
# Who sees what, by the rule: the 保密办 of the unit and the head of the department up to
# their clearance; anyone else only inside the item's 知悉范围 and up to their clearance.
EXPECTED = {
    "office": ALL,
    "office_important": frozenset({"CF-ITEM", "CF-PLAIN", "SC-PLAIN"}),
    "head": ALL,
    "reader": frozenset({"CF-ITEM"}),
    "clerk": frozenset(),             # in the 知悉范围, but cleared 秘密 only
    "outsider": frozenset(),          # cleared 绝密, not in the 知悉范围, no duty
    "other_unit_office": frozenset(),
    "auditor": frozenset(),           # rule T2: the 三员 see no business data
}
LIST_SURFACES = ("page", "search_page", "export", "ledger_docx", "labels", "api", "api_search")


@pytest.fixture
def carriers(register, item):
    level_of = {"TS-PLAIN": Level.TOP_SECRET, "CF-ITEM": Level.CONFIDENTIAL,
                "CF-PLAIN": Level.CONFIDENTIAL, "SC-PLAIN": Level.SECRET}
    made = {}
    for number, level in level_of.items():
        overrides = {"number": number, "level": level, "title": f"载体{number}"}
        if level == Level.TOP_SECRET:
            overrides.update(period_kind=PeriodKind.YEARS, period_value=30)
        if level == Level.SECRET:
            overrides.update(period_value=5)
        if number == "CF-ITEM":
            overrides["secret_item"] = item
        made[number] = register(**overrides)
    return made


@pytest.fixture
def users(office, head, reader, clerk, make_user, auditor):
    other_unit = UnitFactory(name="外单位", code="WDW")
    return {
        "office": office,
        "office_important": make_user("office_m", roles=[Role.SECRECY_OFFICE],
                                      category=Category.IMPORTANT),
        "head": head,
        "reader": reader,
        "clerk": clerk,
        "outsider": make_user("outsider", roles=[Role.STAFF], category=Category.CORE),
        "other_unit_office": make_user(
            "office_w", roles=[Role.SECRECY_OFFICE], category=Category.CORE, unit=other_unit,
            department_=DepartmentFactory(unit=other_unit)),
        "auditor": auditor,
    }


def _numbers_in(text: str) -> frozenset[str]:
    return frozenset(number for number in CARRIERS if number in text)


def _listed(client, surface: str, department_id: int) -> frozenset[str]:
    """The carrier numbers one list surface shows to the logged-in user (none when it is
    closed to them)."""
    if surface.startswith("api"):
        query = "?q=PLAIN" if surface == "api_search" else ""
        response = client.get(f"/api/v1/carriers/carriers{query}")
        if response.status_code != 200:
            return frozenset()
        return frozenset(row["number"] for row in response.json()["items"])
    url = {"page": "/carriers/", "search_page": "/carriers/?q=PLAIN",
           "export": "/carriers/export.xlsx",
           "ledger_docx": f"/carriers/ledger.docx?department={department_id}",
           "labels": "/carriers/labels.docx"}[surface]
    response = client.get(url)
    if response.status_code in (403, 404):
        return frozenset()
    assert response.status_code == 200, (surface, response.status_code)
    if surface == "export":
        rows = support.sheet_rows(support.streamed(response))
        return _numbers_in("\n".join(str(cell) for row in rows for cell in row))
    if surface in ("ledger_docx", "labels"):
        return _numbers_in(support.docx_text(response.content))
    return _numbers_in(response.content.decode())


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_every_surface_shows_what_the_rule_allows(client, carriers, users, yf1, who):
    client.force_login(users[who])
    expected = EXPECTED[who]
    searched = frozenset(number for number in expected if "PLAIN" in number)
    for surface in LIST_SURFACES:
        wanted = searched if "search" in surface else expected
        assert _listed(client, surface, yf1.pk) == wanted, (who, surface)
    for number, carrier in carriers.items():
        visible = number in expected
        page = client.get(f"/carriers/{carrier.pk}/")
        api = client.get(f"/api/v1/carriers/carriers/{carrier.pk}")
        assert (page.status_code == 200) == visible, (who, number, page.status_code)
        assert (api.status_code == 200) == visible, (who, number, api.status_code)
        if not visible:  # the same answer as for a carrier that does not exist
            assert page.status_code == client.get("/carriers/999999/").status_code
            assert api.status_code in (403, 404)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_movements_of_carriers_show_what_the_rule_allows(client, carriers, users, make_user,
                                                         who):
    """The movements out of the unit (rules C2, C6) of each carrier, asked by the 保密办:
    listed and shown only to whoever sees the carrier."""
    from baomi.carriers import services
    from baomi.carriers.models.movement import MovementKind

    office = users["office"]
    for name, role in (("office_head", Role.DEPARTMENT_HEAD), ("office2", Role.SECRECY_OFFICE),
                       ("leader", Role.LEADER)):
        make_user(name, roles=[role], category=Category.CORE)  # the chain's approvers
    # the item's carrier is carried by someone in its 知悉范围 (rule C5)
    carried_by = {"CF-ITEM": users["reader"].person}
    movements = {number: services.request_movement(
        office, carrier, kind=MovementKind.CARRY_OUT, destination="总体部", purpose="评审",
        escorts=["张三", "李四"], carried_by=carried_by.get(number),
        due_back_on=support.today()) for number, carrier in carriers.items()}
    client.force_login(users[who])
    response = client.get("/api/v1/carriers/movements")
    listed = (frozenset(row["carrier_number"] for row in response.json()["items"])
              if response.status_code == 200 else frozenset())
    assert listed == EXPECTED[who]
    for number, movement in movements.items():
        shown = client.get(f"/api/v1/carriers/movements/{movement.pk}").status_code == 200
        assert shown == (number in EXPECTED[who]), (who, number)
