"""Writes on posts, holdings and files. Category derivation (rule L3) lives here because
every other personnel write that changes posts must call it.

Every write here needs the 保密办 of the unit (`selectors.people.manages_unit`); the
ledger import (rule P1: 确定涉密岗位 → 岗位密级确认 → 涉密人员确认) is one transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.accounts.models import Department, Person, Unit
from baomi.audit.services import record_event
from baomi.core.errors import AccessDenied, Conflict, InvalidInput
from baomi.core.labels import Category, Level
from baomi.core.validation import clean_text

from ..choices import FileState
from ..models import PersonnelFile, Post, PostHolding
from ..selectors.people import manages_unit
from ..transitions import IMPORTED

POST_LEVELS = (Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET)
LEFT = (FileState.LEAVING, FileState.DECLASSIFYING, FileState.RELEASED)


def derive_category(actor: Any, person: Person) -> int:
    """rule L3: the category follows the highest level among the posts currently held (L2 maps
    levels to categories one to one). The file always carries it; the person's clearance
    follows it only while they are in post (`apply_clearance`). When the category of a person
    in post changes, a re-review is due at once (rule P6)."""
    highest = PostHolding.objects.filter(
        person=person, ended_on__isnull=True, post__active=True
    ).aggregate(level=Max("post__level"))["level"]
    category = int(highest or Category.NONE)
    with transaction.atomic():
        file = PersonnelFile.objects.select_for_update().get(person=person)
        if file.category == category:
            return category
        changes: dict[str, Any] = {"category": category}
        if file.state == FileState.IN_POST:
            changes["rereview_due_on"] = timezone.localdate()  # rule P6
            apply_clearance(person, category)
        PersonnelFile.objects.filter(pk=file.pk).update(**changes)
        record_event(actor, "PERSON_CATEGORY_DERIVED", file,
                     before={"category": file.category},
                     after={**changes, "clearance": person.category})
    return category


def apply_clearance(person: Person, category: int) -> None:
    """rule L2: `Person.category` is the clearance every selector reads. A classified person
    has it from the day they start in post (after review, training and commitment, rules
    P2/P3) until they leave the post or fail a 复审; a file in 拟定 grants nothing yet.
    Runs inside the caller's audited transaction."""
    Person.objects.filter(pk=person.pk).update(category=category)
    person.category = category


# --- helpers -------------------------------------------------------------------------------


def _require_manager(actor: Any, unit_id: int) -> None:
    """Only the 保密办 of the unit manages its posts and files."""
    if actor is None or not manages_unit(actor, unit_id):
        raise AccessDenied(_("Only the secrecy office of this unit may do this."))




def _post_level(level: Any) -> int:
    """rule L3: a post is classified: 秘密, 机密 or 绝密."""
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = -1
    if value not in POST_LEVELS:
        message = _("A classified post is Secret, Confidential or Top secret.")
        raise InvalidInput(message, code="invalid_level", fields={"level": message})
    return value


def _holders(post: Post) -> list[Person]:
    return [h.person for h in post.holdings.filter(ended_on__isnull=True).select_related("person")]


def _rederive(actor: Any, people: Iterable[Person]) -> None:
    for person in people:
        derive_category(actor, person)


# --- posts ---------------------------------------------------------------------------------


def create_post(actor: Any, *, department: Department, name: str, level: Any,
                duties: str = "") -> Post:
    """A classified post of a department (rule P1: 确定涉密岗位, 岗位密级确认)."""
    _require_manager(actor, department.unit_id)
    name = clean_text(name, "name", 100)
    duties = clean_text(duties, "duties", 4000, required=False)
    level = _post_level(level)
    with transaction.atomic():
        if Post.objects.filter(department=department, name=name).exists():
            message = _("This department already has a post with this name.")
            raise Conflict(message, code="duplicate_post", fields={"name": message})
        post = Post.objects.create(unit_id=department.unit_id, department=department, name=name,
                                   level=level, duties=duties)
        record_event(actor, "POST_CREATED", post,
                     after={"department": department.code, "name": name, "level": level})
    return post


