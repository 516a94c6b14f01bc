"""Every write of the accounts app: organisation, accounts, roles, policy, logins, API tokens.

Each service checks who may act (rule T2: the 系统管理员 manages accounts, the 安全保密管理员
manages roles, categories and policy), checks the policy, changes the models and records
the audit event, all in one transaction. `actor=None` is the system itself (the `baomi`
command during the first set-up); views and the API always pass the logged-in user.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.audit.services import record_event
from baomi.core.access import unit_perimeter
from baomi.core.errors import AccessDenied, Conflict, DomainError, InvalidInput, NotFound, RuleViolation
from baomi.core.labels import Category
from baomi.core.policy import policy_of
from baomi.core.policy.loader import catalogue, profiles
from baomi.core.validation import clean_text

from .models import ApiToken, Department, PasswordHistory, Person, RoleAssignment, Unit, User
from .passwords import recently_used, validate_strength
from .roles import CLASSIFIED_ROLES, Role, forbidden_combination

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,50}$")
TOKEN_PREFIX = "bm_"
TOKEN_PREFIX_LENGTH = 10
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
# History rows kept per user: the largest `password.history` the catalogue allows.
HISTORY_KEPT = int(catalogue()["password.history"].maximum or 24)


class LoginRefused(DomainError):
    """A login attempt that did not succeed; `code` says why."""

    status = 401
    code = "invalid_credentials"


class AccountLocked(LoginRefused):
    """rule T3: too many failed logins; the account opens again at `locked_until`."""

    code = "account_locked"

    def __init__(self, locked_until: datetime) -> None:
        self.locked_until = locked_until
        local = timezone.localtime(locked_until).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            _("Too many failed logins: this account is locked until %(time)s.") % {"time": local}
        )


# --- helpers -----------------------------------------------------------------------------


def _require_role(actor: User | None, role: Role, unit: Unit) -> None:
    """rule T2: `actor` holds `role` over `unit` (None is the system set-up itself)."""
    if actor is None:
        return
    if unit.pk not in unit_perimeter(actor, {role}):
        raise AccessDenied(
            _("Only a %(role)s of this unit may do this.") % {"role": role.label},
            code="forbidden",
        )




def _reason(reason: str) -> str:
    return clean_text(reason, "reason", 1000)


def _forget_roles(user: User) -> None:
    """Drop the role and perimeter caches the instance keeps for the request."""
    user.__dict__.pop("_roles", None)
    user.__dict__.pop("_perimeters", None)


def _user_unit_id(user: User) -> int:
    return int(user.person.unit_id)


def _locked_user(user: User) -> User:
    """The user row, locked for the rest of the transaction (serialises concurrent changes)."""
    return (
        User.objects.select_for_update(of=("self",))
        .select_related("person__unit")
        .get(pk=user.pk)
    )


# --- organisation --------------------------------------------------------------------------


def create_unit(actor: User | None, *, name: str, code: str, kind: str = Unit.Kind.UNIT,
                parent: Unit | None = None) -> Unit:
    """A new unit; top-level units only by the system set-up, units of a group by its sysadmin."""
    name = clean_text(name, "name", 200)
    code = clean_text(code, "code", 50)
    if kind not in Unit.Kind.values:
        message = _("Unknown kind of unit.")
        raise InvalidInput(message, code="invalid_kind", fields={"kind": message})
    if parent is None:
        if actor is not None:
            raise AccessDenied(_("Only the system set-up creates top-level units."))
    else:
        # A group holds units, one level deep: unit_perimeter covers exactly that.
        if parent.kind != Unit.Kind.GROUP or kind != Unit.Kind.UNIT:
            message = _("A unit can only be placed under a group.")
            raise InvalidInput(message, code="invalid_parent", fields={"parent": message})
        _require_role(actor, Role.SYSADMIN, parent)
    with transaction.atomic():
        if Unit.objects.filter(code=code).exists():
            message = _("This code is already used.")
            raise Conflict(message, code="duplicate_code", fields={"code": message})
        unit = Unit.objects.create(name=name, code=code, kind=kind, parent=parent)
        record_event(actor, "UNIT_CREATED", unit,
                     after={"name": name, "code": code, "kind": kind,
                            "parent": parent.code if parent else None})
    return unit


def create_department(actor: User | None, *, unit: Unit, name: str, code: str) -> Department:
    """A new department of `unit` (rule T2: its sysadmin)."""
    _require_role(actor, Role.SYSADMIN, unit)
    name = clean_text(name, "name", 200)
    code = clean_text(code, "code", 50)
    with transaction.atomic():
        if Department.objects.filter(unit=unit, code=code).exists():
            message = _("This code is already used in the unit.")
            raise Conflict(message, code="duplicate_code", fields={"code": message})
        department = Department.objects.create(unit=unit, name=name, code=code)
        record_event(actor, "DEPARTMENT_CREATED", department, after={"name": name, "code": code})
    return department


def create_person(actor: User | None, *, unit: Unit, department: Department | None, name: str,
                  employee_no: str) -> Person:
    """A person of `unit` (rule T2: its sysadmin); the category starts at 非密."""
    _require_role(actor, Role.SYSADMIN, unit)
    name = clean_text(name, "name", 100)
    employee_no = clean_text(employee_no, "employee_no", 50)
    if department is not None and department.unit_id != unit.pk:
        message = _("The department belongs to another unit.")
        raise InvalidInput(message, code="invalid_department", fields={"department": message})
    with transaction.atomic():
        if Person.objects.filter(unit=unit, employee_no=employee_no).exists():
            message = _("This employee number is already used in the unit.")
            raise Conflict(message, code="duplicate_employee_no", fields={"employee_no": message})
        person = Person.objects.create(unit=unit, department=department, name=name,
                                       employee_no=employee_no)
        record_event(actor, "PERSON_CREATED", person,
                     after={"name": name, "employee_no": employee_no,
                            "department": department.code if department else None})
    return person


def create_user(actor: User | None, *, person: Person, username: str,
                initial_password: str) -> User:
    """A login for `person`; the initial password must be changed at the first login."""
    _require_role(actor, Role.SYSADMIN, person.unit)
    username = clean_text(username, "username", 50)
    if not USERNAME_RE.match(username):
        message = _("Use letters, digits and . _ @ - only.")
        raise InvalidInput(message, code="invalid_username", fields={"username": message})
    validate_strength(policy_of(person.unit), initial_password, field="password")  # rule T3
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            message = _("This username is already taken.")
            raise Conflict(message, code="duplicate_username", fields={"username": message})
        if User.objects.filter(person=person).exists():
            raise Conflict(_("This person already has a login."), code="person_has_user")
        user = User(username=username, person=person, must_change_password=True,
                    password_changed_at=timezone.now())
        user.set_password(initial_password)
        user.save(force_insert=True)
        record_event(actor, "USER_CREATED", user, unit_id=person.unit_id,
                     after={"username": username, "person": person.pk})
    return user


def create_person_and_user(actor: User | None, *, unit: Unit, department: Department | None,
                           name: str, employee_no: str, username: str,
                           initial_password: str) -> User:
    """A person with a login, all or nothing (the sysadmin's "new user" form)."""
    with transaction.atomic():
        person = create_person(actor, unit=unit, department=department, name=name,
                               employee_no=employee_no)
        return create_user(actor, person=person, username=username,
                           initial_password=initial_password)


def set_user_active(actor: User | None, user: User, active: bool, reason: str) -> User:
    """Enable or disable a login (rule T2: the sysadmin of the user's unit)."""
    _require_role(actor, Role.SYSADMIN, user.unit)
    reason = _reason(reason)
    if actor is not None and actor.pk == user.pk and not active:
        raise InvalidInput(_("You cannot disable your own login."), code="cannot_disable_self")
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active)
        if changed != 1:
            raise Conflict(_("The login is already in this state."), code="already_in_state")
        user.is_active = active
        record_event(actor, "USER_ACTIVATED" if active else "USER_DEACTIVATED", user,
                     unit_id=_user_unit_id(user), before={"active": not active},
                     after={"active": active}, reason=reason)
    return user


