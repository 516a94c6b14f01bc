"""Rule M3, the personal part: core and important personnel (by policy) sign the
涉密人员移动通信设备使用保密承诺书 before starting in post (with rule P3), an obligation finds
those in post who never signed it, the printable form, the panel and the API, and the demo."""

import io
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

import baomi.personnel.rules_mobile  # noqa: F401  (registers the M3 obligation rule)
from baomi.accounts.roles import Role
from baomi.core.errors import Conflict, RuleViolation
from baomi.core.labels import Category, Level
from baomi.core.testing.factories import PersonFactory, UnitFactory
from baomi.obligations.registry import Severity, get_rule
from baomi.personnel.choices import CommitmentKind, FileState
from baomi.personnel.models import Commitment, PersonnelFile, Post, PostHolding
from baomi.personnel.rules_mobile import mobile_commitment
from baomi.personnel.selectors.onboarding import (
    mobile_commitment_of,
    mobile_commitment_required,
    readiness,
)
from baomi.personnel.services import onboarding as services
from baomi.personnel.services.people import assign_post

from . import onboarding_support as support
from .onboarding_support import commit, reviewed, train

# The shared fixtures of onboarding_support.
make_file, people, yf1 = support.make_file, support.people, support.yf1

TODAY = timezone.localdate
RULE_DAY = date(2026, 6, 15)


def override(unit, **values):
    unit.policy_overrides = {**unit.policy_overrides,
                             **{f"personnel.mobile_commitment.{k}": v for k, v in values.items()}}
    unit.save(update_fields=["policy_overrides"])


def sign_mobile(person, signed_on=None, year=None):
    signed_on = signed_on or TODAY()
    return commit(person, kind=CommitmentKind.MOBILE, year=year or signed_on.year,
                  signed_on=signed_on)


@pytest.fixture
def ready_as(make_file, people):
    """ready_as(category): a file after a passed review, with training and the 保密承诺书."""

    def make(category, name="何振宇"):
        file = make_file(name=name, category=category)
        reviewed(file, people)
        train(file.person, held_on=TODAY() - timedelta(days=3))
        commit(file.person, signed_on=TODAY() - timedelta(days=2), year=TODAY().year)
        return file

    return make


# --- the policy (rule M3) ------------------------------------------------------------------


@pytest.mark.rule("M3")
def test_required_by_category_under_the_default_policy(make_file, unit):
    files = {category: make_file(name=f"人员{int(category)}", category=category)
             for category in Category}
    assert {category: mobile_commitment_required(file) for category, file in files.items()} == {
        Category.NONE: False, Category.GENERAL: False, Category.IMPORTANT: True,
        Category.CORE: True}
    override(unit, important=False, general=True)
    for file in files.values():
        file.unit.refresh_from_db()
    assert [mobile_commitment_required(files[c]) for c in Category] == [False, True, False, True]


# --- starting in post (rules P3, M3) -------------------------------------------------------


@pytest.mark.rule("M3")
@pytest.mark.rule("P3")
def test_general_starts_without_it_important_does_not(ready_as, people):
    general = ready_as(Category.GENERAL, name="一般")
    services.start_in_post(people["office"], general, since=TODAY())
    general.refresh_from_db()
    assert general.state == FileState.IN_POST

    important = ready_as(Category.IMPORTANT, name="重要")
    with pytest.raises(RuleViolation) as caught:
        services.start_in_post(people["office"], important, since=TODAY())
    assert caught.value.code == "not_ready" and caught.value.rule == "M3"
    assert set(caught.value.fields) == {"mobile_commitment"}
    assert caught.value.fields["mobile_commitment"] in caught.value.message
    important.refresh_from_db()
    assert important.state == FileState.TRAINING
    services.record_commitment(people["office"], important.person, kind=CommitmentKind.MOBILE,
                               year=TODAY().year, signed_on=TODAY(), text_version="2026-1")
    services.start_in_post(people["office"], important, since=TODAY())
    important.refresh_from_db()
    assert important.state == FileState.IN_POST


@pytest.mark.rule("M3")
def test_a_unit_that_turns_it_off_for_important(ready_as, people, unit):
    override(unit, important=False)
    important = ready_as(Category.IMPORTANT)
    services.start_in_post(people["office"], important, since=TODAY())
    important.refresh_from_db()
    assert important.state == FileState.IN_POST


@pytest.mark.rule("M3")
@pytest.mark.rule("P3")
def test_other_missing_items_keep_rule_p3(make_file, people):
    core = make_file(category=Category.CORE)
    reviewed(core, people)
    with pytest.raises(RuleViolation) as caught:
        services.start_in_post(people["office"], core, since=TODAY())
    assert caught.value.rule == "P3"
    assert set(caught.value.fields) == {"training", "commitment", "mobile_commitment"}