def update_post(actor: Any, post: Post, *, name: str, duties: str, level: Any) -> Post:
    """Edit a post. rule L3 + P6: a level change re-derives every current holder's category,
    which makes their re-review due."""
    _require_manager(actor, post.unit_id)
    name = clean_text(name, "name", 100)
    duties = clean_text(duties, "duties", 4000, required=False)
    level = _post_level(level)
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if name != current.name and Post.objects.filter(
                department_id=current.department_id, name=name).exclude(pk=post.pk).exists():
            message = _("This department already has a post with this name.")
            raise Conflict(message, code="duplicate_post", fields={"name": message})
        before = {"name": current.name, "duties": current.duties, "level": current.level}
        after = {"name": name, "duties": duties, "level": level}
        if before == after:
            return current
        Post.objects.filter(pk=post.pk).update(**after)
        post.name, post.duties, post.level = name, duties, level
        record_event(actor, "POST_UPDATED", post, before=before, after=after)
        if before["level"] != level:
            _rederive(actor, _holders(post))
    return post


def deactivate_post(actor: Any, post: Post, *, ended_on: date | None = None) -> Post:
    """Abolish a post: current holdings end and the holders' categories follow (rule L3)."""
    _require_manager(actor, post.unit_id)
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        if Post.objects.filter(pk=post.pk, active=True).update(active=False) != 1:
            raise Conflict(_("This post is already abolished."), code="post_inactive")
        post.active = False
        holders = _holders(post)
        post.holdings.filter(ended_on__isnull=True).update(ended_on=ended_on)
        record_event(actor, "POST_DEACTIVATED", post,
                     after={"active": False, "holders_released": len(holders)})
        _rederive(actor, holders)
    return post


# --- files and holdings --------------------------------------------------------------------


def open_file(actor: Any, person: Person) -> PersonnelFile:
    """The classified-personnel file of a person of the unit, in 拟定 (rule P1)."""
    _require_manager(actor, person.unit_id)
    if not person.active:
        raise InvalidInput(_("This person is no longer active."), code="person_inactive")
    with transaction.atomic():
        if PersonnelFile.objects.filter(person=person).exists():
            raise Conflict(_("This person already has a classified-personnel file."),
                           code="file_exists")
        try:
            with transaction.atomic():
                file = PersonnelFile.objects.create(person=person, unit_id=person.unit_id)
        except IntegrityError:
            raise Conflict(_("This person already has a classified-personnel file."),
                           code="file_exists") from None
        record_event(actor, "PERSONNEL_FILE_OPENED", file,
                     after={"person": person.pk, "state": file.state})
    return file


def _require_file(person: Person) -> None:
    if not PersonnelFile.objects.filter(person=person).exists():
        message = _("Open a classified-personnel file for this person first.")
        raise InvalidInput(message, code="no_file", fields={"person": message})


def assign_post(actor: Any, person: Person, post: Post, *, started_on: date) -> PostHolding:
    """The person takes up a post (several at once are allowed); the category follows the
    highest post held (rule L3)."""
    _require_manager(actor, post.unit_id)
    if person.unit_id != post.unit_id:
        message = _("The post belongs to another unit.")
        raise InvalidInput(message, code="invalid_post", fields={"post": message})
    if not post.active:
        message = _("This post is abolished.")
        raise InvalidInput(message, code="post_inactive", fields={"post": message})
    with transaction.atomic():
        _require_file(person)
        if PersonnelFile.objects.filter(person=person, state__in=LEFT).exists():
            # rule P10: the exit ended the posts; a new appointment is not an edit of the old file.
            message = _("This person is leaving or has left classified work; no post can be "
                        "assigned.")
            raise Conflict(message, code="file_left", fields={"post": message})
        holding = _create_holding(person, post, started_on)
        record_event(actor, "POST_ASSIGNED", holding, unit_id=post.unit_id,
                     after={"person": person.pk, "post": post.pk,
                            "started_on": started_on.isoformat()})
        derive_category(actor, person)
    return holding


def _create_holding(person: Person, post: Post, started_on: date) -> PostHolding:
    """The unique constraint on current holdings decides between concurrent assignments."""
    message = _("This person already holds this post.")
    if PostHolding.objects.filter(post=post, person=person, ended_on__isnull=True).exists():
        raise Conflict(message, code="post_held", fields={"post": message})
    try:
        with transaction.atomic():
            return PostHolding.objects.create(post=post, person=person, started_on=started_on)
    except IntegrityError:
        raise Conflict(message, code="post_held", fields={"post": message}) from None