# --- passwords -----------------------------------------------------------------------------


def _replace_password(user: User, new_password: str, *, must_change: bool,
                      unlock: bool = False) -> None:
    """Keep the current hash in the history, store the new one (caller holds the row lock)."""
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).order_by("-id").values_list(
        "id", flat=True
    )[HISTORY_KEPT:]
    PasswordHistory.objects.filter(id__in=list(stale)).delete()
    changes: dict[str, Any] = {
        "password": make_password(new_password),
        "password_changed_at": timezone.now(),
        "must_change_password": must_change,
    }
    if unlock:
        changes.update(failed_logins=0, locked_until=None)
    User.objects.filter(pk=user.pk).update(**changes)
    for name, value in changes.items():
        setattr(user, name, value)


def change_password(user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password (rules T3, D6); clears a forced change."""
    policy = policy_of(user.unit)
    with transaction.atomic():
        locked = _locked_user(user)
        if not locked.check_password(old_password):
            message = _("The current password is wrong.")
            raise InvalidInput(message, code="wrong_password", fields={"old_password": message})
        validate_strength(policy, new_password)  # rule D6
        history = int(policy["password.history"])
        earlier = list(
            PasswordHistory.objects.filter(user=locked).order_by("-id").values_list(
                "password", flat=True
            )[
                : max(history - 1, 0)
            ]
        )
        if recently_used(new_password, locked.password, earlier, history):  # rule T3
            message = _("This password was used recently; choose another one.")
            raise InvalidInput(message, code="password_reused", fields={"new_password": message})
        _replace_password(locked, new_password, must_change=False)
        record_event(user, "PASSWORD_CHANGED", locked, unit_id=_user_unit_id(locked))
    user.password = locked.password
    user.password_changed_at = locked.password_changed_at
    user.must_change_password = False
    return user


def reset_password(actor: User | None, user: User, new_password: str) -> User:
    """The sysadmin sets a new password; the user must change it at the next login (rule T3).

    A reset also lifts a lockout: it is how a sysadmin lets a locked-out user back in.
    """
    _require_role(actor, Role.SYSADMIN, user.unit)
    validate_strength(policy_of(user.unit), new_password)  # rule D6
    with transaction.atomic():
        locked = _locked_user(user)
        _replace_password(locked, new_password, must_change=True, unlock=True)
        record_event(actor, "PASSWORD_RESET", locked, unit_id=_user_unit_id(locked),
                     after={"must_change_password": True, "unlocked": True})
    user.password = locked.password
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    return user


# --- roles and categories ------------------------------------------------------------------


def _check_grant_request(request: Any, user: User, role: str) -> None:
    """An approved `role_grant` request naming this user and role is the authority."""
    if getattr(request, "request_type", None) != "role_grant" or str(
        getattr(request, "state", "")
    ) != "approved":
        raise AccessDenied(_("The request is not an approved role grant."),
                           code="request_not_approved")
    payload = getattr(request, "payload", None) or {}
    named_user = payload.get("user_id", payload.get("user"))
    if str(named_user) != str(user.pk) or payload.get("role") != role:
        raise InvalidInput(_("The request grants another role or names another user."),
                           code="request_mismatch")


def _check_role_authority(actor: User | None, user: User, role: str, via_request: Any) -> None:
    if via_request is not None:
        _check_grant_request(via_request, user, role)
        return
    # rule T2: the 安全保密管理员 manages roles, never their own.
    _require_role(actor, Role.SECADMIN, user.unit)
    if actor is not None and actor.pk == user.pk:
        raise AccessDenied(_("Nobody changes their own roles."), code="own_roles")


def _valid_role(role: str) -> str:
    if role not in Role.values:
        message = _("Unknown role.")
        raise InvalidInput(message, code="unknown_role", fields={"role": message})
    return str(role)


def assign_role(actor: User | None, user: User, role: str, *, reason: str = "",
                via_request: Any = None) -> RoleAssignment:
    """Grant `role` to `user` in the user's unit; refuses the 三员 combinations of rule T1."""
    role = _valid_role(role)
    _check_role_authority(actor, user, role, via_request)
    reason = clean_text(reason, "reason", 1000, required=False)
    with transaction.atomic():
        locked = _locked_user(user)  # two grants to one user are decided one after the other
        if not locked.is_active:
            raise InvalidInput(_("The login is disabled."), code="user_inactive")
        held = set(RoleAssignment.objects.filter(user=locked).values_list("role", flat=True))
        if role in held:
            raise Conflict(_("The user already holds this role."), code="role_already_held")
        pair = forbidden_combination(held | {role})
        if pair is not None:  # rule T1
            first, second = sorted(str(Role(r).label) for r in pair)
            message = _("Rule T1: nobody may be both %(first)s and %(second)s.") % {
                "first": first, "second": second,
            }
            raise RuleViolation(message, code="t1_forbidden_combination", rule="T1",
                                fields={"role": message})
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=locked, role=role, unit=locked.unit, granted_by=actor
                )
        except IntegrityError as exc:  # the unique (user, role) constraint: another grant won
            raise Conflict(_("The user already holds this role."),
                           code="role_already_held") from exc
        record_event(actor, "ROLE_ASSIGNED", assignment, before={"roles": sorted(held)},
                     after={"roles": sorted(held | {role}), "user": locked.username,
                            "via_request": getattr(via_request, "pk", None)},
                     reason=reason)
    _forget_roles(user)
    return assignment


