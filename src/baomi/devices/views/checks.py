"""Pages of device checks (rules D3, D11): the checks of one device, recording a check, one
check with its items, attestation, sign-offs and rectification items (with the forms to sign,
rectify and re-check), its printed record, and the list of rectification items (整改).

A check is opened only by those who see its device (a 404 otherwise); the 保密办 of the
device's unit records checks, sign-offs and re-checks, the owner of an item (or the 保密办)
its rectification. A refusal of a service is shown on its form with the refusal's status.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from baomi.compliance.selectors import incidents_visible_to
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from .. import services
from ..checklist import ITEMS_BY_KEY, item_label
from ..choices import CheckRole, FindingState
from ..docx_checks import build_check_docx, check_record_filename
from ..forms_checks import (
    CheckForm,
    CheckItemsForm,
    FindingFilterForm,
    RectifyForm,
    SignForm,
    VerifyForm,
)
from ..models import CheckFinding, CheckSignOff, Device, DeviceCheck
from ..selectors import manages_devices
from ..selectors_checks import check_for, filtered_findings, finding_for, with_sign_count
from ..services.checks import is_classified
from ..services.common import today
from .common import DOCX, download, require_business, visible_device


def check_panel(user: Any, device: Device) -> dict[str, Any]:
    """What the check part of a device page shows `user` (rules D3, D11): the last check and
    its attestation, the next check due; nothing for a 非密 device."""
    if not is_classified(device):
        return {"device": None}
    last = services.last_check(device)
    due_on = services.next_check_due(device, last)
    open_findings = CheckFinding.objects.filter(check_record__device=device).exclude(
        state=FindingState.VERIFIED).count()
    return {"device": device, "last": last, "due_on": due_on,
            "overdue": due_on is not None and due_on < today(),
            "signed": last is not None and services.is_signed(last),
            "open_findings": open_findings,
            "can_record": services.may_record_checks(user, device)}


def visible_check(request: HttpRequest, pk: Any) -> DeviceCheck:
    """A check of a device the user sees (rule L5); 404 otherwise."""
    require_business(request)
    try:
        return check_for(request.user, pk)
    except NotFound:
        raise Http404 from None


class DeviceCheckListView(LoginRequiredMixin, View):
    """The checks of one device, newest first."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = visible_device(request, pk)
        checks = with_sign_count(DeviceCheck.objects.filter(device=device)).select_related(
            "checker")
        page = keyset_page(checks, request)
        return render(request, "devices/check_list.html", {
            "device": device, "page": page, "signatures": len(CheckRole.values),
            "panel": check_panel(request.user, device)})


