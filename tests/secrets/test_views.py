"""Pages of 定密 (rules S1–S11, L4, L5): the register, the proposal form, one item with its
actions, the 定密权限; refusals on the form, never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.audit.models import AuditEvent
from baomi.core.labels import Level
from baomi.secrets import services
from baomi.secrets.choices import ItemState
from baomi.secrets.models import SecretItem

from .ui_support import authority, cast, determined, propose  # noqa: F401

pytestmark = pytest.mark.django_db


def proposal(cast, **overrides):
    data = {"scheme": "state", "number": "JM-100", "title": "新型号研制方案",
            "description": "总体方案", "level": Level.CONFIDENTIAL, "period_kind": "years",
            "period_value": 10, "declassify_condition": "", "basis": "目录第3项",
            "issued_on": "2025-01-15", "department": cast["yf"].pk,
            "scope_people": [cast["zhang"].person.pk]}
    data.update(overrides)
    return data


@pytest.mark.rule("S4")
def test_proposer_proposes_and_lands_on_the_item(client, cast, authority):
    client.force_login(cast["proposer"])
    page = client.get(reverse("secrets:item_list"))
    assert b'id="item-new-link"' in page.content
    response = client.post(reverse("secrets:item_new"), proposal(cast))
    assert response.status_code == 302, response.content.decode()
    item = SecretItem.objects.get()
    assert response["Location"] == reverse("secrets:item_detail", args=[item.pk])
    assert item.state == ItemState.PROPOSED and item.request is not None
    detail = client.get(response["Location"]).content.decode()
    assert "机密★10年" in detail and 'data-state="proposed"' in detail


@pytest.mark.rule("S2")
def test_a_period_over_the_maximum_is_an_error_on_the_form(client, cast, authority):
    client.force_login(cast["proposer"])
    response = client.post(reverse("secrets:item_new"), proposal(cast, period_value=21))
    assert response.status_code == 422
    assert b'class="error"' in response.content
    assert not SecretItem.objects.exists()


@pytest.mark.rule("S1")
def test_a_condition_period_without_the_condition_is_refused(
        client, cast, authority):
    client.force_login(cast["proposer"])
    response = client.post(reverse("secrets:item_new"),
                           proposal(cast, period_kind="condition", period_value=""))
    assert 400 <= response.status_code < 500
    assert not SecretItem.objects.exists()


def test_a_duplicate_number_is_a_conflict_on_the_form(client, cast, authority):
    propose(cast, number="JM-100")
    client.force_login(cast["proposer"])
    response = client.post(reverse("secrets:item_new"), proposal(cast))
    assert response.status_code == 409 and b'class="error"' in response.content


def test_garbage_is_a_400_not_a_500(client, cast):
    client.force_login(cast["proposer"])
    response = client.post(reverse("secrets:item_new"), proposal(
        cast, level="9", issued_on="9999-12-31", scope_people=["x"], period_value="-1"))
    assert response.status_code == 400
    assert client.get(reverse("secrets:item_detail", args=[2**40])).status_code == 404
    assert client.get(reverse("secrets:item_list") + "?scheme=x&level=9&state=y&department=z"
                      ).status_code == 200


@pytest.mark.rule("S3")
def test_without_authority_the_item_is_provisional_and_the_office_decides(client,
                                                                          cast):
    client.force_login(cast["proposer"])
    response = client.post(reverse("secrets:item_new"), proposal(cast))
    assert response.status_code == 302
    item = SecretItem.objects.get()
    assert item.state == ItemState.PROVISIONAL and item.request is None
    client.force_login(cast["office"])
    url = reverse("secrets:item_detail", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'id="action-superior"' in page and 'data-field="provisional_due_on"' in page
    response = client.post(url, {
        "action": "superior", "superior-classified": "yes", "superior-level": 2,
        "superior-period_kind": "years", "superior-period_value": 5,
        "superior-declassify_condition": "", "superior-document": "上级〔2025〕8号",
        "superior-decided_on": timezone.localdate().isoformat()})
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.DETERMINED and item.decision_document == "上级〔2025〕8号"
    page = client.get(url).content.decode()
    assert "机密★5年" in page and 'data-kind="superior_decision"' in page


@pytest.mark.rule("S3")
def test_a_past_due_provisional_decision_shows_red(client, cast):
    item = propose(cast)
    SecretItem.objects.filter(pk=item.pk).update(
        provisional_due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(cast["office"])
    page = client.get(reverse("secrets:item_detail", args=[item.pk])).content.decode()
    assert 'data-overdue="yes"' in page
    listing = client.get(reverse("secrets:item_list")).content.decode()
    assert 'class="overdue"' in listing


@pytest.mark.rule("S10")
def test_period_change_request_then_history_shows_both(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["proposer"])
    url = reverse("secrets:item_detail", args=[item.pk])
    response = client.post(url, {"action": "change", "change-kind": "period",
                                 "change-period_kind": "years", "change-period_value": 20,
                                 "change-reason": "型号延寿"})
    assert response.status_code == 302, response.content.decode()
    decide(cast["officer"], Request.objects.get(request_type="secret_change"), "approve")
    item.refresh_from_db()
    assert item.period_value == 20
    page = client.get(url).content.decode()
    assert "机密★10年" in page and "机密★20年" in page and 'data-kind="period"' in page
    change = item.changes.get(kind="period")
    assert reverse("secrets:change_docx", args=[change.pk]) in page


@pytest.mark.rule("S10")
def test_staff_outside_the_item_cannot_post_actions(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["zhang"])  # in scope, no duty
    url = reverse("secrets:item_detail", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'id="action-change"' not in page and 'id="action-knowledge"' not in page
    assert client.post(url, {"action": "change"}).status_code == 404
    assert client.post(url, {"action": "nonsense"}).status_code == 404


@pytest.mark.rule("S8")
def test_knowledge_form_refuses_people_outside_the_scope(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["office"])
    url = reverse("secrets:item_detail", args=[item.pk])
    today = timezone.localdate().isoformat()
    outside = client.post(url, {"action": "knowledge", "knowledge-person":
                                cast["outsider"].person.pk, "knowledge-kind": "know",
                                "knowledge-known_on": today})
    assert outside.status_code == 422 and b'class="error"' in outside.content
    inside = client.post(url, {"action": "knowledge",
                               "knowledge-person": cast["zhang"].person.pk,
                               "knowledge-kind": "contact", "knowledge-known_on": today,
                               "knowledge-approved_by": cast["officer"].pk,
                               "knowledge-source": "方案评审会"})
    assert inside.status_code == 302
    page = client.get(url).content.decode()
    assert "方案评审会" in page and "张知悉" in page


@pytest.mark.rule("S5")
def test_officer_reviews_once_a_day(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["officer"])
    url = reverse("secrets:item_detail", args=[item.pk])
    assert client.post(url, {"action": "review", "review-note": "维持"}).status_code == 302
    item.refresh_from_db()
    assert item.last_reviewed_on == timezone.localdate()
    again = client.post(url, {"action": "review", "review-note": ""})
    assert again.status_code == 409 and b'class="error"' in again.content


@pytest.mark.rule("S7")
def test_scope_addition_goes_to_the_leader(client, cast, authority):
    item = determined(cast)
    client.force_login(cast["proposer"])
    url = reverse("secrets:item_detail", args=[item.pk])
    already = client.post(url, {"action": "scope", "scope-people": [cast["zhang"].person.pk],
                                "scope-reason": "协作"})
    assert already.status_code == 400
    response = client.post(url, {"action": "scope", "scope-departments": [cast["yf"].pk],
                                 "scope-reason": "全部门参与"})
    assert response.status_code == 302
    decide(cast["leader"], Request.objects.get(request_type="secret_scope"), "approve")
    assert 'data-kind="scope_add"' in client.get(url).content.decode()


@pytest.mark.rule("S3")
def test_authority_page(client, cast, unit):
    url = reverse("secrets:authority")
    client.force_login(cast["proposer"])
    assert client.get(url).status_code == 404
    client.force_login(cast["officer"])
    page = client.get(url)
    assert page.status_code == 200 and b'id="authority-form"' not in page.content
    assert client.post(url, {"max_level": 3}).status_code == 404
    client.force_login(cast["office"])
    bad = client.post(url, {"max_level": 2, "document": "国保〔2024〕1号",
                            "granted_on": "2999-01-01"})
    assert bad.status_code == 400
    good = client.post(url, {"max_level": 2, "document": "国保〔2024〕1号",
                             "granted_on": "2024-01-01"})
    assert good.status_code == 302
    assert unit.classification_authority.max_level == Level.CONFIDENTIAL
    assert b'data-level="2"' in client.get(url).content


def test_register_filters_keep_to_one_scheme(client, cast, authority):
    """rule L4: the register lists one scheme; state secrets unless another is asked for."""
    state = propose(cast, number="GM-1")
    work = propose(cast, number="GZ-1", scheme="work", level=Level.SECRET)
    client.force_login(cast["office"])
    default = client.get(reverse("secrets:item_list")).content.decode()
    assert f'data-id="{state.pk}"' in default and f'data-id="{work.pk}"' not in default
    works = client.get(reverse("secrets:item_list") + "?scheme=work").content.decode()
    assert f'data-id="{work.pk}"' in works and f'data-id="{state.pk}"' not in works
    assert "工作秘密★10年" in works
    none = client.get(reverse("secrets:item_list") + "?state=declassified").content.decode()
    assert f'data-id="{state.pk}"' not in none


def test_register_pages_by_key(client, cast, authority):
    for number in range(55):
        propose(cast, number=f"P-{number:03d}")
    client.force_login(cast["office"])
    first = client.get(reverse("secrets:item_list"))
    assert first.context["page"].next_after is not None
    second = client.get(reverse("secrets:item_list") + f"?after={first.context['page'].next_after}")
    assert len(second.context["page"].items) == 5


@pytest.mark.rule("L5")
def test_opening_a_confidential_item_is_audited(client, cast, authority):
    confidential = propose(cast, number="JM-1")
    secret = propose(cast, number="MM-1", level=Level.SECRET)
    client.force_login(cast["office"])
    client.get(reverse("secrets:item_detail", args=[confidential.pk]))
    client.get(reverse("secrets:item_detail", args=[secret.pk]))
    reads = AuditEvent.objects.filter(action="SECRET_ITEM_READ")
    assert list(reads.values_list("object_id", flat=True)) == [str(confidential.pk)]


def test_the_three_admins_see_no_register(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("secrets:item_list")).status_code == 404


@pytest.mark.rule("S9")
def test_a_declassified_item_shows_no_mark_and_no_actions(client, cast, authority):
    item = determined(cast)
    filed = services.request_change(cast["proposer"], item, kind="declassify", reason="已公开")
    decide(cast["officer"], filed, "approve")
    client.force_login(cast["office"])
    page = client.get(reverse("secrets:item_detail", args=[item.pk])).content.decode()
    assert 'data-state="declassified"' in page and 'id="item-mark"' not in page
    assert 'id="action-' not in page and 'data-kind="declassify"' in page
