"""The 安全审计员 in a real browser: filter the trail, open an event, export, sign a checkpoint."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from baomi.accounts.roles import Role
from baomi.audit.models import AuditCheckpoint, AuditEvent
from baomi.audit.services import AUDIT_EXPORTED, record_event


@pytest.mark.rule("T2")
def test_auditor_filters_opens_exports_and_signs(page, login, make_user, tmp_path):
    auditor = make_user("auditor-e2e", roles=[Role.AUDITOR])
    sysadmin = make_user("sysadmin-e2e", roles=[Role.SYSADMIN])
    for i in range(3):
        record_event(sysadmin, "TEST_NOISE", object_type="test.thing", object_id=i)
    target = record_event(sysadmin, "TEST_ROLE_GRANTED", object_type="accounts.user",
                          object_id=sysadmin.pk, before={"roles": []},
                          after={"roles": ["staff"], "说明": "授权"}, reason="e2e")

    login(auditor)
    page.goto("/audit/")
    page.fill("input[name=action]", "test_role_granted")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"action=test_role_granted"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TEST_ROLE_GRANTED")
    expect(rows.first).to_contain_text("sysadmin-e2e")

    rows.first.locator(f"a[href='/audit/events/{target.seq}/']").click()
    expect(page).to_have_url(re.compile(rf"/audit/events/{target.seq}/$"))
    expect(page.locator("main")).to_contain_text(target.hash)
    expect(page.locator("[data-testid=after]")).to_contain_text('"说明": "授权"')
    expect(page.locator("[data-testid=hash-ok]")).to_be_visible()

    page.go_back()
    with page.expect_download() as download_info:
        page.locator("a[href^='/audit/export/']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    exported = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in exported[1:]] == [target.seq]
    assert AuditEvent.objects.filter(action=AUDIT_EXPORTED, actor_id=auditor.pk).exists()

    page.goto("/audit/checkpoints/")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/audit/checkpoints/\d+/$"))
    checkpoint = AuditCheckpoint.objects.get()
    text = page.locator("[data-testid=checkpoint-text]")
    expect(text).to_contain_text(checkpoint.head_hash)
    expect(text).to_contain_text(checkpoint.signature[:64])

    page.goto("/audit/verify/")
    page.locator("main form[method=post] button[type=submit]").click()
    head = AuditEvent.objects.order_by("-seq").first()
    expect(page.locator("[data-testid=verify-result]")).to_contain_text(head.hash)


@pytest.mark.rule("T2")
def test_sysadmin_cannot_open_the_trail(page, login, make_user):
    sysadmin = make_user("sysadmin-e2e", roles=[Role.SYSADMIN])
    login(sysadmin)
    expect(page.locator("nav.sidenav a[href='/audit/']")).to_have_count(0)
    response = page.request.get("/audit/")
    assert response.status == 403