def revoke_role(actor: User | None, user: User, role: str, *, reason: str = "") -> None:
    """Withdraw `role` from `user` (rule T2: the 安全保密管理员)."""
    role = _valid_role(role)
    _check_role_authority(actor, user, role, None)
    reason = clean_text(reason, "reason", 1000, required=False)
    with transaction.atomic():
        locked = _locked_user(user)
        held = set(RoleAssignment.objects.filter(user=locked).values_list("role", flat=True))
        deleted, _details = RoleAssignment.objects.filter(user=locked, role=role).delete()
        if not deleted:
            raise Conflict(_("The user does not hold this role."), code="role_not_held")
        record_event(actor, "ROLE_REVOKED", object_type="accounts.roleassignment",
                     object_id=f"{locked.pk}:{role}", unit_id=_user_unit_id(locked),
                     before={"roles": sorted(held)},
                     after={"roles": sorted(held - {role}), "user": locked.username},
                     reason=reason)
    _forget_roles(user)


def set_person_category(actor: User | None, person: Person, category: int, *,
                        reason: str) -> Person:
    """Set the classified category, from which clearance follows (rule L2; the secadmin)."""
    _require_role(actor, Role.SECADMIN, person.unit)
    if category not in Category.values:
        message = _("Unknown category.")
        raise InvalidInput(message, code="invalid_category", fields={"category": message})
    reason = _reason(reason)
    with transaction.atomic():
        current = Person.objects.select_for_update().values_list("category", flat=True).get(
            pk=person.pk
        )
        if current == category:
            return person  # nothing changes, nothing to record
        Person.objects.filter(pk=person.pk, category=current).update(category=category)
        person.category = category
        record_event(actor, "PERSON_CATEGORY_CHANGED", person, before={"category": current},
                     after={"category": category}, reason=reason)
    return person