def end_post(actor: Any, holding: PostHolding, *, ended_on: date) -> PostHolding:
    """The person leaves a post; the category follows what remains (rule L3)."""
    _require_manager(actor, holding.post.unit_id)
    if ended_on < holding.started_on:
        message = _("A post cannot end before it started.")
        raise InvalidInput(message, code="invalid_date", fields={"ended_on": message})
    with transaction.atomic():
        if PostHolding.objects.filter(pk=holding.pk, ended_on__isnull=True).update(
                ended_on=ended_on) != 1:
            raise Conflict(_("This post has already been left."), code="post_ended")
        holding.ended_on = ended_on
        record_event(actor, "POST_ENDED", holding, unit_id=holding.post.unit_id,
                     after={"person": holding.person_id, "post": holding.post_id,
                            "ended_on": ended_on.isoformat()})
        derive_category(actor, holding.person)
    return holding


# --- ledger export and import ----------------------------------------------------------------


def record_ledger_export(actor: Any, unit_id: int | None, filters: dict[str, Any]) -> None:
    """Exports of the person ledger leave a trace (who took which list out)."""
    with transaction.atomic():
        record_event(actor, "PERSONNEL_LEDGER_EXPORTED", object_type="personnel.ledger",
                     unit_id=unit_id, after={"filters": filters})


@dataclass(frozen=True)
class LedgerRow:
    """One checked row of an imported ledger; departments and existing posts resolved."""

    line: int
    name: str
    employee_no: str
    department: Department
    post_name: str
    level: int
    started_on: date


@dataclass
class ImportResult:
    people_created: int = 0
    files_opened: int = 0
    posts_created: int = 0
    holdings_created: int = 0


def import_ledger(actor: Any, unit: Unit, rows: list[LedgerRow]) -> ImportResult:
    """Write checked rows (baomi.personnel.imports) all at once: missing people, files, posts
    and holdings, then re-derive the categories (rule L3).

    An existing ledger lists people already appointed: a file the import opens is in post
    from the person's earliest post start, with clearance, and a 复审 counted from that date
    (rule P6) since the system holds no record of their last review."""
    _require_manager(actor, unit.pk)
    result = ImportResult()
    with transaction.atomic():
        people: dict[str, Person] = {}
        opened: dict[str, date] = {}  # employee number -> earliest post start, for new files
        for row in rows:
            person = people.get(row.employee_no) or _import_person(unit, row, result, opened)
            people[row.employee_no] = person
            if row.employee_no in opened:
                opened[row.employee_no] = min(opened[row.employee_no], row.started_on)
            post = _import_post(unit, row, result)
            if not PostHolding.objects.filter(post=post, person=person,
                                              ended_on__isnull=True).exists():
                _create_holding(person, post, row.started_on)
                result.holdings_created += 1
        record_event(actor, "PERSONNEL_IMPORTED", unit, after={
            "rows": len(rows), "people_created": result.people_created,
            "files_opened": result.files_opened, "posts_created": result.posts_created,
            "holdings_created": result.holdings_created})
        _rederive(actor, people.values())
        for employee_no, since in opened.items():
            _import_in_post(people[employee_no], since)
    return result


def _import_in_post(person: Person, since: date) -> None:
    from .onboarding import rereview_due

    file = PersonnelFile.objects.get(person=person)
    IMPORTED.apply(file, FileState.IN_POST, in_post_since=since,
                            rereview_due_on=rereview_due(file, None, since))
    apply_clearance(person, file.category)


def _import_person(unit: Unit, row: LedgerRow, result: ImportResult,
                   opened: dict[str, date]) -> Person:
    from baomi.accounts.services import create_person

    person = Person.objects.filter(unit=unit, employee_no=row.employee_no).first()
    if person is None:
        # The import runs as the 保密办 (checked above); people are created by the system.
        person = create_person(None, unit=unit, department=row.department, name=row.name,
                               employee_no=row.employee_no)
        result.people_created += 1
    if not PersonnelFile.objects.filter(person=person).exists():
        PersonnelFile.objects.create(person=person, unit=unit)
        opened[row.employee_no] = row.started_on
        result.files_opened += 1
    return person


def _import_post(unit: Unit, row: LedgerRow, result: ImportResult) -> Post:
    post = Post.objects.filter(department=row.department, name=row.post_name).first()
    if post is None:
        post = Post.objects.create(unit=unit, department=row.department, name=row.post_name,
                                   level=row.level)
        result.posts_created += 1
    return post
