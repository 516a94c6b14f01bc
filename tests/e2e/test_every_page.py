"""Every page, as every role, with all non-localhost requests blocked (rule T5).

Logs in as each role, follows every same-origin link breadth-first and loads the page in
Chromium; the `page` fixture fails the test on any request that left the machine, any failed
request and any 5xx. Download links and actions (logout) are not followed.
"""

from urllib.parse import urljoin, urlparse

import pytest

from baomi.accounts.roles import Role
from baomi.core.labels import Category

SKIP = ("/accounts/logout", "export", "download", ".xlsx", ".docx", "/api/")
ROLES = [
    [Role.SYSADMIN], [Role.SECADMIN], [Role.AUDITOR],
    [Role.LEADER], [Role.SECRECY_OFFICE, Role.DEPARTMENT_HEAD], [Role.STAFF],
]


def crawl(page, base_url, limit=60):
    seen, queue, visited = set(), ["/"], []
    while queue and len(visited) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        assert page.title(), f"{path} has no title"
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urlparse(urljoin(page.url, href))
            if target.netloc and f"{target.scheme}://{target.netloc}" != base_url:
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if not any(part in local for part in SKIP) and "after=" not in local:
                queue.append(local)
    return visited


@pytest.mark.parametrize("roles", ROLES, ids=lambda roles: "+".join(roles))
def test_every_page_loads_offline(page, login, make_user, live_server, roles):
    user = make_user(f"crawler-{roles[0]}", roles=roles, category=Category.IMPORTANT)
    login(user)
    visited = crawl(page, live_server.url)
    assert len(visited) >= 3, visited


def test_api_docs_load_offline(page, login, make_user):
    """Swagger UI comes from the package's static files, not a CDN (rule T5)."""
    login(make_user("docs-reader", roles=[Role.STAFF]))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "baomi API" in page.inner_text(".swagger-ui .info")
