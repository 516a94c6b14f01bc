"""The 保密办's containers (保密柜, 密码文件柜, 密码保险柜) with their rating (rule C3), the
carriers each holds, registration and editing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.compliance.services import q7_shortfalls
from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from .. import services
from ..choices import CarrierState
from ..forms import ContainerEditForm, ContainerForm
from ..models import Container
from ..selectors import containers_visible_to
from .common import office_unit


def with_counts(containers: Any) -> Any:
    """Each container with the number of carriers it holds (destroyed ones left out)."""
    return containers.annotate(carrier_count=Count(
        "carriers", filter=~Q(carriers__state=CarrierState.DESTROYED)))


class ContainerListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        return self._render(request, ContainerForm(unit_id=unit.pk))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = ContainerForm(request.POST, unit_id=unit.pk)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            services.register_container(
                request.user, unit=unit, number=data["number"], kind=data["kind"],
                rating=data["rating"], location=data["location"],
                department=data["department"], custodian=data["custodian"], room=data["room"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The container was registered."))
        return HttpResponseRedirect(reverse("carriers:container_list"))

    def _render(self, request: HttpRequest, form: ContainerForm, status: int = 200
                ) -> HttpResponse:
        page = keyset_page(with_counts(containers_visible_to(request.user)), request)
        for container in page.items:  # rule Q7, shown where the container stands
            container.room_shortfalls = q7_shortfalls(container.room) if container.room else []
        return render(request, "carriers/container_list.html", {"page": page, "form": form},
                      status=status)


class ContainerEditView(LoginRequiredMixin, View):
    """Move, hand over or retire a container (one still holding carriers is not retired)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        container = self._container(request, pk)
        form = ContainerEditForm(unit_id=container.unit_id, initial={
            "location": container.location, "custodian": container.custodian_id,
            "room": container.room_id, "active": container.active})
        return self._render(request, container, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        container = self._container(request, pk)
        form = ContainerEditForm(request.POST, unit_id=container.unit_id)
        if not form.is_valid():
            return self._render(request, container, form, 400)
        data = form.cleaned_data
        try:
            services.update_container(request.user, container, location=data["location"],
                                      custodian=data["custodian"], active=data["active"],
                                      room=data["room"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, container, form, exc.status)
        messages.success(request, _("The container was saved."))
        return HttpResponseRedirect(reverse("carriers:container_list"))

    def _container(self, request: HttpRequest, pk: Any) -> Container:
        office_unit(request)
        key = parse_key(pk)
        container = (with_counts(containers_visible_to(request.user)).filter(pk=key).first()
                     if key else None)
        if container is None:
            raise Http404
        return container

    def _render(self, request: HttpRequest, container: Container, form: ContainerEditForm,
                status: int = 200) -> HttpResponse:
        return render(request, "carriers/container_edit.html", {
            "container": container, "form": form}, status=status)
