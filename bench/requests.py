"""The approver's inbox under load: 1,000 pending requests awaiting one 保密办 user.

Builds a unit with 1,000 pending requests at the 保密办 step (plus noise: requests at another
step, closed requests and another unit's inbox), starts a real gunicorn (2 workers), logs in
through the login form, then times N sequential GETs of the inbox page and of
GET /api/v1/approvals/inbox (Bearer token).

Usage: .venv/bin/python bench/requests.py [--pending 1000] [-n 200]
The last line holds both figures (median and p99 in ms).
"""

import argparse
import hashlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import ROOT, median, percentile, setup_django

PASSWORD = "Bench@2026!approver"
TOKEN = "bench-inbox-token-0123456789abcdef"


def build(pending: int) -> None:
    """The unit, its people and requests, written directly (this measures reads)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from baomi.accounts.models import ApiToken, Department, Person, RoleAssignment, Unit, User
    from baomi.accounts.roles import Role
    from baomi.approvals.models import Request, Step
    from baomi.core.labels import Category

    def person_user(unit, department, name, username, role, password=None):
        person = Person.objects.create(unit=unit, department=department, name=name,
                                       employee_no=username, category=Category.CORE)
        user = User.objects.create(username=username, person=person,
                                   must_change_password=False,
                                   password_changed_at=timezone.now(),
                                   password=make_password(password) if password else "!")
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
        return user

    def requests(unit, department, requesters, count, *, state, role, step, title):
        made = Request.objects.bulk_create([
            Request(unit=unit, department=department, request_type="role_grant",
                    level=i % 3, title=f"{title} {i}", requester=requesters[i % len(requesters)],
                    payload={"user_id": requesters[0].pk, "role": "classification_officer",
                             "reason": "负责定密工作"},
                    state=state, current_step=step, current_role=role)
            for i in range(count)
        ])
        steps = []
        for request in made:
            for order, step_role in enumerate(["department_head", "secrecy_office"]):
                if state != "pending":
                    step_state = "approved"
                else:
                    step_state = "approved" if order < step else (
                        "pending" if order == step else "waiting")
                steps.append(Step(request=request, round=1, order=order, role=step_role,
                                  state=step_state))
        Step.objects.bulk_create(steps)

    with transaction.atomic():
        unit = Unit.objects.create(name="基准单位", code="BENCH")
        other = Unit.objects.create(name="另一单位", code="OTHER")
        dept = Department.objects.create(unit=unit, name="综合部", code="ZH")
        other_dept = Department.objects.create(unit=other, name="综合部", code="ZH")
        approver = person_user(unit, dept, "审批人", "approver", Role.SECRECY_OFFICE, PASSWORD)
        ApiToken.objects.create(user=approver, name="bench", prefix=TOKEN[:8],
                                token_hash=hashlib.sha256(TOKEN.encode()).hexdigest())
        people = [person_user(unit, dept, f"员工{i}", f"staff{i}", Role.STAFF)
                  for i in range(20)]
        strangers = [person_user(other, other_dept, f"外单位{i}", f"other{i}", Role.STAFF)
                     for i in range(5)]
        requests(unit, dept, people, pending, state="pending", role="secrecy_office", step=1,
                 title="待保密办审批")
        requests(unit, dept, people, pending // 2, state="pending", role="department_head",
                 step=0, title="待部门负责人审批")
        requests(unit, dept, people, pending, state="approved", role="", step=1, title="已批准")
        requests(other, other_dept, strangers, pending, state="pending", role="secrecy_office",
                 step=1, title="外单位")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baomi.settings.base",
           "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [str(gunicorn), "baomi.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--log-level", "warning"],
        env=env, cwd=str(ROOT), stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def logged_in_opener(base: str) -> urllib.request.OpenerDirector:
    """Log in through the real form (CSRF token, session cookie)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf, "no CSRF token on the login page"
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf.group(1), "username": "approver",
                                   "password": PASSWORD}).encode()
    opener.open(f"{base}/accounts/login/", data=body).read()
    assert any(c.name == "sessionid" for c in jar), "login failed: no session cookie"
    return opener


def timed(fetch, n: int) -> list[float]:
    for _ in range(5):  # warm-up: imports, template loading, connections
        fetch()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pending", type=int, default=1000)
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    vendor = setup_django()

    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    build(args.pending)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp(prefix="baomi-bench-gunicorn-")) / "gunicorn.log"
    process = start_gunicorn(port, log)
    try:
        wait_until_up(base, process, log)
        browser = logged_in_opener(base)

        def inbox_page() -> None:
            response = browser.open(f"{base}/approvals/")
            html = response.read().decode()
            assert response.status == 200 and response.url.endswith("/approvals/"), response.url
            assert html.count('data-request="') == 50, "the inbox page should list 50 rows"

        def api_inbox() -> None:
            request = urllib.request.Request(f"{base}/api/v1/approvals/inbox",
                                             headers={"Authorization": f"Bearer {TOKEN}"})
            with urllib.request.urlopen(request) as response:
                body = response.read()
                assert response.status == 200 and body.count(b'"id"') == 50

        page_times = timed(inbox_page, args.n)
        api_times = timed(api_inbox, args.n)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    print(f"inbox page: {args.n} GETs, median {median(page_times):.1f} ms, "
          f"p99 {percentile(page_times, 99):.1f} ms")
    print(f"api inbox:  {args.n} GETs, median {median(api_times):.1f} ms, "
          f"p99 {percentile(api_times, 99):.1f} ms")
    print(f"requests: inbox page median {median(page_times):.1f} ms "
          f"p99 {percentile(page_times, 99):.1f} ms; api inbox median {median(api_times):.1f} ms "
          f"p99 {percentile(api_times, 99):.1f} ms ({args.pending} pending, {vendor}, "
          f"gunicorn 2 workers)")


if __name__ == "__main__":
    main()
