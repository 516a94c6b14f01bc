"""Pages of the compliance app: the leak incidents (泄密事件, rule I1) of the units the user
handles as 保密办 or leader, up to the user's clearance (rule L5)."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views import View

from baomi.core.access import sees_business_data
from baomi.core.errors import NotFound
from baomi.core.labels import Level
from baomi.core.paging import keyset_page
from baomi.secrets.marks import level_word

from . import services
from .models import Incident
from .selectors import incident_for, incidents_visible_to

# Where the source of an incident is shown: `source_type` → URL name taking its id.
SOURCE_PAGES = {"carriers.carrier": "carriers:carrier_detail",
                "devices.devicecheck": "devices:check_detail"}


def source_url(incident: Incident) -> str | None:
    name = SOURCE_PAGES.get(incident.source_type)
    if name is None or incident.source_id is None:
        return None
    try:
        return reverse(name, args=[incident.source_id])
    except NoReverseMatch:
        return None


def level_text(incident: Incident) -> str:
    """The grade as its scheme words it (rule L4: a 商业秘密 never reads as a state level)."""
    return level_word(incident.scheme, incident.level) or str(Level(incident.level).label)


def _require_business(request: HttpRequest) -> None:
    """rule T2: the 三员 through their admin roles open no business data."""
    if not sees_business_data(request.user):
        raise Http404


class IncidentListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        _require_business(request)
        page = keyset_page(incidents_visible_to(request.user), request)
        rows = [{"incident": incident, "level": level_text(incident)} for incident in page.items]
        return render(request, "compliance/incident_list.html", {"page": page, "rows": rows})


class IncidentDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        _require_business(request)
        try:
            incident = incident_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        services.record_incident_read(request.user, incident)  # audited from 机密 up
        return render(request, "compliance/incident_detail.html", {
            "incident": incident, "source_url": source_url(incident),
            "level": level_text(incident),
            "audited": services.read_is_audited(incident)})
