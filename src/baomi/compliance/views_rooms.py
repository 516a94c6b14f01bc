"""The 保密办's secure rooms (保密室, 档案室, 要害部位 …) with their protective measures and
whether each meets rule Q7; registering a room, recording its measures as they are now, and
the containers and the devices (servers above all) standing in it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.carriers.selectors import containers_visible_to
from baomi.carriers.views.containers import with_counts
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page
from baomi.devices.selectors import devices_visible_to

from . import services
from .forms import RoomForm
from .models import SecureRoom
from .selectors import room_for, rooms_visible_to

# A room houses a few servers; the page lists this many, newest first.
ROOM_DEVICES_SHOWN = 100


def with_container_counts(rooms: QuerySet[SecureRoom]) -> QuerySet[SecureRoom]:
    """Each room with the number of containers in use standing in it."""
    return rooms.annotate(container_count=Count("containers",
                                                filter=Q(containers__active=True)))


def q7_row(room: SecureRoom) -> dict[str, Any]:
    """A room as its row shows it, with what it lacks to meet rule Q7."""
    return {"room": room, "shortfalls": services.q7_shortfalls(room)}


def office_unit(request: HttpRequest) -> Unit:
    """The unit whose rooms the user keeps as its 保密办; 404 for anyone else (rule T2: the
    三员 through their admin roles open no business data)."""
    user: Any = request.user
    if not sees_business_data(user) or user.person.unit_id not in unit_perimeter(
            user, {Role.SECRECY_OFFICE}):
        raise Http404
    unit: Unit = user.person.unit
    return unit


def visible_room(request: HttpRequest, pk: Any) -> SecureRoom:
    """A room the user keeps as 保密办; 404 otherwise, never telling whether it exists."""
    office_unit(request)
    try:
        return room_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class RoomListView(LoginRequiredMixin, View):
    """The unit's secure rooms and whether each meets rule Q7; the form registers one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        return self._render(request, RoomForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = RoomForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            services.register_room(request.user, unit=unit, **form.room_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The secure room was registered."))
        return HttpResponseRedirect(reverse("compliance:room_list"))

    def _render(self, request: HttpRequest, form: RoomForm, status: int = 200) -> HttpResponse:
        page = keyset_page(with_container_counts(rooms_visible_to(request.user)), request)
        return render(request, "compliance/room_list.html", {
            "page": page, "rows": [q7_row(room) for room in page.items], "form": form},
            status=status)


class RoomEditView(LoginRequiredMixin, View):
    """Record a room's measures as they are now (a broken alarm too) and see the containers
    and the devices standing in it (those the user sees, rule L5)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        room = visible_room(request, pk)
        initial = {"name": room.name, "location": room.location, "note": room.note,
                   **{measure: getattr(room, measure) for measure in services.ROOM_MEASURES}}
        return self._render(request, room, RoomForm(initial=initial))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        room = visible_room(request, pk)
        form = RoomForm(request.POST)
        if not form.is_valid():
            return self._render(request, room, form, 400)
        try:
            services.update_room(request.user, room, **form.room_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, room, form, exc.status)
        messages.success(request, _("The secure room was saved."))
        return HttpResponseRedirect(reverse("compliance:room_list"))

    def _render(self, request: HttpRequest, room: SecureRoom, form: RoomForm,
                status: int = 200) -> HttpResponse:
        containers = with_counts(containers_visible_to(request.user).filter(
            room=room, active=True))
        devices = devices_visible_to(request.user).filter(room=room).select_related(
            "responsible")
        return render(request, "compliance/room_edit.html", {
            "room": room, "row": q7_row(room), "form": form,
            "containers": keyset_page(containers, request),
            "devices": keyset_page(devices, None, size=ROOM_DEVICES_SHOWN)}, status=status)
