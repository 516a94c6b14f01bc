"""Who may see which classified-personnel file (DESIGN.md 'Access model').

The 保密办 and the leaders see the files of the units they hold those roles in; a 部门负责人
sees the files of their department; everyone sees their own file. The 三员 see none through
their admin roles (rule T2).
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from baomi.accounts.models import Department, Person
from baomi.accounts.roles import Role
from baomi.core.access import perimeter_query, sees_business_data, unit_perimeter
from baomi.core.errors import NotFound
from baomi.core.paging import parse_key

from ..models import PersonnelFile, Post, PostHolding

MANAGERS = frozenset({Role.SECRECY_OFFICE, Role.LEADER})


def files_visible_to(user: Any) -> QuerySet[PersonnelFile]:
    if not sees_business_data(user):
        return PersonnelFile.objects.none()
    visible = Q(unit_id__in=perimeter_query(user, MANAGERS)) | Q(person_id=user.person_id)
    if user.has_role(Role.DEPARTMENT_HEAD) and user.person.department_id:
        visible |= Q(person__department_id=user.person.department_id)
    return PersonnelFile.objects.filter(visible).select_related(
        "person", "person__department", "unit")


def file_for(user: Any, pk: Any) -> PersonnelFile:
    """One visible file by id; NotFound for anything else."""
    key = parse_key(pk)
    found = files_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def manages_unit(user: Any, unit_id: int) -> bool:
    """The 保密办 of the unit (or its group): writes on personnel files need this."""
    return unit_id in unit_perimeter(user, {Role.SECRECY_OFFICE})


# --- posts ---------------------------------------------------------------------------------


def posts_visible_to(user: Any) -> QuerySet[Post]:
    """Posts of the units the user manages or leads; a 部门负责人 sees their department's."""
    if not sees_business_data(user):
        return Post.objects.none()
    visible = Q(unit_id__in=perimeter_query(user, MANAGERS))
    if user.has_role(Role.DEPARTMENT_HEAD) and user.person.department_id:
        visible |= Q(department_id=user.person.department_id)
    return Post.objects.filter(visible).select_related("department", "unit")


def post_for(user: Any, pk: Any) -> Post:
    """One visible post by id; NotFound for anything else."""
    key = parse_key(pk)
    found = posts_visible_to(user).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound()
    return found


def current_holdings() -> QuerySet[PostHolding]:
    return PostHolding.objects.filter(ended_on__isnull=True).select_related(
        "post", "post__department", "person")


def posts_with_holders(user: Any) -> QuerySet[Post]:
    """Visible posts with their current holdings prefetched as `current`."""
    return posts_visible_to(user).prefetch_related(
        Prefetch("holdings", queryset=current_holdings(), to_attr="current"))


def holders_of(post: Post) -> QuerySet[PostHolding]:
    return current_holdings().filter(post=post).select_related(
        "person__personnel_file", "person__department").order_by("person__employee_no")


def holdings_of(file: PersonnelFile) -> QuerySet[PostHolding]:
    """Every post the file's person holds or held, current ones first."""
    return PostHolding.objects.filter(person_id=file.person_id).select_related(
        "post", "post__department").order_by(F("ended_on").desc(nulls_first=True), "-id")


# --- the person ledger (涉密人员台帐) ---------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    department_id: int | None = None
    state: str | None = None
    category: int | None = None
    text: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def _visible_files(user: Any) -> QuerySet[PersonnelFile]:
    """files_visible_to, with the common case (a manager of the unit) as a plain IN list on
    the indexed unit column, so that the keyset scan can use (unit, state, id)."""
    if not sees_business_data(user):
        return PersonnelFile.objects.none()
    managed = unit_perimeter(user, MANAGERS)
    if user.person.unit_id in managed and not user.has_role(Role.DEPARTMENT_HEAD):
        # Their own file is in a managed unit: the unit list covers everything visible.
        return PersonnelFile.objects.filter(unit_id__in=sorted(managed)).select_related(
            "person", "person__department", "unit")
    return files_visible_to(user)


def ledger(user: Any, filters: LedgerFilters | None = None) -> QuerySet[PersonnelFile]:
    """The 涉密人员台帐 the user may see, filtered; page it with keyset_page (id desc)."""
    filters = filters or LedgerFilters()
    queryset = _visible_files(user)
    if filters.department_id:
        queryset = queryset.filter(person__department_id=filters.department_id)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.category is not None:
        queryset = queryset.filter(category=filters.category)
    text = filters.text.strip()
    if text:
        queryset = queryset.filter(Q(person__name__icontains=text)
                                   | Q(person__employee_no__icontains=text))
    return queryset.prefetch_related(
        Prefetch("person__post_holdings", queryset=current_holdings(), to_attr="current"))


def managed_units(user: Any) -> set[int]:
    """Units whose posts and files the user manages (the 保密办)."""
    return unit_perimeter(user, {Role.SECRECY_OFFICE})


def departments_for_ledger(user: Any) -> QuerySet[Department]:
    """Departments offered as ledger filters and post departments: those of managed units."""
    if not sees_business_data(user):
        return Department.objects.none()
    visible = Q(unit_id__in=perimeter_query(user, MANAGERS))
    if user.has_role(Role.DEPARTMENT_HEAD) and user.person.department_id:
        visible |= Q(pk=user.person.department_id)
    return Department.objects.filter(visible).select_related("unit").order_by("unit", "code")


def people_without_file(user: Any, department_id: int | None = None) -> QuerySet[Person]:
    """Active people of the managed units (optionally one department) who have no
    classified-personnel file yet."""
    queryset = Person.objects.filter(unit_id__in=sorted(managed_units(user)), active=True)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    has_file = PersonnelFile.objects.filter(person_id=OuterRef("pk"))
    return queryset.filter(~Exists(has_file)).select_related("department").order_by(
        "department__code", "employee_no")
