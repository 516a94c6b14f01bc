"""Printable level labels with a QR code (rules D1, D4): one device's, those of the filtered
device ledger (at most `MAX_LABELS`), or one medium's, of what the user sees (rule L5).
Printing labels is audited as an export of the ledger."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View

from .. import services
from ..labels import MAX_LABELS, build_labels_docx
from .common import download, require_business, visible_device, visible_medium
from .filters import device_filters, ledger_devices, query_of


class DeviceLabelView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        device = visible_device(request, pk)
        services.record_devices_export(request.user, device.unit_id,
                                       {"format": "label", "device": device.number}, 1)
        return download(build_labels_docx([device]), f"涉密设备标签-{device.number}.docx")


class LabelsView(LoginRequiredMixin, View):
    """`labels.docx?<ledger filters>`: the labels of the filtered ledger, one family (rule
    D9), in number order, at most `MAX_LABELS`."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        user: Any = request.user
        filters = device_filters(request.GET)
        devices = list(ledger_devices(user, filters).select_related("unit")
                       .order_by("number", "id")[:MAX_LABELS])
        services.record_devices_export(user, user.person.unit_id,
                                       {**query_of(filters), "format": "labels"}, len(devices))
        return download(build_labels_docx(devices),
                        f"涉密设备标签-{timezone.localdate():%Y%m%d}.docx")


class MediumLabelView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        medium = visible_medium(request, pk)
        services.record_devices_export(request.user, medium.unit_id,
                                       {"format": "label", "medium": medium.number}, 1)
        return download(build_labels_docx([medium], "存储介质标签"),
                        f"存储介质标签-{medium.number}.docx")
