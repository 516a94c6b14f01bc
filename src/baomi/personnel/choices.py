"""States and kinds of the personnel app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileState(models.TextChoices):
    """Where a classified person stands (rule P1): 拟定 → 审查中 → 待培训 → 在岗 → …"""

    PROPOSED = "proposed", _("Proposed")
    REVIEWING = "reviewing", _("Under security review")
    REVIEW_FAILED = "review_failed", _("Failed the security review")
    TRAINING = "training", _("Awaiting training")
    IN_POST = "in_post", _("In post")


class ReviewKind(models.TextChoices):
    INITIAL = "initial", _("Pre-appointment review")
    PERIODIC = "periodic", _("Periodic re-review")
    CHANGE = "change", _("Re-review after a post or level change")


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ExamResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NOT_EXAMINED = "none", _("No exam")


class CommitmentKind(models.TextChoices):
    """Signed undertakings: the onboarding 承诺书 (rule P3) and the yearly 责任书 (rule P5)."""

    COMMITMENT = "commitment", _("Confidentiality commitment")
    RESPONSIBILITY = "responsibility", _("Annual confidentiality responsibility letter")


class DocumentKind(models.TextChoices):
    """Travel documents held in custody by the 保密办 (rule P9)."""

    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Travel permit to Hong Kong and Macao")
    TAIWAN = "taiwan", _("Travel permit to Taiwan")


class DocumentState(models.TextChoices):
    IN_CUSTODY = "in_custody", _("In custody")
    ISSUED = "issued", _("Issued to the holder")
    LOST = "lost", _("Lost")


class TripPurpose(models.TextChoices):
    OFFICIAL = "official", _("Official")
    PRIVATE = "private", _("Private")


class TripState(models.TextChoices):
    """A trip abroad (rule P8): approval → pre-trip talk → commitment → document issued →
    return → document handed back and return visit."""

    APPLIED = "applied", _("Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting the pre-trip talk")
    TALKED = "talked", _("Talk held, awaiting the commitment")
    COMMITTED = "committed", _("Commitment signed, awaiting the document")
    ISSUED = "issued", _("Document issued (travelling)")
    RETURNED = "returned", _("Returned")
    DOCUMENT_BACK = "document_back", _("Returned, document handed back")
    VISITED = "visited", _("Returned, visited, document not back")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
