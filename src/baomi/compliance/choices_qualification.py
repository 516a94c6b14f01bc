"""Kinds and states of the unit's 资质/备案 records (rules Q3, Q4, Q6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualificationType(models.TextChoices):
    """The 资质 and 备案 a unit doing classified work holds (seed 000)."""

    CONSULTING_FILING = "consulting_filing", _(
        "Filing of security conditions for classified consulting services")
    WEAPONRY = "weaponry", _(
        "Security qualification for weapons and equipment research and production")
    SYSTEM_INTEGRATION = "system_integration", _(
        "Classified information system integration qualification")
    CARRIER_PRINTING = "carrier_printing", _("State-secret carrier printing qualification")
    OTHER = "other", _("Other qualification")


class QualificationGrade(models.TextChoices):
    """The grade written on the certificate: 一级/二级/三级 (保密资格, 备案) or 甲级/乙级
    (集成, 印制 资质)."""

    FIRST = "first", _("Grade one")
    SECOND = "second", _("Grade two")
    THIRD = "third", _("Grade three")
    CLASS_A = "class_a", _("Class A")
    CLASS_B = "class_b", _("Class B")


class QualificationState(models.TextChoices):
    """valid until `expires_on` (then expired, by the daily job), revoked by the authority,
    or superseded by the certificate of a passed renewal."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class ApplicationKind(models.TextChoices):
    """A first application or a renewal (复审/延续) of a qualification already held."""

    NEW = "new", _("New application")
    RENEWAL = "renewal", _("Renewal")


class ApplicationResult(models.TextChoices):
    """Where the review of an application stands (rule Q3)."""

    PENDING = "pending", _("Pending review")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class UnitChangeKind(models.TextChoices):
    """The changes of a unit reported within 10 working days (rule Q6)."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    NAME = "name", _("Unit name")
    ADDRESS = "address", _("Address")
    REGISTERED_CAPITAL = "registered_capital", _("Registered capital")
    OWNERSHIP = "ownership", _("Ownership structure")
    OTHER = "other", _("Other change")


# rule Q6 says "some require a new 备案" without naming them; seed 000 细则§34–35 does: a new
# legal representative, name or registered address asks for an amended filing (变更备案, §34);
# a major change of the capital structure (资本构成: registered capital, ownership) asks for a
# new filing (重新申请备案, §35). We follow the seed rather than a guess.
FILING_AMENDMENT_KINDS = frozenset({UnitChangeKind.LEGAL_REPRESENTATIVE, UnitChangeKind.NAME,
                                    UnitChangeKind.ADDRESS})
NEW_FILING_KINDS = frozenset({UnitChangeKind.REGISTERED_CAPITAL, UnitChangeKind.OWNERSHIP})
