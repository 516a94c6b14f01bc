"""Playwright driving Debian's Chromium against pytest-django's live server.

Every request to a host other than the live server is aborted and recorded; `page` fails the
test when any happened (rule T5: nothing leaves the machine), and when a request failed.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from baomi.core.testing.factories import DEFAULT_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BAOMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    outside, failed = [], []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    def on_failure(request):
        # A navigation cancels what the previous page was still loading (net::ERR_ABORTED);
        # requests to other hosts are aborted by `only_local` and counted in `outside`.
        if "ERR_ABORTED" not in (request.failure or ""):
            failed.append(f"{request.url}: {request.failure}")

    page.on("requestfailed", on_failure)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    yield page
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not failed, f"failed requests: {failed}"


@pytest.fixture
def login(page):
    """login(user) logs in through the real form and lands on the dashboard."""

    def do_login(user, password=DEFAULT_PASSWORD):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return do_login


@pytest.fixture
def as_user(page, login):
    """as_user(user): log out whoever is logged in, log in `user`."""

    def switch(user):
        page.context.clear_cookies()
        login(user)
        return page

    return switch


@pytest.fixture
def approve_from_inbox(page):
    """approve_from_inbox(text): open the request whose row shows `text` in 待我审批, approve."""

    def approve(text):
        page.goto("/approvals/")
        row = page.locator("table.requests tbody tr", has_text=text)
        expect(row).to_have_count(1)
        row.get_by_role("link").first.click()
        page.click("form.decision button[value=approve]")
        expect(page).to_have_url(re.compile(r"/approvals/$"))

    return approve
