"""Classified posts, the classified person's file, security reviews, training, commitments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Category, Level

from .choices import (
    CommitmentKind,
    DocumentKind,
    DocumentState,
    ExamResult,
    ExitKind,
    ExitState,
    FileState,
    ReviewKind,
    ReviewOutcome,
    TripPurpose,
    TripState,
    VisitMethod,
)


class Post(models.Model):
    """A classified post (涉密岗位) with its level (rule L3); holders take their category from it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="posts")
    department = models.ForeignKey(Department, verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="posts")
    name = models.CharField(_("post name"), max_length=100)
    level = models.IntegerField(_("level"), choices=Level.choices)
    duties = models.TextField(_("classified duties"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("classified post")
        verbose_name_plural = _("classified posts")
        ordering = ["unit", "department", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="post_name_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=Level.SECRET),
                                   name="post_level_classified"),
        ]

    def __str__(self) -> str:
        return f"{self.department.name}·{self.name}"


class PostHolding(models.Model):
    """A person holding a post from a date; `ended_on` set when they leave it."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT,
                             related_name="holdings")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="post_holdings")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("post holding")
        verbose_name_plural = _("post holdings")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "person"],
                                    condition=models.Q(ended_on__isnull=True),
                                    name="post_holding_current_unique"),
        ]
        indexes = [models.Index(fields=["person", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.post}"


class PersonnelFile(models.Model):
    """The classified-personnel file of one person: state, category and key dates.

    `Person.category` (accounts) is the clearance everyone reads; this app derives it from the
    posts held (rule L3) and keeps the lifecycle here.
    """

    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="personnel_file")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="personnel_files")
    state = models.CharField(_("state"), max_length=20, choices=FileState.choices,
                             default=FileState.PROPOSED)
    category = models.IntegerField(_("classified category"), choices=Category.choices,
                                   default=Category.NONE)
    in_post_since = models.DateField(_("in post since"), null=True, blank=True)
    last_review_on = models.DateField(_("last security review on"), null=True, blank=True)
    rereview_due_on = models.DateField(_("re-review due on"), null=True, blank=True)
    # rules P10, P11: the day the exit was approved and the last day of the 脱密期.
    left_on = models.DateField(_("left the post on"), null=True, blank=True)
    declassification_ends_on = models.DateField(_("declassification period ends on"),
                                                null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("classified personnel file")
        verbose_name_plural = _("classified personnel files")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "state", "id"]),
            models.Index(fields=["unit", "category", "id"]),
            models.Index(fields=["rereview_due_on"]),
            models.Index(fields=["state", "declassification_ends_on"]),
        ]

    def __str__(self) -> str:
        return str(self.person)


class SecurityReview(models.Model):
    """A 保密审查 (rule P2) or 复审 (rule P6) of a person, decided through an approvals request.

    The form's sections are kept as structured JSON: personal history, conduct, family members
    and social relations, study and work history, overseas ties.
    """

    file = models.ForeignKey(PersonnelFile, verbose_name=_("personnel file"),
                             on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    level = models.IntegerField(_("level reviewed for"), choices=Level.choices)
    form = models.JSONField(_("review form"), default=dict)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="security_review")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices,
                               default=ReviewOutcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("security review")
        verbose_name_plural = _("security reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file} · {self.get_kind_display()}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the file (audit events are filed under it)."""
        return int(self.file.unit_id)


class ReviewAttachment(models.Model):
    """A file attached to a review (家庭成员及社会关系表, 学习工作经历表, …)."""

    review = models.ForeignKey(SecurityReview, verbose_name=_("review"),
                               on_delete=models.PROTECT, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="personnel/reviews/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review attachment")
        verbose_name_plural = _("review attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class TrainingRecord(models.Model):
    """One training session attended (rule P4: hours and sessions per year)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="training_records")
    course = models.CharField(_("course"), max_length=200)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours (学时)"), max_digits=5, decimal_places=1)
    exam_result = models.CharField(_("exam result"), max_length=10, choices=ExamResult.choices,
                                   default=ExamResult.NOT_EXAMINED)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["person", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the person (audit events are filed under it)."""
        return int(self.person.unit_id)


class Commitment(models.Model):
    """A signed 保密承诺书 (rule P3) or yearly 保密责任书 (rule P5), with the text version."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="commitments")
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    signed_on = models.DateField(_("signed on"))
    text_version = models.CharField(_("text version"), max_length=50)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed commitment")
        verbose_name_plural = _("signed commitments")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "year"],
                                    name="commitment_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} {self.year}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the person (audit events are filed under it)."""
        return int(self.person.unit_id)


class MajorMatterReport(models.Model):
    """A 涉密人员重大事项报告 (rule P7): the annual report every December (a 零报告 when there is
    nothing to report) or an ad hoc report of a major personal change when it happens.

    `matters` is a JSON list of {category, description, date}; the categories are those of
    the 涉密人员重大事项报告表.
    """

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual report")
        AD_HOC = "ad_hoc", _("Report of a major personal change")

    class MatterCategory(models.TextChoices):
        MARRIAGE = "marriage", _("Change of marital status")
        FAMILY_ABROAD = "family_abroad", _(
            "Spouse or children settling abroad or taking foreign nationality")
        FOREIGN_CONTACTS = "foreign_contacts", _("Contacts with people from abroad")
        PRIVATE_TRAVEL = "private_travel", _("Private travel abroad")
        JUDICIAL = "judicial", _("Prosecuted by judicial authorities")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="major_matter_reports")
    file = models.ForeignKey(PersonnelFile, verbose_name=_("personnel file"),
                             on_delete=models.PROTECT, related_name="major_matter_reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    is_zero = models.BooleanField(_("zero report"), default=False)
    matters = models.JSONField(_("matters reported"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                        verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("major personal matters report")
        verbose_name_plural = _("major personal matters reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"],
                                    condition=models.Q(kind="annual"),
                                    name="major_matter_annual_once_a_year"),
            models.CheckConstraint(
                condition=(models.Q(kind="annual", year__isnull=False)
                           | models.Q(kind="ad_hoc", year__isnull=True)),
                name="major_matter_year_for_annual"),
        ]
        indexes = [models.Index(fields=["file", "kind", "year"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the file (audit events are filed under it)."""
        return int(self.file.unit_id)


class TravelDocument(models.Model):
    """A passport or travel permit in the 保密办's custody ledger (rule P9, the
    《涉密人员护照、通行证保管登记表》): held centrally, issued for an approved trip, handed
    back after it."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="travel_documents")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="travel_documents")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=30)
    issued_on = models.DateField(_("date of issue"))
    expires_on = models.DateField(_("expiry date"))
    state = models.CharField(_("custody state"), max_length=12, choices=DocumentState.choices,
                             default=DocumentState.IN_CUSTODY)
    last_issued_on = models.DateField(_("last issued to the holder on"), null=True, blank=True)
    last_returned_on = models.DateField(_("last handed back on"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="travel_document_unique"),
            models.CheckConstraint(condition=models.Q(expires_on__gt=models.F("issued_on")),
                                   name="travel_document_expiry_after_issue"),
        ]
        indexes = [models.Index(fields=["unit", "state", "id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Trip(models.Model):
    """A trip abroad of a classified person (rule P8): the 出国(境)审批表 decided through the
    approvals engine (request type `travel`), the 行前保密提醒谈话, the 保密承诺书, the
    document issued and handed back, and the 回访 after return.

    `talkers` and `visitors` are JSON lists of names; the due dates are set on return from
    the unit's policy (`travel.passport_return_days.*`, `travel.return_visit_days`).
    """

    file = models.ForeignKey(PersonnelFile, verbose_name=_("personnel file"),
                             on_delete=models.PROTECT, related_name="trips")
    purpose_kind = models.CharField(_("official or private"), max_length=10,
                                    choices=TripPurpose.choices)
    destinations = models.CharField(_("countries or regions"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    depart_on = models.DateField(_("planned departure"))
    return_on = models.DateField(_("planned return"))
    companions = models.CharField(_("companions"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=TripState.choices,
                             default=TripState.APPLIED)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="trip")
    document = models.ForeignKey(TravelDocument, verbose_name=_("travel document"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="trips")
    talk_on = models.DateField(_("pre-trip talk held on"), null=True, blank=True)
    talkers = models.JSONField(_("talk held by"), default=list, blank=True)
    talk_notes = models.TextField(_("talk notes"), blank=True)
    committed_on = models.DateField(_("commitment signed on"), null=True, blank=True)
    document_issued_on = models.DateField(_("document issued on"), null=True, blank=True)
    returned_on = models.DateField(_("actual return"), null=True, blank=True)
    document_due_on = models.DateField(_("document due back on"), null=True, blank=True)
    document_returned_on = models.DateField(_("document handed back on"), null=True,
                                            blank=True)
    visit_due_on = models.DateField(_("return visit due on"), null=True, blank=True)
    visited_on = models.DateField(_("return visit on"), null=True, blank=True)
    visitors = models.JSONField(_("visit by"), default=list, blank=True)
    visit_findings = models.TextField(_("visit findings"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trip abroad")
        verbose_name_plural = _("trips abroad")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(return_on__gte=models.F("depart_on")),
                                   name="trip_return_after_departure"),
        ]
        indexes = [models.Index(fields=["state", "id"]),
                   models.Index(fields=["file", "state"])]

    def __str__(self) -> str:
        return f"{self.file} · {self.destinations}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the file (audit events are filed under it)."""
        return int(self.file.unit_id)


class ExitCase(models.Model):
    """A 离岗 or 离职 of a classified person (rule P10) and the 脱密期 that follows (P11–P14).

    Filed by the 保密办, decided through the approvals engine (request type `exit`); approval
    is refused while the person still holds carriers, devices or media (rule C9, the
    `personnel.custody` providers). On approval the access is withdrawn (`access_withdrawn`
    says what was done), the 脱密期 runs from the approval date for `period_months`; the
    离岗离职保密承诺书 and the reminder talk (two people at least) are recorded after it, the
    quarterly return visits (rule P13) during it, and the 撤销备案 (rule P14) at its end.
    """

    file = models.ForeignKey(PersonnelFile, verbose_name=_("personnel file"),
                             on_delete=models.PROTECT, related_name="exits")
    kind = models.CharField(_("kind of exit"), max_length=12, choices=ExitKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=ExitState.choices,
                             default=ExitState.PENDING)
    leave_on = models.DateField(_("planned leaving date"))
    reason = models.TextField(_("reason"), max_length=2000)
    destination = models.CharField(_("destination (new post or employer)"), max_length=200,
                                   blank=True)
    category = models.IntegerField(_("classified category on exit"), choices=Category.choices)
    request = models.OneToOneField("approvals.Request", verbose_name=_("approval request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="exit_case")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    period_months = models.PositiveSmallIntegerField(_("declassification period (months)"),
                                                     null=True, blank=True)
    ends_on = models.DateField(_("declassification period ends on"), null=True, blank=True)
    access_withdrawn = models.JSONField(_("access withdrawn"), default=dict, blank=True)
    door_access_revoked_on = models.DateField(_("door access revoked on"), null=True,
                                              blank=True)
    committed_on = models.DateField(_("exit commitment signed on"), null=True, blank=True)
    commitment_version = models.CharField(_("commitment text version"), max_length=50,
                                          blank=True)
    talk_on = models.DateField(_("reminder talk held on"), null=True, blank=True)
    talkers = models.JSONField(_("talk held by"), default=list, blank=True)
    talk_notes = models.TextField(_("talk notes"), blank=True)
    next_visit_due_on = models.DateField(_("next return visit due on"), null=True, blank=True)
    filing_withdrawn_on = models.DateField(_("filing withdrawn on"), null=True, blank=True)
    filing_reference = models.CharField(_("filing withdrawal reference"), max_length=100,
                                        blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exit of classified personnel")
        verbose_name_plural = _("exits of classified personnel")
        ordering = ["-id"]
        constraints = [
            # One exit in progress or in force per file: a second one waits for the first.
            models.UniqueConstraint(fields=["file"],
                                    condition=models.Q(state__in=["pending", "approved"]),
                                    name="exit_case_one_open"),
        ]
        indexes = [models.Index(fields=["state", "next_visit_due_on"])]

    def __str__(self) -> str:
        return f"{self.file} · {self.get_kind_display()}"

    @property
    def audit_unit_id(self) -> int:
        """The unit of the file (audit events are filed under it)."""
        return int(self.file.unit_id)


class DeclassificationVisit(models.Model):
    """A return visit (回访) during the 脱密期 (rule P13), the 脱密期回访记录表: who visited, how,
    whether the restrictions of rule P12 were kept (no work or services for foreign
    institutions or foreign-owned firms, no unapproved travel abroad), and what was found."""

    exit = models.ForeignKey(ExitCase, verbose_name=_("exit"), on_delete=models.PROTECT,
                             related_name="visits")
    visited_on = models.DateField(_("visited on"))
    method = models.CharField(_("method"), max_length=10, choices=VisitMethod.choices)
    visitors = models.JSONField(_("visited by"), default=list)
    current_employer = models.CharField(_("current employer and post"), max_length=200,
                                        blank=True)
    restrictions_kept = models.BooleanField(_("restrictions kept"), default=True)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declassification-period return visit")
        verbose_name_plural = _("declassification-period return visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.exit} · {self.visited_on}"
