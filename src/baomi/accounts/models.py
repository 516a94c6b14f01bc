"""Units, departments, people, user accounts, roles and API tokens."""

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.core.labels import Category
from baomi.core.policy.loader import DEFAULT_PROFILE

from .roles import Role


class Unit(models.Model):
    """An organisation: a 集团 (group) or a 单位 (unit) under it; the perimeter of access."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        UNIT = "unit", _("Unit")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    policy_profile = models.CharField(_("policy profile"), max_length=50, default=DEFAULT_PROFILE)
    policy_overrides = models.JSONField(_("policy overrides"), default=dict, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department (部门) of a unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="departments")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="department_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A human being of a unit; may exist without a login (most 涉密人员 have one, not all)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="people")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    name = models.CharField(_("real name"), max_length=100)
    employee_no = models.CharField(_("employee number"), max_length=50)
    # rule L2: clearance follows the category; the personnel app derives it from posts (L3).
    category = models.IntegerField(_("classified category"), choices=Category.choices,
                                   default=Category.NONE)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit", "employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "employee_no"], name="person_employee_no_unique"),
        ]
        indexes = [models.Index(fields=["unit", "department", "active"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(username=username)


class User(AbstractBaseUser):
    """A login of a person. Access comes from roles (RoleAssignment) and the person's category."""

    username = models.CharField(_("username"), max_length=50, unique=True)
    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="user")
    is_active = models.BooleanField(_("login enabled"), default=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    failed_logins = models.PositiveIntegerField(_("consecutive failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.username}）"

    @property
    def unit(self) -> Unit:
        return self.person.unit

    def role_set(self) -> set[str]:
        """Roles held, cached on the instance for the request."""
        if not hasattr(self, "_roles"):
            self._roles = set(self.role_assignments.values_list("role", flat=True))
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & {str(r) for r in roles})


class RoleAssignment(models.Model):
    """A role held by a user in a unit (the unit's perimeter; a group role covers its units)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    granted_by = models.ForeignKey(User, verbose_name=_("granted by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
        ]
        indexes = [models.Index(fields=["role", "unit"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class PasswordHistory(models.Model):
    """Earlier password hashes of a user, to refuse reuse (rule T3)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A per-user API token: shown once, stored as a SHA-256 hash, revocable."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