@pytest.mark.rule("M3")
def test_signed_in_any_earlier_year_counts_signed_after_the_start_does_not(ready_as, people):
    file = ready_as(Category.CORE)
    since = TODAY() - timedelta(days=1)
    sign_mobile(file.person, signed_on=TODAY())  # after the start date: does not count
    assert set(readiness(file, since).missing) == {"mobile_commitment"}
    sign_mobile(file.person, signed_on=date(2019, 3, 1))  # years ago: counts
    assert readiness(file, since).missing == {}
    assert mobile_commitment_of(file.person).signed_on == TODAY()  # the latest
    assert mobile_commitment_of(file.person, since).signed_on == date(2019, 3, 1)


@pytest.mark.rule("M3")
def test_recorded_once_a_year_and_audited(make_file, people):
    file = make_file(category=Category.IMPORTANT)
    record = {"kind": CommitmentKind.MOBILE, "signed_on": TODAY(), "text_version": "2026-1"}
    services.record_commitment(people["office"], file.person, year=TODAY().year, **record)
    with pytest.raises(Conflict) as caught:
        services.record_commitment(people["office"], file.person, year=TODAY().year, **record)
    assert caught.value.code == "already_signed"
    from baomi.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="PERSONNEL_COMMITMENT_RECORDED")
    assert '"mobile"' in event.after


# --- the obligation (rule M3) --------------------------------------------------------------


@pytest.fixture
def in_post(make_file):
    def make(name="在岗人员", category=Category.IMPORTANT, **kwargs):
        values = {"state": FileState.IN_POST, "in_post_since": date(2020, 1, 1), **kwargs}
        return make_file(name=name, category=category, **values)

    return make


def subjects(rows):
    return {row["subject_id"]: row for row in rows}


@pytest.mark.rule("M3")
def test_rule_registered():
    rule = get_rule("personnel.mobile_commitment")
    assert rule is not None and rule.rule_id == "M3" and rule.query is mobile_commitment


@pytest.mark.rule("M3")
def test_obligation_for_people_in_post_who_never_signed(in_post, make_file):
    missing = in_post("重要未签")
    core = in_post("核心未签", category=Category.CORE)
    signed_long_ago = in_post("重要已签")
    sign_mobile(signed_long_ago.person, signed_on=date(2018, 5, 1))
    in_post("一般", category=Category.GENERAL)
    in_post("离岗审批中", state=FileState.LEAVING)  # still serving: owes it too
    make_file(name="脱密期", category=Category.IMPORTANT, state=FileState.DECLASSIFYING)
    make_file(name="待培训", category=Category.CORE, state=FileState.TRAINING)
    rows = subjects(mobile_commitment(RULE_DAY))
    names = {row["subject_label"] for row in rows.values()}
    assert names == {"重要未签", "核心未签", "离岗审批中"}
    row = rows[missing.pk]
    assert row["due_date"] == date(2020, 1, 1) and row["severity"] == Severity.CRITICAL
    assert row["responsible_id"] is None and row["level"] == Category.IMPORTANT
    assert row["subject_type"] == "personnel.personnelfile" and row["unit_id"] == core.unit_id


@pytest.mark.rule("M3")
def test_obligation_follows_the_units_policy(in_post, unit):
    important = in_post("重要")
    general = in_post("一般", category=Category.GENERAL)
    other_unit = UnitFactory(code="OTHER")
    override(other_unit, core=False, important=False)
    other = PersonnelFile.objects.create(
        person=PersonFactory(unit=other_unit, name="外单位"), unit=other_unit,
        category=Category.CORE, state=FileState.IN_POST, in_post_since=date(2020, 1, 1))
    assert set(subjects(mobile_commitment(RULE_DAY))) == {important.pk}
    override(unit, important=False, general=True)
    assert set(subjects(mobile_commitment(RULE_DAY))) == {general.pk}
    override(unit, core=False, important=False, general=False)
    assert list(mobile_commitment(RULE_DAY)) == []
    assert other.pk not in subjects(mobile_commitment(RULE_DAY))


@pytest.mark.rule("M3")
def test_category_raised_in_post_owes_it_from_the_new_post(in_post, people, yf1, unit):
    file = in_post("何振宇", category=Category.GENERAL, in_post_since=date(2020, 1, 1))
    assert file.pk not in subjects(mobile_commitment(RULE_DAY))
    post = Post.objects.create(unit=unit, department=yf1, name="型号总师",
                               level=Level.CONFIDENTIAL)
    assign_post(people["office"], file.person, post, started_on=date(2026, 6, 1))
    file.refresh_from_db()
    assert file.category == Category.IMPORTANT  # rule L3
    row = subjects(mobile_commitment(RULE_DAY))[file.pk]
    assert row["due_date"] == date(2026, 6, 1) and row["severity"] == Severity.CRITICAL
    PostHolding.objects.filter(post=post).update(started_on=date(2026, 7, 1))
    assert subjects(mobile_commitment(RULE_DAY))[file.pk]["severity"] == Severity.WARNING
    sign_mobile(file.person, signed_on=date(2026, 6, 2))
    assert file.pk not in subjects(mobile_commitment(RULE_DAY))


