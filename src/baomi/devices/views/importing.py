"""Importing an existing device or media ledger (.xlsx) by the 保密办 — all rows or none, the
problems listed by row and column — with the empty template to fill, and the printed ledgers
(.docx) of the devices and media the user sees, filtered as the list pages (rules D1, D4, D9,
L5).

Views call selectors and services only; a refused import is shown on the page, never a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.accounts.models import Department, Person
from baomi.core.errors import DomainError
from baomi.core.forms import add_domain_error
from baomi.core.labels import Level

from .. import services
from ..choices import DeviceState, MediumKind, MediumState
from ..docx_ledgers import (
    MAX_LEDGER_ROWS,
    MEDIA_TITLE,
    build_devices_ledger_docx,
    build_media_ledger_docx,
    computers_of_media,
    family_title,
)
from ..forms_importing import ImportForm
from ..importing import (
    DEVICE_COLUMNS,
    DEVICE_KIND_NAMES,
    DEVICE_STATES,
    LEVELS,
    MEDIUM_COLUMNS,
    MEDIUM_KIND_NAMES,
    MEDIUM_STATES,
    Column,
    ImportRejected,
    template_workbook,
)
from ..labels import LEVEL_WORDS
from .common import XLSX, download, office_unit, require_business
from .filters import device_filters, ledger_devices, ledger_media, medium_filters, query_of

DEVICE_TEMPLATE_NAME = "涉密设备台帐"
MEDIA_TEMPLATE_NAME = "涉密存储介质台帐"


def _words(words: dict[str, Any]) -> str:
    return "、".join(words)


def device_column_help() -> dict[str, str]:
    """What each column of a device ledger takes, for the import page."""
    optional = _("Optional.")
    return {
        "number": _("Unique in the unit (required)."),
        "level": _("One of %(values)s (required).") % {"values": _words(LEVELS)},
        "kind": _("One of %(values)s (required).") % {"values": _words(DEVICE_KIND_NAMES)},
        "model": optional, "serial_no": optional, "asset_no": optional,
        "disk_serial": optional, "mac": optional, "os": optional,
        "os_installed_on": _("A date, optional."),
        "department": _("Department name or code (required)."),
        "responsible": _("A name — looked up in the row's department, then in the unit — or "
                         "an employee number (required). Cleared for the level."),
        "location": _("Required."),
        "in_use_on": _("A date, not in the future (required)."),
        "phone_line": _("%(yes)s or %(no)s; empty is %(no)s.") % {"yes": "是", "no": "否"},
        "state": _("One of %(values)s; empty is %(first)s.") % {
            "values": _words(DEVICE_STATES), "first": next(iter(DEVICE_STATES))},
        "room": _("The name of a secure room of the unit, optional; required for a "
                  "confidential or top secret server, whose room meets Q7."),
    }


def medium_column_help() -> dict[str, str]:
    """What each column of a media ledger takes, for the import page."""
    device = device_column_help()
    return {**{key: device[key] for key in ("number", "level", "model", "serial_no",
                                             "department", "responsible")},
            "kind": _("One of %(values)s (required).") % {
                "values": _words(MEDIUM_KIND_NAMES)},
            "capacity": _("Optional."), "location": _("Optional."),
            "state": _("Only %(value)s: a medium checked out is entered by its check-out "
                       "after the import.") % {"value": next(iter(MEDIUM_STATES))}}


def _column_rows(columns: tuple[Column, ...], help_of: dict[str, str]) -> list[dict[str, Any]]:
    return [{"title": column.title, "aliases": "、".join(column.aliases),
             "required": column.required, "help": help_of.get(column.key, "")}
            for column in columns]


@dataclass(frozen=True)
class Ledger:
    """What the import page of one ledger needs: its columns and what they take, the service
    that imports it, where it is listed, where its template is, its title and the message
    after an import (with %(count)s)."""

    columns: tuple[Column, ...]
    column_help: Callable[[], dict[str, str]]
    importer: Callable[[Any, Any, IO[bytes]], int]
    list_url: str
    template_url: str
    title: Any
    done: Any


DEVICE_LEDGER = Ledger(DEVICE_COLUMNS, device_column_help, services.import_devices,
                       "devices:device_list", "devices:device_import_template",
                       gettext_lazy("Import a device ledger"),
                       gettext_lazy("Imported %(count)s devices."))
MEDIA_LEDGER = Ledger(MEDIUM_COLUMNS, medium_column_help, services.import_media,
                      "devices:medium_list", "devices:medium_import_template",
                      gettext_lazy("Import a media ledger"),
                      gettext_lazy("Imported %(count)s media."))


class ImportView(LoginRequiredMixin, View):
    """Upload an existing ledger (`ledger`: devices — 涉密计算机, 办公自动化设备 and 安全保密产品
    in one sheet — or media): every row registered, or none and the problems listed."""

    ledger: Ledger = DEVICE_LEDGER

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, office_unit(request), ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = office_unit(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, unit, form, status=400)
        try:
            created = self.ledger.importer(request.user, unit, form.cleaned_data["file"])
        except ImportRejected as rejected:
            return self._render(request, unit, form, rejected=rejected, status=400)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, unit, form, status=exc.status)
        messages.success(request, str(self.ledger.done) % {"count": created})
        return HttpResponseRedirect(reverse(self.ledger.list_url))

    def _render(self, request: HttpRequest, unit: Any, form: ImportForm, *,
                rejected: ImportRejected | None = None, status: int = 200) -> HttpResponse:
        ledger = self.ledger
        return render(request, "devices/import_ledger.html", {
            "unit": unit, "form": form, "title": str(ledger.title),
            "list_url": ledger.list_url, "template_url": ledger.template_url,
            "columns": _column_rows(ledger.columns, ledger.column_help()),
            "row_errors": rejected.errors if rejected else None,
            "more_errors": rejected.more if rejected else 0}, status=status)


class DeviceImportTemplateView(LoginRequiredMixin, View):
    """The empty device ledger with the import's columns."""

    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        return download(template_workbook(DEVICE_COLUMNS, DEVICE_TEMPLATE_NAME),
                        f"{DEVICE_TEMPLATE_NAME}导入模板.xlsx", XLSX)


