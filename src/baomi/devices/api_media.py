"""The removable-media API (/api/v1/devices, rule D4): bindings to computers, check-outs and
returns with the check of what was written.

Handlers call selectors and services only; every input is bounded by its schema and a refusal
is a DomainError (a 4xx with `{"code", "message", "fields"}`). A medium, binding or check-out
the caller does not see is a 404, never telling whether it exists.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.accounts.models import Person
from baomi.core.errors import InvalidInput
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import Device, Medium, MediumBinding, MediumLoan
from .selectors import devices_visible_to, manages_devices, medium_for
from .selectors_media import binding_for, is_overdue, medium_loan_for, medium_loan_list
from .services.media import NOTE_MAX, PURPOSE_MAX

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Dates a ledger can hold; keeps the fuzzer's year 1 and year 9999 out of date arithmetic.
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]


# --- schemas -------------------------------------------------------------------------------


class BindIn(Schema):
    device_id: Key = Field(description="A computer of the medium's unit (rule D4).")
    bound_on: Day | None = Field(None, description="Default: today; never in the future.")


class BindingOut(Schema):
    id: int
    medium_id: int
    medium_number: str
    medium_level: int
    device_id: int
    device_number: str
    device_level: int
    bound_on: date
    unbound_on: date | None


class CheckOutIn(Schema):
    person_id: Key = Field(description="A person of the unit cleared for the medium's level.")
    purpose: str = Field(min_length=1, max_length=PURPOSE_MAX)
    due_on: Day | None = Field(None, description="Default: policy `devices.media_loan_days` "
                                                 "from today; at most a year ahead.")


class ReturnIn(Schema):
    content_check: Literal["nothing", "cleared", "kept"] = Field(
        description="返回信息清除情况: nothing written, written and cleared, written and kept.")
    content_note: str = Field("", max_length=NOTE_MAX,
                              description="Required for `cleared` and `kept`.")


class MediumLoanOut(Schema):
    id: int
    medium_id: int
    medium_number: str
    medium_level: int
    person_id: int
    person_name: str
    purpose: str
    state: str
    out_at: datetime
    due_on: date
    overdue: bool
    returned_at: datetime | None
    content_check: str
    content_note: str


class MediumLoanPage(Schema):
    items: list[MediumLoanOut]
    next_after: int | None


class MediumLoanQuery(Schema):
    out: bool = Field(False, description="Only media checked out and not back.")
    overdue: bool = Field(False, description="Only media out past their due day (rule D4).")
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


# --- output --------------------------------------------------------------------------------


def binding_out(binding: MediumBinding) -> dict[str, Any]:
    return {"id": binding.pk, "medium_id": binding.medium_id,
            "medium_number": binding.medium.number, "medium_level": binding.medium.level,
            "device_id": binding.device_id, "device_number": binding.device.number,
            "device_level": binding.device.level, "bound_on": binding.bound_on,
            "unbound_on": binding.unbound_on}


def loan_out(loan: MediumLoan) -> dict[str, Any]:
    fields = ("id", "medium_id", "person_id", "purpose", "state", "out_at", "due_on",
              "returned_at", "content_check", "content_note")
    return {**{name: getattr(loan, name) for name in fields},
            "medium_number": loan.medium.number, "medium_level": loan.medium.level,
            "person_name": loan.person.name, "overdue": is_overdue(loan)}


# --- references ----------------------------------------------------------------------------


def _unknown(field: str) -> InvalidInput:
    message = _("Choose from the list.")
    return InvalidInput(message, code="unknown", fields={field: message})


def _device(request: HttpRequest, medium: Medium, pk: int) -> Device:
    """A computer of the medium's unit the caller sees (the service checks the rest)."""
    device = devices_visible_to(request.user).filter(pk=pk, unit_id=medium.unit_id).first()
    if device is None:
        raise _unknown("device_id")
    return device


def _person(medium: Medium, pk: int) -> Person:
    person = Person.objects.filter(pk=pk, unit_id=medium.unit_id).first()
    if person is None:
        raise _unknown("person_id")
    return person


# --- bindings ------------------------------------------------------------------------------


@router.post("/media/{medium_id}/bindings", response={201: BindingOut, **ERRORS},
             summary="Bind a medium to a computer (保密办; rule D4)")
def bind(request: HttpRequest, medium_id: Id, data: BindIn) -> Status:
    """422 `not_a_computer`, `cross_use` or `medium_above_device` when rule D4 forbids it;
    409 `already_bound` when it is bound there already."""
    medium = medium_for(request.user, medium_id)
    binding = services.bind_medium(request.user, medium, _device(request, medium, data.device_id),
                                   bound_on=data.bound_on)
    return Status(201, binding_out(binding_for(request.user, binding.pk)))


@router.post("/bindings/{binding_id}/unbind", response={200: BindingOut, **ERRORS},
             summary="End a binding of a medium to a computer (保密办)")
def unbind(request: HttpRequest, binding_id: Id) -> Any:
    """409 `not_bound` when it has already ended."""
    binding = binding_for(request.user, binding_id)
    services.unbind_medium(request.user, binding)
    return binding_out(binding_for(request.user, binding_id))


# --- check-outs ----------------------------------------------------------------------------


@router.post("/media/{medium_id}/loans", response={201: MediumLoanOut, **ERRORS},
             summary="Check a medium out to a person cleared for it (保密办; rule D4)")
def check_out(request: HttpRequest, medium_id: Id, data: CheckOutIn) -> Status:
    """422 `clearance` when the person is not cleared for the medium's level; 409
    `not_in_store` when it is out."""
    medium = medium_for(request.user, medium_id)
    loan = services.check_out_medium(request.user, medium, person=_person(medium, data.person_id),
                                     purpose=data.purpose, due_on=data.due_on)
    return Status(201, loan_out(medium_loan_for(request.user, loan.pk)))


@router.post("/medium-loans/{loan_id}/return", response={200: MediumLoanOut, **ERRORS},
             summary="Take a medium back, recording what was written (保密办; rule D4)")
def return_loan(request: HttpRequest, loan_id: Id, data: ReturnIn) -> Any:
    """400 `note_required` when something was written and the note is empty; 409 when it is
    back already."""
    loan = medium_loan_for(request.user, loan_id)
    services.return_medium(request.user, loan, content_check=data.content_check,
                           content_note=data.content_note)
    return loan_out(medium_loan_for(request.user, loan_id))


@router.get("/medium-loans", response={200: MediumLoanPage, **ERRORS},
            summary="Media check-outs: the unit's for the 保密办, otherwise your own")
def list_loans(request: HttpRequest, query: Query[MediumLoanQuery]) -> dict[str, Any]:
    user: Any = request.user
    office = manages_devices(user, user.person.unit_id) if user.person_id else False
    loans = medium_loan_list(user, office=office, out=query.out, overdue=query.overdue)
    page = keyset_page(loans, None, size=query.limit, after=query.after)
    return {"items": [loan_out(loan) for loan in page.items], "next_after": page.next_after}
