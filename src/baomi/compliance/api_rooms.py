"""The secure-room API (/api/v1/compliance/rooms, rule Q7): the rooms of the units the caller
keeps as 保密办, with their measures and whether each meets Q7; registering a room and
recording its measures as they are now.

Any room the caller does not keep is a 404. Inputs are bounded by their schemas; a refusal is
a DomainError with its code (`not_secrecy_office`, `name_exists`, `required` …).
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from baomi.core.errors import NotFound
from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .models import SecureRoom
from .selectors import room_for, rooms_visible_to
from .views_rooms import with_container_counts

router = Router(tags=["compliance: secure rooms"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]


class RoomIn(Schema):
    """A room and its measures as they are now (rule Q7); all of them, on update too."""

    name: str = Field(min_length=1, max_length=services.ROOM_NAME_MAX)
    location: str = Field(min_length=1, max_length=services.ROOM_LOCATION_MAX)
    note: str = Field("", max_length=services.ROOM_NOTE_MAX)
    access_control: bool = Field(False, description="Door access control.")
    video: bool = Field(False, description="Video surveillance.")
    video_retention_days: int = Field(
        0, ge=0, le=services.VIDEO_RETENTION_DAYS_MAX,
        description="Days the video is kept; rule Q7 asks for at least 30.")
    camera_inside: bool = Field(False, description="A camera films the inside (Q7 forbids it).")
    alarm: bool = Field(False, description="Intrusion alarm.")


class RoomOut(Schema):
    id: int
    unit_id: int
    name: str
    location: str
    note: str
    access_control: bool
    video: bool
    video_retention_days: int
    camera_inside: bool
    alarm: bool
    meets_q7: bool
    shortfalls: list[str] = Field(description="What the room lacks to meet rule Q7.")
    container_count: int = Field(description="Containers in use standing in the room.")
    created_at: datetime
    updated_at: datetime


class RoomPage(Schema):
    items: list[RoomOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


ROOM_FIELDS = ("id", "unit_id", "name", "location", "note", *services.ROOM_MEASURES,
               "created_at", "updated_at")


def room_out(room: SecureRoom) -> dict[str, Any]:
    shortfalls = services.q7_shortfalls(room)
    return {**{name: getattr(room, name) for name in ROOM_FIELDS},
            "meets_q7": not shortfalls, "shortfalls": shortfalls,
            "container_count": getattr(room, "container_count", 0)}


def counted_room(request: HttpRequest, pk: int) -> SecureRoom:
    """A room the caller keeps, with its container count; NotFound otherwise."""
    room = with_container_counts(rooms_visible_to(request.user)).filter(pk=pk).first()
    if room is None:
        raise NotFound()
    return room


@router.get("/rooms", response={200: RoomPage, **ERRORS},
            summary="Secure rooms of the units you keep (保密办; rule Q7)")
def list_rooms(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    rooms = with_container_counts(rooms_visible_to(request.user))
    page = keyset_page(rooms, None, size=query.limit, after=query.after)
    return {"items": [room_out(room) for room in page.items], "next_after": page.next_after}


@router.post("/rooms", response={201: RoomOut, **ERRORS},
             summary="Register a secure room of your unit with its measures (保密办; rule Q7)")
def register_room(request: HttpRequest, data: RoomIn) -> Status:
    user: Any = request.user
    room = services.register_room(user, unit=user.person.unit, **data.dict())
    return Status(201, room_out(counted_room(request, room.pk)))


@router.get("/rooms/{room_id}", response={200: RoomOut, **ERRORS},
            summary="One secure room and whether it meets rule Q7")
def get_room(request: HttpRequest, room_id: Id) -> dict[str, Any]:
    return room_out(counted_room(request, room_id))


@router.post("/rooms/{room_id}", response={200: RoomOut, **ERRORS},
             summary="Record a room's measures as they are now (保密办; rule Q7)")
def update_room(request: HttpRequest, room_id: Id, data: RoomIn) -> dict[str, Any]:
    room = room_for(request.user, room_id)
    services.update_room(request.user, room, **data.dict())
    return room_out(counted_room(request, room_id))
