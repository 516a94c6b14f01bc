"""The auditor's pages: only the 安全审计员 (rule T2), filters, detail, export, checkpoints."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baomi.accounts.roles import Role
from baomi.audit.models import AuditCheckpoint, AuditEvent
from baomi.audit.services import AUDIT_EXPORTED, record_event

PAGES = [("audit:event_list", {}), ("audit:export", {}), ("audit:checkpoint_list", {}),
         ("audit:verify", {})]


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.mark.rule("T2")
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.STAFF, Role.LEADER,
                                  Role.SECRECY_OFFICE])
def test_other_roles_get_403_everywhere(client, make_user, make_chain, role):
    make_chain(1)
    sign_as = make_user(roles=[role])
    client.force_login(sign_as)
    for name, kwargs in PAGES:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    assert client.get(reverse("audit:event_detail", args=[1])).status_code == 403
    assert client.post(reverse("audit:checkpoint_list")).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.rule("T2")
def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.rule("T2")
def test_auditor_reads_the_trail_of_the_three_admins(auditor_client, sysadmin, secadmin):
    record_event(sysadmin, "TEST_SYSADMIN_ACTED", object_type="x", object_id=1)
    record_event(secadmin, "TEST_SECADMIN_ACTED", object_type="x", object_id=2)
    response = auditor_client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    seqs = [e.seq for e in response.context["page"].items]
    assert seqs == sorted(seqs, reverse=True)
    actions = {e.action for e in response.context["page"].items}
    assert {"TEST_SYSADMIN_ACTED", "TEST_SECADMIN_ACTED"} <= actions


@pytest.mark.rule("T2")
def test_filters(auditor_client, sysadmin, make_chain):
    make_chain(3)
    mine = record_event(sysadmin, "TEST_SPECIAL", object_type="accounts.user", object_id=42)

    def listed(**params):
        response = auditor_client.get(reverse("audit:event_list"), params)
        assert response.status_code == 200
        return [e.seq for e in response.context["page"].items]

    assert listed(action="test_special") == [mine.seq]
    assert listed(actor="sysadmin") == [mine.seq]
    assert listed(actor=sysadmin.person.name[1:]) == [mine.seq]
    assert len(listed(actor="system")) == 3
    assert listed(object_type="accounts.user", object_id="42") == [mine.seq]
    assert listed(actor="nobody-at-all") == []
    today = timezone.localdate()
    assert len(listed(date_from=today.isoformat(), date_to=today.isoformat())) == 4
    assert listed(date_to=(today - timedelta(days=1)).isoformat()) == []


def test_filter_errors_are_shown_not_500(auditor_client):
    url = reverse("audit:event_list")
    for params in ({"date_from": "2026-13-45"}, {"date_from": "2026-02-02", "date_to": "2026-02-01"},
                   {"date_from": "0001-01-01"}, {"action": "x" * 500}, {"actor": "a\x00b"}):
        response = auditor_client.get(url, params)
        assert response.status_code == 400, params
        assert response.context["form"].errors


def test_keyset_paging(auditor_client, make_chain):
    make_chain(60)
    first = auditor_client.get(reverse("audit:event_list")).context["page"]
    assert len(first.items) == 50 and first.next_after == first.items[-1].seq
    second = auditor_client.get(reverse("audit:event_list"), {"after": first.next_after})
    assert [e.seq for e in second.context["page"].items] == list(range(10, 0, -1))


def test_event_detail(auditor_client, secadmin):
    event = record_event(secadmin, "TEST_DONE", object_type="x", object_id=1,
                         before={"b": 1}, after={"名称": "载体", "n": [1, 2]})
    response = auditor_client.get(reverse("audit:event_detail", args=[event.seq]))
    assert response.status_code == 200
    body = response.content.decode()
    assert event.hash in body and event.prev_hash in body
    assert '"名称": "载体"' in response.context["after"]  # pretty-printed, Chinese kept
    assert "&quot;名称&quot;: &quot;载体&quot;" in body
    assert response.context["hash_fits"] is True
    assert auditor_client.get(reverse("audit:event_detail", args=[999])).status_code == 404
    huge = reverse("audit:event_detail", args=[2**70])
    assert auditor_client.get(huge).status_code == 404


@pytest.mark.rule("T4")
def test_event_detail_shows_an_altered_event(auditor_client, make_chain, raw_sql):
    event = make_chain(1)[0]
    raw_sql("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = %s", [event.seq])
    response = auditor_client.get(reverse("audit:event_detail", args=[event.seq]))
    assert response.context["hash_fits"] is False


def test_export_xlsx(auditor_client, auditor, make_chain, sysadmin):
    make_chain(3)
    record_event(sysadmin, "TEST_SPECIAL", object_type="x", object_id=1,
                 reason="=HYPERLINK(\"http://evil\")\x01")
    response = auditor_client.get(reverse("audit:export"), {"actor": "sysadmin"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the one event
    assert rows[1][3] == "TEST_SPECIAL"
    reason = rows[1][7]
    assert reason.startswith("=HYPERLINK")  # kept as text…
    cell = workbook.active.cell(row=2, column=8)
    assert cell.data_type == "s"  # …never a formula
    exported = AuditEvent.objects.filter(action=AUDIT_EXPORTED).get()
    assert exported.actor_id == auditor.pk
    assert '"actor":"sysadmin"' in exported.after


def test_export_everything(auditor_client, make_chain):
    make_chain(5)
    response = auditor_client.get(reverse("audit:export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [5, 4, 3, 2, 1]


def test_export_with_bad_filter_is_400(auditor_client):
    response = auditor_client.get(reverse("audit:export"), {"date_from": "nonsense"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AUDIT_EXPORTED).exists()


@pytest.mark.rule("T4")
def test_sign_a_checkpoint(auditor_client, auditor, make_chain):
    make_chain(2)
    response = auditor_client.post(reverse("audit:checkpoint_list"))
    checkpoint = AuditCheckpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:checkpoint_detail", args=[checkpoint.pk])
    detail = auditor_client.get(response["Location"])
    assert checkpoint.head_hash in detail.content.decode()
    listing = auditor_client.get(reverse("audit:checkpoint_list"))
    assert checkpoint.head_hash[:10] in listing.content.decode()
    assert checkpoint.signer_label.endswith(f"({auditor.username})")


@pytest.mark.rule("T4")
def test_signing_a_broken_chain_shows_the_error(auditor_client, make_chain, raw_sql):
    make_chain(2)
    raw_sql("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 1")
    response = auditor_client.post(reverse("audit:checkpoint_list"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.rule("T4")
def test_verify_page(auditor_client, make_chain, raw_sql):
    make_chain(3)
    assert auditor_client.get(reverse("audit:verify")).context["result"] is None
    result = auditor_client.post(reverse("audit:verify")).context["result"]
    assert result.ok and result.count == 3
    raw_sql("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 2")
    response = auditor_client.post(reverse("audit:verify"))
    assert (response.context["result"].ok, response.context["result"].first_broken_seq) == (
        False, 2)
    assert AuditEvent.objects.count() == 3


@pytest.mark.parametrize("after", ["²", "1" * 30, "-1", "abc", ""])
def test_odd_page_keys_are_not_500(auditor_client, make_chain, after):
    make_chain(2)
    for name in ("audit:event_list", "audit:checkpoint_list"):
        assert auditor_client.get(reverse(name), {"after": after}).status_code == 200