# --- policy --------------------------------------------------------------------------------


def _locked_unit(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().get(pk=unit.pk)


def set_policy_profile(actor: User | None, unit: Unit, profile_name: str) -> Unit:
    """Choose the unit's policy profile (the secadmin)."""
    _require_role(actor, Role.SECADMIN, unit)
    if profile_name not in profiles():
        message = _("Unknown policy profile.")
        raise InvalidInput(message, code="unknown_profile", fields={"profile": message})
    with transaction.atomic():
        locked = _locked_unit(unit)
        before = locked.policy_profile
        if before == profile_name:
            return unit  # nothing changes, nothing to record
        Unit.objects.filter(pk=unit.pk).update(policy_profile=profile_name)
        unit.policy_profile = profile_name
        record_event(actor, "POLICY_PROFILE_CHANGED", unit,
                     before={"profile": before}, after={"profile": profile_name})
    return unit


def _setting(key: str) -> Any:
    setting = catalogue().get(key)
    if setting is None:
        message = _("Unknown policy setting.")
        raise InvalidInput(message, code="unknown_setting", fields={"key": message})
    return setting


def set_policy_override(actor: User | None, unit: Unit, key: str, value: Any, *,
                        reason: str) -> Unit:
    """Override one setting for the unit, inside the catalogue's range (the secadmin)."""
    _require_role(actor, Role.SECADMIN, unit)
    setting = _setting(key)
    try:
        value = setting.validate(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, code="policy_value_invalid",
                           fields={"value": exc.message}) from exc
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked_unit(unit)
        before = policy_of(locked).effective(key)
        overrides = {**locked.policy_overrides, key: value}
        Unit.objects.filter(pk=unit.pk).update(policy_overrides=overrides)
        unit.policy_overrides = overrides
        record_event(actor, "POLICY_OVERRIDE_SET", unit,
                     before={"key": key, "value": before.value, "origin": before.origin},
                     after={"key": key, "value": value, "origin": "unit"}, reason=reason)
    return unit


def clear_policy_override(actor: User | None, unit: Unit, key: str, *, reason: str) -> Unit:
    """Remove the unit's override: the profile value applies again (the secadmin)."""
    _require_role(actor, Role.SECADMIN, unit)
    _setting(key)
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked_unit(unit)
        if key not in locked.policy_overrides:
            raise Conflict(_("This setting is not overridden."), code="override_not_set")
        overrides = {k: v for k, v in locked.policy_overrides.items() if k != key}
        Unit.objects.filter(pk=unit.pk).update(policy_overrides=overrides)
        unit.policy_overrides = overrides
        after = policy_of(unit).effective(key)
        record_event(actor, "POLICY_OVERRIDE_CLEARED", unit,
                     before={"key": key, "value": locked.policy_overrides[key], "origin": "unit"},
                     after={"key": key, "value": after.value, "origin": after.origin},
                     reason=reason)
    return unit


# --- logins --------------------------------------------------------------------------------


def _refuse_login(user: User, now: datetime, ip: str) -> LoginRefused:
    """Count a failed password; lock the account at `login.max_failures` (rule T3)."""
    policy = policy_of(user.unit)
    lock_expired = user.locked_until is not None and user.locked_until <= now
    failures = (0 if lock_expired else user.failed_logins) + 1
    locked_until = None
    if failures >= int(policy["login.max_failures"]):  # rule T3
        locked_until = now + timedelta(minutes=int(policy["login.lockout_minutes"]))
    User.objects.filter(pk=user.pk).update(failed_logins=failures, locked_until=locked_until)
    unit_id = _user_unit_id(user)
    record_event(user, "LOGIN_FAILED", user, unit_id=unit_id,
                 after={"ip": ip, "reason": "wrong_password", "failures": failures})
    if locked_until is None:
        return LoginRefused(_("Wrong username or password."))
    record_event(user, "ACCOUNT_LOCKED", user, unit_id=unit_id,
                 after={"ip": ip, "failures": failures, "locked_until": locked_until.isoformat()})
    return AccountLocked(locked_until)


def login_attempt(username: str, password: str, ip: str = "") -> User:
    """Check a username and password (rule T3); return the user or raise LoginRefused.

    The failure counter and the audit events are committed even though the login fails:
    the transaction ends before the refusal is raised. Callers must not wrap this in
    their own transaction.
    """
    now = timezone.now()
    refusal: LoginRefused | None = None
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .select_related("person__unit")
            .filter(username=username)
            .first()
        )
        if user is None:
            make_password(password)  # the same time as a known user: usernames stay secret
            record_event(None, "LOGIN_FAILED", object_type="accounts.user",
                         after={"username": username[:100], "ip": ip, "reason": "unknown_user"})
            refusal = LoginRefused(_("Wrong username or password."))
        elif user.locked_until is not None and user.locked_until > now:  # rule T3
            record_event(user, "LOGIN_FAILED", user, unit_id=_user_unit_id(user),
                         after={"ip": ip, "reason": "locked"})
            refusal = AccountLocked(user.locked_until)
        elif not user.check_password(password):
            refusal = _refuse_login(user, now, ip)
        elif not user.is_active:
            record_event(user, "LOGIN_FAILED", user, unit_id=_user_unit_id(user),
                         after={"ip": ip, "reason": "inactive"})
            refusal = LoginRefused(_("This login is disabled; ask the system administrator."),
                                   code="account_inactive")
        else:
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            user.failed_logins, user.locked_until = 0, None
            record_event(user, "LOGIN_SUCCEEDED", user, unit_id=_user_unit_id(user),
                         after={"ip": ip})
    if refusal is not None:
        raise refusal
    assert user is not None
    return user


