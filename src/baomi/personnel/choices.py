"""States and kinds of the personnel app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileState(models.TextChoices):
    """Where a classified person stands (rule P1): 拟定 → 审查中 → 待培训 → 在岗 → 离岗审批中 →
    脱密期 → 已解脱 (rules P10–P14)."""

    PROPOSED = "proposed", _("Proposed")
    REVIEWING = "reviewing", _("Under security review")
    REVIEW_FAILED = "review_failed", _("Failed the security review")
    TRAINING = "training", _("Awaiting training")
    IN_POST = "in_post", _("In post")
    LEAVING = "leaving", _("Exit awaiting approval")
    DECLASSIFYING = "declassifying", _("Declassification period")
    RELEASED = "released", _("Released")


# Still serving in the classified post: in post, and in post while the exit is decided. Both
# count for the allowance (rule P15), the 在岗 roster (rule P16) and the duties of people in
# post (rules P4, P5, P6, P7).
SERVING = (FileState.IN_POST, FileState.LEAVING)
# May apply to travel abroad (rule P8: "same rules for people in 脱密期", rule P12).
MAY_TRAVEL = (FileState.IN_POST, FileState.DECLASSIFYING)


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
    """Signed undertakings: the onboarding 承诺书 (rule P3), the yearly 责任书 (rule P5) and the
    涉密人员移动通信设备使用保密承诺书 (rule M3; required by policy per category, once)."""

    COMMITMENT = "commitment", _("Confidentiality commitment")
    RESPONSIBILITY = "responsibility", _("Annual confidentiality responsibility letter")
    MOBILE = "mobile", _("Commitment on the use of mobile communication devices")


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


class ExitKind(models.TextChoices):
    """rule P10: 离岗 leaves the classified post and stays in the unit; 离职 leaves the unit."""

    LEAVE_POST = "leave_post", _("Leaves the classified post")
    LEAVE_UNIT = "leave_unit", _("Leaves the unit")


class ExitState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VisitMethod(models.TextChoices):
    """How a 脱密期 return visit (rule P13) was made."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By telephone")
    INTERVIEW = "interview", _("Interview at the unit")
