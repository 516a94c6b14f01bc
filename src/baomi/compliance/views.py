"""Pages of the compliance app: the leak incidents (泄密事件, rules I1, I2) of the units the
user handles as 保密办 or leader, up to the user's clearance (rule L5). The detail page with
its handling forms and reporting an incident are in `views_incidents`."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from baomi.core.paging import keyset_page

from .choices import IncidentState
from .selectors_incidents import close_overdue, incidents_in_state, report_overdue
from .views_incidents import IncidentDetailView, level_text, require_business, source_url

__all__ = ["IncidentDetailView", "IncidentListView", "source_url"]


class IncidentListView(LoginRequiredMixin, View):
    """The incidents, filtered by state, each marked when its report (rule I1) or its closing
    (rule I2) is overdue and when it was reported late."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        state = request.GET.get("state")
        page = keyset_page(incidents_in_state(request.user, state), request)
        now, today = timezone.now(), timezone.localdate()
        rows = [{"incident": incident, "level": level_text(incident),
                 "report_overdue": report_overdue(incident, now),
                 "close_overdue": close_overdue(incident, today)} for incident in page.items]
        return render(request, "compliance/incident_list.html", {
            "page": page, "rows": rows, "states": IncidentState.choices,
            "state": state if state in IncidentState.values else ""})
