"""我的待办 (the home page of every user) and the unit obligation view of the 保密办."""

import tempfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponseBase, QueryDict
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from baomi.core.downloads import XLSX
from baomi.core.errors import AccessDenied, InvalidInput
from baomi.core.paging import PAGE_SIZE, KeysetPage, parse_key

from . import selectors
from .exports import write_obligations_xlsx
from .forms import UnitFilterForm
from .models import Obligation
from .registry import rule_title
from .services import record_obligation_export


@dataclass(frozen=True)
class Row:
    """An obligation as a list shows it."""

    obligation: Obligation
    title: Any
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.obligation.state == Obligation.State.OPEN and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left


def rows(obligations: list[Obligation], today: date) -> list[Row]:
    return [Row(o, rule_title(o.rule_code), o.days_left(today)) for o in obligations]


class DashboardView(LoginRequiredMixin, TemplateView):
    """我的待办: the user's overdue obligations first, then the upcoming ones."""

    template_name = "obligations/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        mine = selectors.my_obligations(user, today)
        context.update(
            today=today,
            mine=mine,
            overdue=rows(mine.overdue, today),
            upcoming=rows(mine.upcoming, today),
            sweep=selectors.latest_sweep(),
            unit_summary=selectors.unit_summary(user, today)
            if selectors.can_view_unit(user) else None,
        )
        return context


def _unit_queryset(request: HttpRequest, today: date) -> tuple[UnitFilterForm, Any]:
    form = UnitFilterForm(request.GET or None, user=request.user)
    try:
        queryset = selectors.unit_obligations(request.user, form.filters(), today)
    except AccessDenied as exc:  # rule T2: the 三员 have no unit view
        raise PermissionDenied(exc.message) from exc
    return form, queryset


def _cursor(params: QueryDict) -> int | None:
    return parse_key(params.get("after"))


class UnitObligationListView(LoginRequiredMixin, TemplateView):
    """The obligations of the units the user oversees (保密办, 单位领导), filtered and paged."""

    template_name = "obligations/unit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form, queryset = _unit_queryset(self.request, today)
        queryset = queryset.select_related("responsible__person", "unit")
        after = _cursor(self.request.GET)
        try:
            items, next_after = selectors.obligations_page(queryset, after, PAGE_SIZE)
        except InvalidInput:  # a hand-edited cursor: start again from the first page
            after = None
            items, next_after = selectors.obligations_page(queryset, None, PAGE_SIZE)
        context.update(
            form=form,
            today=today,
            rows=rows(items, today),
            page=self._page(items, after, next_after),
            export_query=self._params(drop_after=True).urlencode(),
        )
        return context

    def _params(self, drop_after: bool) -> QueryDict:
        params = self.request.GET.copy()
        if drop_after:
            params.pop("after", None)
        return params

    def _page(self, items: list[Obligation], after: int | None,
              next_after: int | None) -> KeysetPage:
        params = self._params(drop_after=True)
        first_url = f"?{params.urlencode()}" if after is not None else None
        next_url = None
        if next_after is not None:
            params["after"] = str(next_after)
            next_url = f"?{params.urlencode()}"
        return KeysetPage(items, next_after, first_url, next_url)


class UnitObligationExportView(LoginRequiredMixin, View):
    """The filtered unit list as xlsx, written row by row to a temporary file, then streamed."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        today = timezone.localdate()
        form, queryset = _unit_queryset(request, today)
        queryset = queryset.select_related("responsible__person", "unit")
        out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
        try:
            count = write_obligations_xlsx(queryset.iterator(chunk_size=2000), today, out)
            record_obligation_export(request.user, form.filters().as_dict(), count)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return FileResponse(out, as_attachment=True, content_type=XLSX,
                            filename=f"obligations-{today:%Y%m%d}.xlsx")
