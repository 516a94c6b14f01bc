"""The device-password API (/api/v1/devices, rule D6): recording that the password of a
classified device was changed — its day, length and character classes, never the password.

The handler calls selectors and services only; every input is bounded by its schema and a
refusal is a DomainError (a 4xx with `{"code", "message", "fields"}`). A device the caller
does not see is a 404.
"""

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from baomi.core.paging import MAX_KEY
from baomi.core.schemas import ErrorOut

from . import services
from .models import Device
from .selectors import device_for
from .services.passwords import CLASSES_REQUIRED, LENGTH_MAX

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]
Day = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]


class PasswordChangeIn(Schema):
    changed_on: Day = Field(description="The day it was changed; not in the future, not "
                                        "before the device came into use.")
    length: int = Field(ge=1, le=LENGTH_MAX, description="Number of characters; at least the "
                        "policy minimum of the device's level (rule D6).")
    classes: int = Field(ge=1, le=CLASSES_REQUIRED, description="How many of upper case, "
                         "lower case, digits and symbols it mixes; all 4 required (rule D6).")


class PasswordOut(Schema):
    device_id: int
    level: int
    password_changed_on: date | None
    due_on: date | None
    min_length: int
    change_days: int


def password_out(device: Device) -> dict[str, Any]:
    rules = services.password_rules(device)
    return {"device_id": device.pk, "level": device.level,
            "password_changed_on": device.password_changed_on,
            "due_on": services.password_due_on(device, rules["change_days"]), **rules}


@router.post("/devices/{device_id}/password", response={200: PasswordOut, **ERRORS},
             summary="Record a password change of a classified device (保密办 or the "
                     "responsible person; rule D6)")
def record_password(request: HttpRequest, device_id: Id, data: PasswordChangeIn) -> Any:
    """422 `password_too_short` below the minimum length of the device's level,
    `password_classes` when it does not mix all four classes; 400 `not_classified` for a
    非密 device, `future_date` or `before_in_use` for the day."""
    device = device_for(request.user, device_id)
    device = services.record_password_change(request.user, device, changed_on=data.changed_on,
                                             length=data.length, classes=data.classes)
    return password_out(device)
