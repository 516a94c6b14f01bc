"""States and kinds of the 定密 app (rules S1–S11)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemState(models.TextChoices):
    """A secret item: proposed by the 承办人 and decided by the 定密责任人 (rule S4), or
    provisionally classified by a unit without authority (rule S3), then in force until it is
    declassified (rules S6, S10)."""

    PROPOSED = "proposed", _("Proposed, awaiting decision")
    PROVISIONAL = "provisional", _("Provisionally classified, awaiting decision")
    DETERMINED = "determined", _("Classified")
    EXPIRY_REVIEW = "expiry_review", _("Period expired, awaiting review")
    DECLASSIFIED = "declassified", _("Declassified")
    REJECTED = "rejected", pgettext_lazy("secret item", "Not classified")


# The states of an item in force: it is marked, protected and reviewed every year.
IN_FORCE = (ItemState.PROVISIONAL, ItemState.DETERMINED, ItemState.EXPIRY_REVIEW)


class PeriodKind(models.TextChoices):
    """How the 保密期限 is stated (rules S1, S2, S9)."""

    YEARS = "years", _("Years")
    MONTHS = "months", _("Months")
    LONG_TERM = "long_term", _("Long term (with a declassification condition)")
    CONDITION = "condition", _("Until a declassification condition is met")


class KnowledgeKind(models.TextChoices):
    """How a person came to know an item (rule S8)."""

    CONTACT = "contact", _("Contact")
    KNOW = "know", _("Knowledge")


class ChangeKind(models.TextChoices):
    """What a 定密 change request changes (rule S10), or what else is kept in the history."""

    LEVEL = "level", _("Change of level")
    PERIOD = "period", _("Change of period")
    SCOPE_REMOVE = "scope_remove", _("Removal from the need-to-know scope")
    SCOPE_ADD = "scope_add", _("Addition to the need-to-know scope")
    DECLASSIFY = "declassify", _("Declassification")
    DETERMINED = "determined", _("Classification decided")
    SUPERIOR_DECISION = "superior_decision", _("Decision of the superior authority")
    REVIEW = "review", _("Annual review")
    EXPIRED = "expired", _("Period expired")


class DeclassifiedHow(models.TextChoices):
    EXPIRED = "expired", _("Period expired")
    DECISION = "decision", _("By decision")
