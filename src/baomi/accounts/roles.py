"""Roles of DESIGN.md's access model and the 三员 separation of rule T1."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Security auditor")
    LEADER = "leader", _("Unit leader")
    SECRECY_OFFICE = "secrecy_office", _("Secrecy office")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    CLASSIFICATION_OFFICER = "classification_officer", _("Classification officer")
    STAFF = "staff", _("Staff")


THREE_ADMINS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# Roles that exist for classified work only: the 三员 of the classified system, the 保密办 and
# the 定密责任人. Someone who leaves a classified post (离岗, rule P10) loses them; their
# organisational roles (leader, department head, staff) stay.
CLASSIFIED_ROLES = THREE_ADMINS | {Role.SECRECY_OFFICE, Role.CLASSIFICATION_OFFICER}
BUSINESS_ROLES = frozenset(str(r) for r in Role if r not in THREE_ADMINS)

# rule T1: nobody is both 系统管理员 and 安全审计员, or both 安全保密管理员 and 安全审计员.
FORBIDDEN_COMBINATIONS = (
    frozenset({Role.SYSADMIN, Role.AUDITOR}),
    frozenset({Role.SECADMIN, Role.AUDITOR}),
)


def forbidden_combination(roles: set[str]) -> frozenset[str] | None:
    """The T1 combination `roles` would contain, or None."""
    for pair in FORBIDDEN_COMBINATIONS:
        if pair <= roles:
            return pair
    return None
