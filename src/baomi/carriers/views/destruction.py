"""Destruction lists (销毁, rule C7).

The list page shows the unit's destruction lists — state, number of carriers, their levels —
to the 保密办 and the unit's leaders (rule L5: none with a carrier above the viewer's
clearance), with the form that opens a new list (保密办). A list's page shows its carriers
with their marks; while it is drawn up the 保密办 adds carriers by number or from the unit's
carriers in store, takes them off and submits the list; once approved it records the
destruction. The 销毁审批表 and the 销毁清单 print as .docx.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.approvals.selectors import steps_of
from baomi.core.access import unit_perimeter
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import MAX_KEY, keyset_page

from .. import services
from ..docx_destruction import build_destruction_docx, build_destruction_list_docx
from ..models import Carrier, DestructionBatch
from ..models.destruction import BatchState, DestructionMethod
from ..selectors import carriers_visible_to, manages_carriers
from ..selectors_destruction import (
    LISTABLE_MAX,
    READERS,
    batch_for,
    batches_visible_to,
    items_of,
    level_summaries,
    listable_carriers,
    with_counts,
)
from ..services.destruction import EXECUTOR_MAX, EXECUTORS_MAX
from .common import download, require_business
from .display import carrier_mark, copies_text, level_text

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
EXECUTORS_TEXT_MAX = EXECUTORS_MAX * (EXECUTOR_MAX + 1)

# --- forms (they parse input; the services check rule C7) -----------------------------------


class BatchForm(forms.Form):
    """A new destruction list: why, and how and where the carriers are to be destroyed."""

    reason = forms.CharField(label=gettext_lazy("Reason for destruction"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    planned_method = forms.ChoiceField(label=gettext_lazy("Planned method"),
                                       choices=DestructionMethod.choices)
    planned_place = forms.CharField(
        label=gettext_lazy("Planned place"), max_length=200,
        help_text=gettext_lazy("The designated destruction body, or where the certified "
                               "equipment stands."))


class CarrierChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}（{level_text(obj.scheme, obj.level)}）"


class AddCarrierForm(forms.Form):
    """A carrier for the list: by its number, or chosen among the unit's carriers in store."""

    number = forms.CharField(label=gettext_lazy("Carrier number"), max_length=50,
                             required=False)
    carrier = CarrierChoice(label=gettext_lazy("Or choose a carrier in store"), required=False,
                            queryset=Carrier.objects.none())

    def __init__(self, *args: Any, user: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.unit_id = user, unit_id
        field: Any = self.fields["carrier"]
        field.queryset = listable_carriers(user, unit_id).order_by("number", "id")
        # The select offers the first LISTABLE_MAX; any other is added by its number.
        field.widget.choices = [("", "---------")] + [
            (carrier.pk, field.label_from_instance(carrier))
            for carrier in field.queryset[:LISTABLE_MAX]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, number = data.get("carrier"), (data.get("number") or "").strip()
        if chosen is None and not number:
            raise forms.ValidationError(_("Give a carrier number or choose a carrier."))
        if chosen is None:
            chosen = (carriers_visible_to(self.user)
                      .filter(unit_id=self.unit_id, number=number).first())
            if chosen is None:
                self.add_error("number", _("No carrier of this number in your ledger."))
        data["carrier"] = chosen
        return data


class RemoveForm(forms.Form):
    carrier = forms.IntegerField(min_value=1, max_value=MAX_KEY, widget=forms.HiddenInput)


class RecordForm(forms.Form):
    """The record of the destruction (rule C7)."""

    destroyed_at = forms.DateTimeField(
        label=gettext_lazy("Destroyed at"), input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))
    place = forms.CharField(label=gettext_lazy("Place of destruction"), max_length=200)
    method = forms.ChoiceField(label=gettext_lazy("Method of destruction"),
                               choices=DestructionMethod.choices)
    body = forms.CharField(label=gettext_lazy("Destruction body or certified equipment"),
                           max_length=200)
    certificate_no = forms.CharField(
        label=gettext_lazy("Certificate number"), max_length=100,
        help_text=gettext_lazy("The destruction certificate, or the certificate of the "
                               "equipment used."))
    executors = forms.CharField(
        label=gettext_lazy("Destroyed by"), max_length=EXECUTORS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One name per line: at least two people."))


# --- who sees what ---------------------------------------------------------------------------


def _reader(request: HttpRequest) -> Any:
    """The 保密办 or a leader of the user's unit; 404 for anyone else."""
    require_business(request)
    user: Any = request.user
    if user.person.unit_id not in unit_perimeter(user, READERS):
        raise Http404
    return user


def _visible_batch(request: HttpRequest, pk: Any) -> DestructionBatch:
    require_business(request)
    try:
        return batch_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def actions_for(user: Any, batch: DestructionBatch) -> list[str]:
    """The forms `user` gets on `batch` (the services check again)."""
    if not manages_carriers(user, batch.unit_id):
        return []
    return {BatchState.DRAFT: ["add", "remove", "submit"],
            BatchState.APPROVED: ["record"]}.get(BatchState(batch.state), [])


# --- pages ----------------------------------------------------------------------------------


class DestructionListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _reader(request)
        office = manages_carriers(user, user.person.unit_id)
        return self._render(request, BatchForm() if office else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _reader(request)
        if not manages_carriers(user, user.person.unit_id):
            raise Http404
        form = BatchForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            batch = services.create_batch(user, unit=user.person.unit, reason=data["reason"],
                                          planned_method=data["planned_method"],
                                          planned_place=data["planned_place"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("Destruction list %(number)s opened; put the carriers on "
                                    "it.") % {"number": batch.number})
        return HttpResponseRedirect(reverse("carriers:destruction_detail", args=[batch.pk]))

    def _render(self, request: HttpRequest, form: BatchForm | None, status: int = 200
                ) -> HttpResponse:
        page = keyset_page(with_counts(batches_visible_to(request.user)), request)
        levels = level_summaries(page.items)
        rows = [{"batch": batch, "levels": levels.get(batch.pk, "")} for batch in page.items]
        return render(request, "carriers/destruction_list.html",
                      {"page": page, "rows": rows, "form": form}, status=status)


class DestructionDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _visible_batch(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _visible_batch(request, pk)
        action = request.POST.get("action", "")
        if action not in actions_for(request.user, batch):
            raise Http404
        form = self._form(action, batch, request.POST)
        if not form.is_valid():
            return self._render(request, batch, {action: form}, 400)
        try:
            message = self._perform(request, batch, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, batch, {action: form}, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("carriers:destruction_detail", args=[batch.pk]))

    def _form(self, action: str, batch: DestructionBatch, data: Any = None) -> forms.Form:
        if action == "add":
            return AddCarrierForm(data, user=self.request.user, unit_id=batch.unit_id,
                                  prefix="add")
        if action == "remove":
            return RemoveForm(data)
        if action == "record":
            return RecordForm(data, prefix="record", initial={
                "place": batch.planned_place, "method": batch.planned_method,
                "destroyed_at": timezone.localtime().strftime(DATETIME_FORMAT)})
        return forms.Form(data)

    def _perform(self, request: HttpRequest, batch: DestructionBatch, action: str,
                 data: dict[str, Any]) -> str:
        user = request.user
        if action == "add":
            services.add_to_batch(user, batch, data["carrier"])
            return _("%(number)s is on the list.") % {"number": data["carrier"].number}
        if action == "remove":
            item = batch.items.select_related("carrier").filter(
                carrier_id=data["carrier"]).first()
            if item is None:
                raise Http404
            services.remove_from_batch(user, batch, item.carrier)
            return _("%(number)s is back in store.") % {"number": item.carrier.number}
        if action == "submit":
            services.submit_batch(user, batch)
            return _("The list was submitted for approval.")
        services.record_destruction(
            user, batch, destroyed_at=data["destroyed_at"], place=data["place"],
            method=data["method"], executors=data["executors"], body=data["body"],
            certificate_no=data["certificate_no"])
        return _("The destruction was recorded; the carriers are destroyed on the ledger.")

    def _render(self, request: HttpRequest, batch: DestructionBatch,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        actions = actions_for(request.user, batch)
        shown = {action: (bound or {}).get(action) or self._form(action, batch)
                 for action in actions if action in ("add", "record")}
        items = [{"item": item, "mark": carrier_mark(item.carrier),
                  "copies": copies_text(item.carrier)} for item in items_of(batch)]
        return render(request, "carriers/destruction_detail.html", {
            "batch": batch, "items": items, "forms": shown, "actions": actions,
            "submit_form": (bound or {}).get("submit"), "remove_form": (bound or {}).get(
                "remove"),
            "executors": "、".join(batch.executors or []),
        }, status=status)


class DestructionDocxView(LoginRequiredMixin, View):
    """销毁审批表 (.docx) with the approval opinions and the record of the destruction."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _visible_batch(request, pk)
        steps = steps_of(batch.request) if batch.request_id and batch.request else []
        return download(build_destruction_docx(batch, list(items_of(batch)), steps),
                        f"涉密载体销毁审批表-{batch.number}.docx")


class DestructionListDocxView(LoginRequiredMixin, View):
    """销毁清单 (.docx): every carrier, and the signature lines of the people who destroyed
    them and of the supervisor."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _visible_batch(request, pk)
        return download(build_destruction_list_docx(batch, list(items_of(batch))),
                        f"涉密载体销毁清单-{batch.number}.docx")