class CheckNewView(LoginRequiredMixin, View):
    """The 保密办 records a check of a classified device (rule D11)."""

    def _device(self, request: HttpRequest, pk: int) -> Device:
        device = visible_device(request, pk)
        if not services.may_record_checks(request.user, device):
            raise Http404
        return device

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self._device(request, pk)
        user: Any = request.user
        form = CheckForm(unit_id=device.unit_id, initial={"checked_on": today(),
                                                          "checker": user.person_id})
        return self._render(request, device, form, CheckItemsForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = self._device(request, pk)
        form = CheckForm(request.POST, unit_id=device.unit_id)
        items = CheckItemsForm(request.POST)
        if not (form.is_valid() and items.is_valid()):
            return self._render(request, device, form, items, 400)
        data = form.cleaned_data
        try:
            check = services.record_check(
                request.user, device, checked_on=data["checked_on"], tool=data["tool"],
                tool_version=data["tool_version"], checker=data["checker"], note=data["note"],
                findings=data["other_findings"], **items.results())
        except DomainError as exc:
            add_domain_error(form, exc, items)
            return self._render(request, device, form, items, exc.status)
        messages.success(request, _("The check was recorded."))
        return HttpResponseRedirect(reverse("devices:check_detail", args=[check.pk]))

    def _render(self, request: HttpRequest, device: Device, form: CheckForm,
                items: CheckItemsForm, status: int = 200) -> HttpResponse:
        return render(request, "devices/check_form.html", {
            "device": device, "form": form, "items": items}, status=status)


class CheckDetailView(LoginRequiredMixin, View):
    """One check: its items, attestation, sign-offs and rectification items; `action` = sign
    (保密办), rectify (owner or 保密办, `finding`) or verify (保密办, `finding`)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        check = visible_check(request, pk)
        services.record_device_read(request.user, check.device)  # audited from 机密 up
        return self._render(request, check)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        check = visible_check(request, pk)
        action = request.POST.get("action", "")
        finding = self._finding(request, check) if action in ("rectify", "verify") else None
        form = self._form(request, check, action, finding, request.POST)
        if form is None:
            raise Http404
        if not form.is_valid():
            return self._render(request, check, {self._key(action, finding): form}, 400)
        try:
            message = self._perform(request, check, action, finding, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, check, {self._key(action, finding): form},
                                exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("devices:check_detail", args=[check.pk]))

    def _finding(self, request: HttpRequest, check: DeviceCheck) -> CheckFinding:
        try:
            finding = finding_for(request.user, parse_key(request.POST.get("finding")))
        except NotFound:
            raise Http404 from None
        if finding.check_record_id != check.pk:
            raise Http404
        return finding

    @staticmethod
    def _key(action: str, finding: CheckFinding | None) -> str:
        return f"{action}-{finding.pk}" if finding is not None else action

    def _form(self, request: HttpRequest, check: DeviceCheck, action: str,
              finding: CheckFinding | None, data: Any = None) -> forms.Form | None:
        """The form of `action` when the user may take it; None otherwise."""
        office = manages_devices(request.user, check.device.unit_id)
        if action == "sign" and office:
            missing = self._missing_roles(check)
            return SignForm(data, prefix="sign", unit_id=check.device.unit_id,
                            roles=missing) if missing else None
        if finding is None:
            return None
        prefix = self._key(action, finding)
        if action == "rectify" and finding.state == FindingState.OPEN \
                and services.may_rectify(request.user, finding):
            return RectifyForm(data, prefix=prefix)
        if action == "verify" and finding.state == FindingState.RECTIFIED and office:
            return VerifyForm(data, prefix=prefix)
        return None

    def _perform(self, request: HttpRequest, check: DeviceCheck, action: str,
                 finding: CheckFinding | None, data: dict[str, Any]) -> str:
        user = request.user
        if action == "sign":
            services.sign_check(user, check, role=data["role"], person=data["person"],
                                signed_on=data["signed_on"])
            return _("The signature was recorded.")
        assert finding is not None
        if action == "rectify":
            services.record_rectification(user, finding, rectified_on=data["rectified_on"],
                                          rectification=data["rectification"])
            return _("The rectification was recorded.")
        services.verify_finding(user, finding, verified_on=data["verified_on"],
                                passed=data["passed"], due_on=data["due_on"])
        return _("The re-check was recorded.")

    @staticmethod
    def _missing_roles(check: DeviceCheck) -> list[tuple[str, Any]]:
        signed = services.signed_roles(check)
        return [(role, label) for role, label in CheckRole.choices if role not in signed]

    def _render(self, request: HttpRequest, check: DeviceCheck,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        bound = bound or {}
        by_role = {s.role: s for s in CheckSignOff.objects.filter(check_record=check)
                   .select_related("person")}
        signatures = [{"role": role, "label": label, "sign_off": by_role.get(role)}
                      for role, label in CheckRole.choices]
        sign_form = bound.get("sign") or self._form(request, check, "sign", None)
        findings = [self._finding_row(request, check, finding, bound)
                    for finding in check.findings.select_related("owner").order_by("id")]
        incident = incidents_visible_to(request.user).filter(
            source_type="devices.devicecheck", source_id=check.pk).first()
        return render(request, "devices/check_detail.html", {
            "check": check, "device": check.device, "items": self._items(check),
            "signatures": signatures, "signed": len(by_role) == len(CheckRole.values),
            "sign_form": sign_form, "findings": findings, "incident": incident,
            "title": _("Check of %(number)s on %(day)s") % {
                "number": check.device.number, "day": check.checked_on.isoformat()}},
            status=status)

    def _finding_row(self, request: HttpRequest, check: DeviceCheck, finding: CheckFinding,
                     bound: dict[str, forms.Form]) -> dict[str, Any]:
        forms_of = {}
        for action in ("rectify", "verify"):
            key = self._key(action, finding)
            form = bound.get(key) or self._form(request, check, action, finding)
            if form is not None:
                forms_of[action] = form
        return {"finding": finding, "overdue": finding.state == FindingState.OPEN
                and finding.due_on < today(), **forms_of}

    @staticmethod
    def _items(check: DeviceCheck) -> list[dict[str, Any]]:
        rows = []
        for result in check.items:
            item = ITEMS_BY_KEY.get(result.get("item", ""))
            rows.append({"key": result.get("item"), "label": item_label(result.get("item", "")),
                         "rule": item.rule if item else "", "ok": bool(result.get("ok")),
                         "note": result.get("note", "")})
        return rows


class CheckRecordView(LoginRequiredMixin, View):
    """The printed 涉密计算机保密检查记录 of one check (.docx)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        check = visible_check(request, pk)
        services.record_device_read(request.user, check.device)  # audited from 机密 up
        return download(build_check_docx(check), check_record_filename(check), DOCX)


class FindingListView(LoginRequiredMixin, View):
    """The rectification items (整改) the user sees: of the unit for its 保密办, their own
    for an owner; by state, or only the overdue ones."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        filters = FindingFilterForm(request.GET)
        state, overdue = "", False
        if filters.is_valid():
            state, overdue = filters.cleaned_data["state"], filters.cleaned_data["overdue"]
        findings = filtered_findings(request.user, state=state, overdue=overdue, today=today())
        page = keyset_page(findings, request)
        day = today()
        return render(request, "devices/check_findings.html", {
            "title": _("Rectification items"), "filters": filters, "page": page,
            "rows": [{"finding": f, "overdue": f.state == FindingState.OPEN and f.due_on < day}
                     for f in page.items]})
