"""Printable labels with a QR code (rules C1, S9): one carrier's, or those of the filtered
ledger (at most `MAX_LABELS`), of the carriers the user sees (rule L5). Printing labels is
audited as an export of the ledger."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View

from .. import services
from ..labels import MAX_LABELS, build_labels_docx
from .common import download, require_business, visible_carrier
from .filters import ledger_carriers, ledger_filters, query_of


class CarrierLabelView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        carrier = visible_carrier(request, pk)
        services.record_carrier_export(request.user, carrier.unit_id,
                                       {"format": "label", "carrier": carrier.number}, 1)
        return download(build_labels_docx([carrier]), f"涉密载体标签-{carrier.number}.docx")


class LabelsView(LoginRequiredMixin, View):
    """`labels.docx?<ledger filters>`: the labels of the filtered ledger, one scheme (rule L4),
    in number order, at most `MAX_LABELS`."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        user: Any = request.user
        filters = ledger_filters(request.GET)
        carriers = list(ledger_carriers(user, filters).select_related("unit")
                        .order_by("number", "id")[:MAX_LABELS])
        services.record_carrier_export(user, user.person.unit_id,
                                       {**query_of(filters), "format": "labels"}, len(carriers))
        return download(build_labels_docx(carriers),
                        f"涉密载体标签-{timezone.localdate():%Y%m%d}.docx")
