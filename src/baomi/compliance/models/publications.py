"""保密审查 of what is to be published (rule Q12): articles, news items, papers, exhibitions,
web posts and information disclosures are reviewed and approved before release; the author
declares that the text holds no state secret or 工作秘密 (谁上网谁负责) and every submitted
text is kept as a version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Unit

from ..choices import PublicationKind, PublicationState

# The text to be published: an article or a paper, not a book.
CONTENT_MAX = 100_000


class PublicationReview(models.Model):
    """One request to release a text outside the unit (rule Q12), from its draft to its
    publication. `request` is the current approval request (`publication_review`); each
    submission keeps the text as it was in a `PublicationVersion`. Once approved the text is
    locked: a changed text needs a new review."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="publication_reviews")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PublicationKind.choices)
    channel = models.CharField(
        _("channel"), max_length=200,
        help_text=_("Where it is to be published: the unit portal, a WeChat account, a "
                    "journal, an exhibition …"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.PROTECT, related_name="publication_reviews")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="publication_reviews")
    content = models.TextField(_("text to be published"), max_length=CONTENT_MAX)
    planned_on = models.DateField(_("planned publication date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=PublicationState.choices,
                             default=PublicationState.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    request = models.ForeignKey("approvals.Request", verbose_name=_("approval request"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_where = models.CharField(_("published where"), max_length=500, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("publication review")
        verbose_name_plural = _("publication reviews")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "state"], name="publication_unit_state_idx"),
                   models.Index(fields=["author", "id"], name="publication_author_idx")]

    def __str__(self) -> str:
        return self.title


class PublicationVersion(models.Model):
    """A text as it was submitted for review, with the author's declaration that it holds no
    state secret or 工作秘密 (rule Q12: 谁上网谁负责 — the submitter answers for it)."""

    review = models.ForeignKey(PublicationReview, verbose_name=_("publication review"),
                               on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("text"), max_length=CONTENT_MAX)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("declared by"),
                                    on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        verbose_name = _("publication version")
        verbose_name_plural = _("publication versions")
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"],
                                               name="publication_version_unique")]

    def __str__(self) -> str:
        return f"{self.review_id} v{self.number}"

    @property
    def audit_unit_id(self) -> int:
        return int(self.review.unit_id)
