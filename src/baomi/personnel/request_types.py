"""Requests the personnel app serves through the approvals engine.

`personnel_review` (保密审查/复审, rules P2 and P6): the 保密办 files the review of a person; the
chain `approvals.chains.personnel_review` (default 部门负责人 → 保密办 → 单位领导) decides it;
the decision is carried out on the review and the person's file (services.onboarding).
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level

from .choices import ReviewKind, ReviewOutcome
from .models import SecurityReview

MAX_ID = 2**63 - 1


class ReviewPayload(BaseModel):
    """What the request carries: the review, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    review_id: int = Field(ge=1, le=MAX_ID)
    person: str = Field(min_length=1, max_length=100)
    department: str = Field(default="", max_length=100)
    kind: str = Field(pattern="^(initial|periodic|change)$")
    level: int = Field(ge=Level.SECRET, le=Level.TOP_SECRET)


def review_payload(review: SecurityReview) -> dict[str, Any]:
    person = review.file.person
    department = person.department.name if person.department else ""
    return {"review_id": review.pk, "person": person.name[:100], "department": department[:100],
            "kind": review.kind, "level": int(review.level)}


class PersonnelReviewRequest(RequestType):
    code = "personnel_review"
    label = gettext_lazy("Security review of classified personnel")
    payload_schema = ReviewPayload

    def subject_url(self, request: Any) -> str | None:
        """A review is shown on the person's file."""
        file_id = SecurityReview.objects.filter(pk=request.subject_id).values_list(
            "file_id", flat=True).first()
        return reverse("personnel:person_detail", args=[file_id]) if file_id else None

    def describe(self, payload: dict[str, Any]) -> str:
        kind = payload.get("kind", "")
        kind_label = ReviewKind(kind).label if kind in ReviewKind.values else kind
        level = payload.get("level")
        level_label = Level(level).label if level in Level.values else level
        person = payload.get("person", "")
        if payload.get("department"):
            person = _("%(person)s (%(department)s)") % {"person": person,
                                                       "department": payload["department"]}
        return _("%(kind)s of %(person)s for %(level)s posts") % {
            "kind": kind_label, "person": person, "level": level_label}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """The level the person is reviewed for (rule L5: the request is at that level)."""
        return Level(int(payload["level"]))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is decided by the head of the reviewed person's department."""
        return (SecurityReview.objects.filter(pk=payload["review_id"])
                .values_list("file__person__department_id", flat=True).first())

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """The reviewed person decides no step of their own review."""
        return (SecurityReview.objects.filter(pk=payload["review_id"])
                .values_list("file__person_id", flat=True).first())

    def can_submit(self, actor: Any) -> bool:
        # The 保密办 files reviews of the unit's people, never the person themselves.
        return Role.SECRECY_OFFICE in actor.role_set()

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .selectors.people import manages_unit

        assert isinstance(payload, ReviewPayload)
        review = (SecurityReview.objects.select_related("file", "request")
                  .filter(pk=payload.review_id).first())
        if review is None or not manages_unit(actor, review.file.unit_id):
            message = _("Choose a review of your unit.")
            raise InvalidInput(message, code="unknown_review", fields={"review_id": message})
        # A review is filed once (request still None) and may be resubmitted after a return.
        if review.outcome != ReviewOutcome.PENDING or (
                review.request is not None and review.request.state != RequestState.RETURNED):
            raise Conflict(_("This review has already been decided."), code="already_decided")

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services.onboarding import conclude_review

        conclude_review(actor, self._review(request), passed=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services.onboarding import conclude_review

        conclude_review(actor, self._review(request), passed=False)

    def _review(self, request: Request) -> SecurityReview:
        review = SecurityReview.objects.filter(pk=request.payload.get("review_id")).first()
        if review is None:
            raise Conflict(_("The review named in the request no longer exists."),
                           code="unknown_review")
        return review


register_request_type(PersonnelReviewRequest())


# --- `travel` (出国(境)审批, rule P8) --------------------------------------------------------


class TripPayload(BaseModel):
    """What the travel request carries: the trip, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    trip_id: int = Field(ge=1, le=MAX_ID)
    person: str = Field(min_length=1, max_length=100)
    department: str = Field(default="", max_length=100)
    purpose_kind: str = Field(pattern="^(official|private)$")
    destinations: str = Field(min_length=1, max_length=200)
    depart_on: str = Field(max_length=10)
    return_on: str = Field(max_length=10)
    level: int = Field(ge=Level.NONSECRET, le=Level.TOP_SECRET)


def trip_payload(trip: Any) -> dict[str, Any]:
    person = trip.file.person
    department = person.department.name if person.department else ""
    return {"trip_id": trip.pk, "person": person.name[:100], "department": department[:100],
            "purpose_kind": trip.purpose_kind, "destinations": trip.destinations[:200],
            "depart_on": trip.depart_on.isoformat(), "return_on": trip.return_on.isoformat(),
            "level": int(trip.file.category)}


class TravelRequest(RequestType):
    code = "travel"
    subject_page = "personnel:trip_detail"
    label = gettext_lazy("Travel abroad of classified personnel")
    payload_schema = TripPayload

    def describe(self, payload: dict[str, Any]) -> str:
        from .choices import TripPurpose

        kind = payload.get("purpose_kind", "")
        kind_label = TripPurpose(kind).label if kind in TripPurpose.values else kind
        return _("%(kind)s trip of %(person)s to %(where)s, %(start)s to %(end)s") % {
            "kind": kind_label, "person": payload.get("person", ""),
            "where": payload.get("destinations", ""), "start": payload.get("depart_on", ""),
            "end": payload.get("return_on", "")}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """The person's category level (rule L5: the request is at that level)."""
        return Level(int(payload["level"]))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is decided by the head of the traveller's department."""
        from .models import Trip

        return (Trip.objects.filter(pk=payload["trip_id"])
                .values_list("file__person__department_id", flat=True).first())

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """The traveller decides no step of their own trip."""
        from .models import Trip

        return (Trip.objects.filter(pk=payload["trip_id"])
                .values_list("file__person_id", flat=True).first())

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .choices import TripState
        from .models import Trip
        from .selectors.people import manages_unit

        assert isinstance(payload, TripPayload)
        trip = (Trip.objects.select_related("file", "request")
                .filter(pk=payload.trip_id).first())
        if trip is None or not (actor.person_id == trip.file.person_id
                                or manages_unit(actor, trip.file.unit_id)):
            message = _("Choose a trip of yours or of your unit.")
            raise InvalidInput(message, code="unknown_trip", fields={"trip_id": message})
        if trip.state != TripState.APPLIED or (
                trip.request is not None and trip.request.state != RequestState.RETURNED):
            raise Conflict(_("This trip has already been submitted."), code="already_decided")

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services.travel import conclude_trip

        conclude_trip(actor, self._trip(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services.travel import conclude_trip

        conclude_trip(actor, self._trip(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services.travel import withdraw_trip

        withdraw_trip(actor, self._trip(request))

    def _trip(self, request: Request) -> Any:
        from .models import Trip

        trip = Trip.objects.filter(pk=request.payload.get("trip_id")).first()
        if trip is None:
            raise Conflict(_("The trip named in the request no longer exists."),
                           code="unknown_trip")
        return trip


register_request_type(TravelRequest())


# --- `exit` (离岗/离职审批, rule P10) ---------------------------------------------------------


class ExitPayload(BaseModel):
    """What the exit request carries: the exit, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    exit_id: int = Field(ge=1, le=MAX_ID)
    person: str = Field(min_length=1, max_length=100)
    department: str = Field(default="", max_length=100)
    kind: str = Field(pattern="^(leave_post|leave_unit)$")
    leave_on: str = Field(max_length=10)
    level: int = Field(ge=Level.NONSECRET, le=Level.TOP_SECRET)


def exit_payload(case: Any) -> dict[str, Any]:
    person = case.file.person
    department = person.department.name if person.department else ""
    return {"exit_id": case.pk, "person": person.name[:100], "department": department[:100],
            "kind": case.kind, "leave_on": case.leave_on.isoformat(),
            "level": int(case.category)}


class ExitRequest(RequestType):
    code = "exit"
    subject_page = "personnel:exit_detail"
    label = gettext_lazy("Exit of classified personnel")
    payload_schema = ExitPayload

    def describe(self, payload: dict[str, Any]) -> str:
        from .choices import ExitKind

        kind = payload.get("kind", "")
        kind_label = ExitKind(kind).label if kind in ExitKind.values else kind
        return _("%(kind)s: %(person)s, leaving on %(date)s") % {
            "kind": kind_label, "person": payload.get("person", ""),
            "date": payload.get("leave_on", "")}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """The person's category level on exit (rule L5: the request is at that level)."""
        return Level(int(payload["level"]))

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is decided by the head of the leaving person's department."""
        from .models import ExitCase

        return (ExitCase.objects.filter(pk=payload["exit_id"])
                .values_list("file__person__department_id", flat=True).first())

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """The leaving person decides no step of their own exit."""
        from .models import ExitCase

        return (ExitCase.objects.filter(pk=payload["exit_id"])
                .values_list("file__person_id", flat=True).first())

    def can_submit(self, actor: Any) -> bool:
        # The 保密办 files exits of the unit's people (rule P10).
        return Role.SECRECY_OFFICE in actor.role_set()

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .choices import ExitState
        from .models import ExitCase
        from .selectors.people import manages_unit

        assert isinstance(payload, ExitPayload)
        case = (ExitCase.objects.select_related("file", "request")
                .filter(pk=payload.exit_id).first())
        if case is None or not manages_unit(actor, case.file.unit_id):
            message = _("Choose an exit of your unit.")
            raise InvalidInput(message, code="unknown_exit", fields={"exit_id": message})
        # Filed once (request still None); resubmitted only after a return.
        if case.state != ExitState.PENDING or (
                case.request is not None and case.request.state != RequestState.RETURNED):
            raise Conflict(_("This exit has already been submitted."), code="already_decided")

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services.exit import conclude_exit

        conclude_exit(actor, self._case(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services.exit import conclude_exit

        conclude_exit(actor, self._case(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services.exit import withdraw_exit

        withdraw_exit(actor, self._case(request))

    def _case(self, request: Request) -> Any:
        from .models import ExitCase

        case = ExitCase.objects.filter(pk=request.payload.get("exit_id")).first()
        if case is None:
            raise Conflict(_("The exit named in the request no longer exists."),
                           code="unknown_exit")
        return case


register_request_type(ExitRequest())