@pytest.mark.rule("M3")
def test_sweep_opens_and_closes_the_obligation(in_post):
    from baomi.obligations.models import Obligation
    from baomi.obligations.services import run_sweep

    file = in_post()
    run_sweep(RULE_DAY)
    opened = Obligation.objects.get(rule_code="personnel.mobile_commitment", subject_id=file.pk)
    assert opened.state == "open" and opened.rule_id == "M3"
    sign_mobile(file.person, signed_on=date(2026, 6, 1))
    run_sweep(RULE_DAY)
    opened.refresh_from_db()
    assert opened.state != "open"


# --- the printable form, the panel, the API ------------------------------------------------


def docx_text(response):
    document = Document(io.BytesIO(response.content))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.rule("M3")
def test_printable_form_and_panel(make_file, people, client, make_user):
    file = make_file(category=Category.IMPORTANT)
    reviewed(file, people)
    client.force_login(people["office"])
    page = client.get(reverse("personnel:person_detail", args=[file.pk])).content.decode()
    url = reverse("personnel:mobile_commitment_docx", args=[file.pk])
    assert url in page and 'data-missing="mobile_commitment"' in page
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = docx_text(response)
    assert "涉密人员移动通信设备使用保密承诺书" in text and file.person.name in text
    assert "重要涉密人员" in text and "20米" in text and "智能手机" in text
    assert "承诺人（签字）" in text
    sign_mobile(file.person)
    page = client.get(reverse("personnel:person_detail", args=[file.pk])).content.decode()
    assert 'data-missing="mobile_commitment"' not in page
    other = make_user("other", roles=[Role.SECRECY_OFFICE], category=Category.CORE,
                      unit=UnitFactory(code="OTHER"))
    client.force_login(other)
    assert client.get(url).status_code == 404


@pytest.mark.rule("M3")
def test_panel_form_records_the_mobile_commitment(make_file, people, client):
    file = make_file(category=Category.CORE)
    client.force_login(people["office"])
    url = reverse("personnel:commitment_add", args=[file.pk])
    data = {"kind": "mobile", "year": TODAY().year, "signed_on": TODAY().isoformat(),
            "text_version": "2026-1"}
    assert client.post(url, data).status_code == 302
    assert Commitment.objects.filter(person=file.person, kind=CommitmentKind.MOBILE).exists()


@pytest.mark.rule("M3")
def test_api_records_it_and_start_names_it(ready_as, people, client):
    file = ready_as(Category.CORE)
    client.force_login(people["office"])
    base = "/api/v1/personnel"
    start = client.post(f"{base}/people/{file.pk}/start", {"since": TODAY().isoformat()},
                        content_type="application/json")
    assert start.status_code == 422
    assert start.json()["rule"] == "M3" and set(start.json()["fields"]) == {"mobile_commitment"}
    signed = client.post(f"{base}/people/{file.pk}/commitments", {
        "kind": "mobile", "year": TODAY().year, "signed_on": TODAY().isoformat(),
        "text_version": "2026-1"}, content_type="application/json")
    assert signed.status_code == 201 and signed.json()["kind"] == "mobile"
    start = client.post(f"{base}/people/{file.pk}/start", {"since": TODAY().isoformat()},
                        content_type="application/json")
    assert start.status_code == 200, start.content
    body = start.json()
    assert body["mobile_commitment_required"] is True
    assert body["mobile_commitment_signed_on"] == TODAY().isoformat()
    bad = client.post(f"{base}/people/{file.pk}/commitments", {
        "kind": "phone", "year": TODAY().year, "signed_on": TODAY().isoformat(),
        "text_version": "2026-1"}, content_type="application/json")
    assert bad.status_code == 422


# --- the demo ------------------------------------------------------------------------------


@pytest.mark.rule("M3")
@pytest.mark.django_db(transaction=True)
def test_demo_leaves_one_important_person_owing_it():
    call_command("demo", stdout=StringIO())
    serving = PersonnelFile.objects.filter(unit__code="HX-DZ", state=FileState.IN_POST,
                                           category__gte=Category.IMPORTANT)
    signed = {file.pk for file in serving if mobile_commitment_of(file.person) is not None}
    owing = [row["subject_label"] for row in mobile_commitment(TODAY())]
    assert len(signed) >= 1 and len(owing) == 1
    assert serving.count() == len(signed) + 1
    owing_file = serving.get(person__name=owing[0])
    assert owing_file.category == Category.IMPORTANT
