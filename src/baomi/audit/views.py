"""The 安全审计员's pages: the trail, one event, the export, checkpoints and verification.

Every page is the auditor's alone (rule T2): the selectors refuse anyone else, which becomes
a 403 here. Nothing on these pages changes an event; signing a checkpoint appends one.
"""

import json
import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from baomi.core.errors import AccessDenied, DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from . import selectors
from .chain import row_hash
from .checkpoint import checkpoint_text, fingerprint, sign_checkpoint
from .exports import export_filename, write_events_xlsx
from .forms import CheckpointForm, EventFilterForm
from .services import hashed_values, record_export


class AuditorView(LoginRequiredMixin, View):
    """A page of the auditor: AccessDenied becomes 403 (rule T2), NotFound 404."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            if request.user.is_authenticated:
                selectors.require_auditor(request.user)  # rule T2
            return super().dispatch(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except AccessDenied as exc:
            raise PermissionDenied(exc.message) from exc


class EventListView(AuditorView):
    """The trail, newest first, filtered; keyset pages on seq."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, filters = _filters_from(request)
        page = None
        if filters is not None:
            page = keyset_page(selectors.events_visible_to(request.user, filters), request,
                               key="seq", after=_after(request))
        export_query = request.GET.copy()
        export_query.pop("after", None)
        return render(request, "audit/event_list.html", {
            "form": form, "page": page, "export_query": export_query.urlencode(),
        }, status=200 if filters is not None else 400)


def _after(request: HttpRequest) -> int | None:
    """`?after=` as a key within range; an unusable key shows the first page."""
    return parse_key(request.GET.get("after"))


def _filters_from(request: HttpRequest) -> tuple[EventFilterForm, selectors.EventFilters | None]:
    """The filter form of the query string, and its filters when valid (else None, and the
    form carries the errors)."""
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        return form, form.filters()
    except DomainError:
        return form, None


class EventDetailView(AuditorView):
    """One event: its content pretty-printed, its hashes, and whether its hash still fits."""

    def get(self, request: HttpRequest, seq: int) -> HttpResponse:
        event = selectors.event_visible_to(request.user, seq)
        older, newer = selectors.neighbours_of(request.user, event)
        return render(request, "audit/event_detail.html", {
            "event": event,
            "before": _pretty(event.before),
            "after": _pretty(event.after),
            "hash_fits": row_hash(event.prev_hash, hashed_values(event)) == event.hash,
            "older": older,
            "newer": newer,
        })


def _pretty(text: str) -> str:
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        return text


class ExportView(AuditorView):
    """The filtered trail as .xlsx, written to a temporary file and streamed from it."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        form, filters = _filters_from(request)
        if filters is None:
            return render(request, "audit/event_list.html", {"form": form, "page": None},
                          status=400)
        events = selectors.events_visible_to(request.user, filters)
        # The export holds the events as they were when asked for, not its own record.
        newest = events.values_list("seq", flat=True).first()
        record_export(request.user, filters.as_dict(), newest)
        events = events.filter(seq__lte=newest) if newest is not None else events.none()
        # Not a `with`: FileResponse closes the file once it has been sent.
        target = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            write_events_xlsx(events, target)
        except BaseException:
            target.close()
            raise
        target.seek(0)
        return FileResponse(
            target, as_attachment=True, filename=export_filename(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class CheckpointListView(AuditorView):
    """Signed checkpoints, newest first, and the button to sign the head now."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CheckpointForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CheckpointForm(request.POST)
        if form.is_valid():
            try:
                checkpoint = sign_checkpoint(request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Checkpoint signed. Print it and have it "
                                            "countersigned."))
                return redirect("audit:checkpoint_detail", pk=checkpoint.pk)
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: CheckpointForm, status: int = 200
                ) -> HttpResponse:
        page = keyset_page(selectors.checkpoints_visible_to(request.user), request, key="id",
                           after=_after(request))
        rows = [(cp, fingerprint(cp.public_key)) for cp in page.items]
        return render(request, "audit/checkpoint_list.html",
                      {"form": form, "page": page, "rows": rows}, status=status)


class CheckpointDetailView(AuditorView):
    """One checkpoint as the text to print and countersign."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        checkpoint = selectors.checkpoint_visible_to(request.user, pk)
        return render(request, "audit/checkpoint_detail.html",
                      {"checkpoint": checkpoint, "text": checkpoint_text(checkpoint)})


class VerifyView(AuditorView):
    """Runs the full verification on demand (POST: it reads every event)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "audit/verify.html", {"result": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        result = selectors.verification_for(request.user)
        return render(request, "audit/verify.html", {"result": result})