def note_logout(user: User) -> None:
    """Record that the user logged out."""
    with transaction.atomic():
        record_event(user, "LOGGED_OUT", user, unit_id=_user_unit_id(user))


def note_session_expired(user: User, idle_minutes: int) -> None:
    """Record that an idle session was closed (rule T3)."""
    with transaction.atomic():
        record_event(user, "SESSION_EXPIRED", user, unit_id=_user_unit_id(user),
                     after={"idle_minutes": idle_minutes})


# --- API tokens ----------------------------------------------------------------------------


def _token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token of `user`; the plaintext is returned once and never stored."""
    name = clean_text(name, "name", 100)
    if not user.is_active:
        raise InvalidInput(_("The login is disabled."), code="user_inactive")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name,
                                        prefix=plaintext[:TOKEN_PREFIX_LENGTH],
                                        token_hash=_token_hash(plaintext))
        record_event(user, "API_TOKEN_CREATED", token, unit_id=_user_unit_id(user),
                     after={"name": name, "prefix": token.prefix})
    return token, plaintext


def revoke_api_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens."""
    if token.user_id != actor.pk:
        raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if changed != 1:
            raise Conflict(_("This token is already revoked."), code="already_in_state")
        token.revoked_at = now
        record_event(actor, "API_TOKEN_REVOKED", token, unit_id=_user_unit_id(actor),
                     after={"name": token.name, "prefix": token.prefix})
    return token


