"""The register export (国家秘密事项一览表, rule S11): one scheme per file (rule L4), audited,
and the L5 boundary over the list, the detail, the export and the API."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.actions import action_label
from baomi.audit.models import AuditEvent
from baomi.core.labels import Category, Level
from baomi.secrets.exports import SECRET_ITEMS_EXPORTED, register_headers
from baomi.secrets.reads import SECRET_ITEM_READ

from .ui_support import authority, cast, determined, propose  # noqa: F401

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.rule("S11")
def test_export_is_the_register_of_one_scheme(client, cast, authority):
    item = determined(cast)
    propose(cast, number="GZ-9", scheme="work", level=Level.SECRET)
    client.force_login(cast["office"])
    response = client.get(reverse("secrets:item_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = rows_of(response)
    assert list(rows[0]) == register_headers()
    assert len(rows) == 2  # rule L4: the 工作秘密 item is not in the state register
    number, title, mark, _, period, scope = rows[1][:6]
    assert (number, title, mark, period) == ("JM-001", item.title, "机密★10年", "10年")
    assert "张知悉" in scope and "王承办" in scope
    assert rows[1][10] is not None and rows[1][11].date() == date(2035, 1, 14)
    event = AuditEvent.objects.get(action=SECRET_ITEMS_EXPORTED)
    assert json.loads(event.after)["filters"]["scheme"] == "state"
    work = rows_of(client.get(reverse("secrets:item_export") + "?scheme=work"))
    assert [row[0] for row in work[1:]] == ["GZ-9"] and work[1][2] == "工作秘密★10年"


def test_a_formula_stays_text(client, cast, authority):
    propose(cast, number="=1+1", title="=HYPERLINK(\"http://x\")")
    client.force_login(cast["office"])
    rows = rows_of(client.get(reverse("secrets:item_export")))
    assert rows[1][0] == "=1+1" and rows[1][1].startswith("=HYPERLINK")


def test_audit_labels_are_registered():
    assert action_label(SECRET_ITEMS_EXPORTED) != SECRET_ITEMS_EXPORTED
    assert action_label(SECRET_ITEM_READ) != SECRET_ITEM_READ


def sees(client, user, item) -> dict[str, bool]:
    """Whether `user` meets the item in each place it could appear."""
    client.force_login(user)
    listing = client.get(reverse("secrets:item_list")).content.decode()
    api_list = client.get("/api/v1/secrets/items").json()["items"]
    exported = rows_of(client.get(reverse("secrets:item_export")))
    return {
        "list": f'data-id="{item.pk}"' in listing,
        "detail": client.get(reverse("secrets:item_detail", args=[item.pk])).status_code == 200,
        "docx": client.get(reverse("secrets:item_docx", args=[item.pk])).status_code == 200,
        "api": client.get(f"/api/v1/secrets/items/{item.pk}").status_code == 200,
        "api_list": any(entry["id"] == item.pk for entry in api_list),
        "export": any(row[0] == item.number for row in exported[1:]),
    }


NOWHERE = dict.fromkeys(("list", "detail", "docx", "api", "api_list", "export"), False)
EVERYWHERE = dict.fromkeys(NOWHERE, True)


@pytest.mark.rule("L5")
def test_clearance_and_scope_bound_every_view(client, cast, authority, make_user):
    """A 机密 item whose scope names 张知悉 and the whole 研发一部."""
    item = determined(cast, scope_departments=[cast["yf"]])
    # 李秘密 is in the scope through 研发一部 but cleared only for 秘密.
    assert sees(client, cast["li"], item) == NOWHERE
    # 赵无关 is cleared for 机密 but outside the scope and holds no duty.
    assert sees(client, cast["outsider"], item) == NOWHERE
    assert sees(client, cast["zhang"], item) == EVERYWHERE
    # The 保密办 holds the management duty: with 机密 clearance it sees the item …
    office_confidential = make_user("office2", roles=[Role.SECRECY_OFFICE],
                                    category=Category.IMPORTANT)
    assert sees(client, office_confidential, item) == EVERYWHERE
    # … with 秘密 clearance it does not (the duty never lifts the clearance).
    office_secret = make_user("office3", roles=[Role.SECRECY_OFFICE],
                              category=Category.GENERAL)
    assert sees(client, office_secret, item) == NOWHERE