class MediumImportTemplateView(LoginRequiredMixin, View):
    """The empty media ledger with the import's columns."""

    def get(self, request: HttpRequest) -> HttpResponse:
        office_unit(request)
        return download(template_workbook(MEDIUM_COLUMNS, MEDIA_TEMPLATE_NAME),
                        f"{MEDIA_TEMPLATE_NAME}导入模板.xlsx", XLSX)


# --- the printed ledgers ----------------------------------------------------------------------


def filters_text(user: Any, filters: dict[str, Any], states: dict[str, str],
                 kinds: dict[str, str] | None = None) -> str:
    """What the filters of a list kept, as the subtitle of its printed ledger."""
    unit_id = user.person.unit_id
    parts = []
    if filters.get("department") is not None:
        department = Department.objects.filter(pk=filters["department"], unit_id=unit_id).first()
        parts.append(f"部门：{department.name if department else '—'}")
    if filters.get("responsible") is not None:
        person = Person.objects.filter(pk=filters["responsible"], unit_id=unit_id).first()
        parts.append(f"责任人：{person.name if person else '—'}")
    if filters.get("level") is not None:
        parts.append(f"密级：{LEVEL_WORDS.get(Level(filters['level']), '')}")
    if filters.get("state"):
        parts.append(f"状态：{states.get(filters['state'], '')}")
    if filters.get("kind"):
        parts.append(f"类型：{(kinds or {}).get(filters['kind'], '')}")
    if filters.get("q"):
        parts.append(f"检索：{filters['q']}")
    return "  ".join(parts) or "范围：全部"


def _labels(choices: list[tuple[str, Any]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _printed(request: HttpRequest, filters: dict[str, Any], rows: list[Any],
             record: Callable[..., None], build: Callable[[str], bytes], name: str
             ) -> HttpResponse:
    """Record the print as an export (who took which list out), then send it."""
    user: Any = request.user
    record(user, user.person.unit_id, {**query_of(filters), "format": "docx"},
           min(len(rows), MAX_LEDGER_ROWS))
    content = build(user.person.unit.name)
    return download(content, f"{name}-{timezone.localdate():%Y%m%d}.docx")


class DeviceLedgerDocxView(LoginRequiredMixin, View):
    """The printed ledger of one family of the devices the user sees (rules D9, L5), with the
    filters of the list; audited as an export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = device_filters(request.GET)
        devices = list(ledger_devices(request.user, filters)
                       .order_by("number", "id")[:MAX_LEDGER_ROWS + 1])
        subject = filters_text(request.user, filters, _labels(DeviceState.choices))
        title = family_title(filters["family"])
        return _printed(request, filters, devices, services.record_devices_export,
                        lambda unit_name: build_devices_ledger_docx(
                            devices, family=filters["family"], unit_name=unit_name,
                            subject=subject), title)


class MediumLedgerDocxView(LoginRequiredMixin, View):
    """The printed ledger of the media the user sees (rule L5), with the filters of the list
    and the computers each may be used on (rule D4); audited as an export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = medium_filters(request.GET)
        media = list(ledger_media(request.user, filters)
                     .order_by("number", "id")[:MAX_LEDGER_ROWS + 1])
        computers = computers_of_media(request.user, media[:MAX_LEDGER_ROWS])
        subject = filters_text(request.user, filters, _labels(MediumState.choices),
                               _labels(MediumKind.choices))
        return _printed(request, filters, media, services.record_media_export,
                        lambda unit_name: build_media_ledger_docx(
                            media, computers=computers, unit_name=unit_name, subject=subject),
                        MEDIA_TITLE)

