"""The printed forms: 定密审批表 (rules S1, S4, S9) and 变更及解密审批表 (rules S9, S10)."""

import io

import pytest
from django.urls import reverse
from docx import Document

from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.secrets import services

from .ui_support import authority, cast, determined, propose  # noqa: F401

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.rule("S4")
def test_item_form_has_the_item_scope_and_decision(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["proposer"])
    response = client.get(reverse("secrets:item_docx", args=[item.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "国家秘密定密审批表" in text
    for expected in ("JM-001", "机密★10年", "保密事项范围目录第3项", "张知悉", "王承办",
                     "定密责任人审核意见", "同意", "2025年1月15日"):
        assert expected in text, expected
    assert AuditEvent.objects.filter(action="SECRET_ITEM_READ", object_id=str(item.pk)).exists()


@pytest.mark.rule("S3")
def test_provisional_item_form_says_when_the_decision_is_due(client, cast):
    item = propose(cast)
    client.force_login(cast["office"])
    text = text_of(client.get(reverse("secrets:item_docx", args=[item.pk])).content)
    assert "先行拟定" in text and f"{item.provisional_due_on.year}年" in text
    assert "签字：________________" in text  # no decision yet: a blank signature line


@pytest.mark.rule("S10")
def test_change_form_shows_old_and_new_mark(client, cast, authority):
    item = determined(cast)
    filed = services.request_change(cast["office"], item, kind="level", level=3,
                                    reason="涉及核心参数")
    decide(cast["officer"], Request.objects.get(pk=filed.pk), "approve", comment="同意升级")
    change = item.changes.get(kind="level")
    client.force_login(cast["office"])
    response = client.get(reverse("secrets:change_docx", args=[change.pk]))
    assert response.status_code == 200
    text = text_of(response.content)
    for expected in ("变更及解密审批表", "密级变更", "机密★10年", "绝密★10年", "涉及核心参数",
                     "同意升级", cast["office"].person.name, "变更）"):
        assert expected in text, expected


@pytest.mark.rule("L5")
def test_forms_of_items_out_of_reach_are_404(client, cast, authority):
    item = determined(cast)
    filed = services.request_change(
        cast["proposer"], item, kind="declassify", reason="已公开")
    decide(cast["officer"], filed, "approve")
    change = item.changes.get(kind="declassify")
    client.force_login(cast["outsider"])
    assert client.get(reverse("secrets:item_docx", args=[item.pk])).status_code == 404
    assert client.get(reverse("secrets:change_docx", args=[change.pk])).status_code == 404
    assert client.get(reverse("secrets:change_docx", args=[2**40])).status_code == 404
    client.force_login(cast["zhang"])
    text = text_of(client.get(reverse("secrets:change_docx", args=[change.pk])).content)
    assert "解密）" in text