def authenticate_token(plaintext: str) -> User | None:
    """The active user owning this unrevoked token, or None; notes when it was last used."""
    if not plaintext or len(plaintext) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user__person__unit")
        .filter(token_hash=_token_hash(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - TOKEN_TOUCH_INTERVAL:
        # At most one write a minute per token, whatever the request rate.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_TOUCH_INTERVAL)
        ).update(last_used_at=now)
    return token.user


# --- exit of classified personnel (rule P10) ----------------------------------------------


def withdraw_access_on_exit(actor: User | None, person: Person, *, leaves_unit: bool,
                            reason: str) -> dict[str, Any]:
    """rule P10: carry out an approved exit on the person's login, inside the approval's
    transaction. 离职 (`leaves_unit`): the login is disabled, every role removed and every API
    token revoked. 离岗: the roles of classified work (CLASSIFIED_ROLES) are removed; the login
    stays for the person's other work. Returns what was done, for the exit record."""
    done: dict[str, Any] = {"login_disabled": False, "roles_removed": [], "tokens_revoked": 0}
    user = (User.objects.select_for_update(of=("self",)).select_related("person")
            .filter(person=person).first())
    if user is None:
        return done
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    removed = sorted(held if leaves_unit else held & CLASSIFIED_ROLES)
    RoleAssignment.objects.filter(user=user, role__in=removed).delete()
    done["roles_removed"] = removed
    if leaves_unit:
        done["login_disabled"] = User.objects.filter(pk=user.pk, is_active=True).update(
            is_active=False) == 1
        done["tokens_revoked"] = ApiToken.objects.filter(
            user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _forget_roles(user)
    record_event(actor, "ACCESS_WITHDRAWN_ON_EXIT", user, unit_id=_user_unit_id(user),
                 before={"roles": sorted(held), "active": user.is_active},
                 after=done, reason=clean_text(reason, "reason", 1000))
    return done
