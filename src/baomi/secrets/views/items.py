"""Pages of 定密 (rules S1–S11): the register of secret items, the proposal form, one item
with its mark, 知悉范围, knowledge record, history and the actions the viewer may take, the
unit's 定密权限, the register export and the printed approval forms.

Views call selectors and services only; a DomainError is shown on the form, never a 500.
"""

from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.accounts.roles import Role
from baomi.approvals.selectors import steps_of
from baomi.core.access import sees_business_data, unit_perimeter
from baomi.core.downloads import DOCX, XLSX
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.labels import Level, Scheme
from baomi.core.paging import keyset_page, parse_key

from .. import services
from ..choices import ChangeKind, ItemState
from ..docx_forms import build_change_docx, build_item_docx
from ..exports import record_register_export, register_title, write_register
from ..forms import (
    CLASSIFIED_LEVELS,
    AuthorityForm,
    ChangeForm,
    KnowledgeForm,
    ProposeForm,
    ReviewForm,
    ScopeAdditionForm,
    SuperiorDecisionForm,
    departments,
)
from ..models import Authority, ItemChange, SecretItem
from ..reads import record_item_read
from ..selectors import (
    history_of,
    is_classification_officer,
    item_for,
    knowledge_of,
    manages_items,
    scope_of,
)
from .display import (
    FORM_KINDS,
    change_rows,
    item_mark,
    period_text,
    provisional_overdue,
    scope_summary,
    with_scope,
)
from .filters import register_filters, register_items

IN_FORCE_DECIDED = (ItemState.DETERMINED, ItemState.EXPIRY_REVIEW)
AUTHORITY_READERS = frozenset({Role.SECRECY_OFFICE, Role.CLASSIFICATION_OFFICER, Role.LEADER})


def _require_business(request: HttpRequest) -> None:
    """rule T2: the 三员 through their admin roles open no business data."""
    if not sees_business_data(request.user):
        raise Http404


def _item(request: HttpRequest, pk: int) -> SecretItem:
    _require_business(request)
    try:
        return item_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ItemListView(LoginRequiredMixin, View):
    """The register (一览表, rule S11) of the items the user sees, one scheme at a time."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_business(request)
        filters = register_filters(request.GET)
        page = keyset_page(with_scope(register_items(request.user, filters)), request)
        user: Any = request.user
        today = timezone.localdate()
        rows = [{"item": item, "mark": item_mark(item), "period": period_text(item),
                 "scope": scope_summary(item), "overdue": provisional_overdue(item, today)}
                for item in page.items]
        return render(request, "secrets/item_list.html", {
            "page": page, "rows": rows, "filters": filters, "schemes": Scheme.choices,
            "states": ItemState.choices, "levels": CLASSIFIED_LEVELS,
            "departments": departments(user.person.unit_id),
            "register_title": register_title(filters["scheme"]),
            "may_propose": services.may_propose(user, user.person.unit),
            "export_query": urlencode({name: value for name, value in filters.items()
                                       if value not in ("", None)})})


class ItemExportView(LoginRequiredMixin, View):
    """The filtered register as .xlsx (rule S11; one scheme per file, rule L4), audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        _require_business(request)
        filters = register_filters(request.GET)
        record_register_export(request.user, filters)
        items = with_scope(register_items(request.user, filters)).order_by("-id")
        output = write_register(items.iterator(chunk_size=2000), filters["scheme"])
        name = f"secret-items-{filters['scheme']}-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


class ItemNewView(LoginRequiredMixin, View):
    """The 承办人 proposes an item (rules S1, S4); the service decides whether it is proposed
    for decision or provisionally classified (rule S3)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_business(request)
        return self._render(request, ProposeForm(unit=self._unit(request), initial={
            "scheme": request.GET.get("scheme") or Scheme.STATE,
            "department": self._user(request).person.department_id}))

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_business(request)
        unit = self._unit(request)
        form = ProposeForm(request.POST, unit=unit)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        try:
            item = services.propose_item(
                request.user, unit=unit, scheme=data["scheme"], number=data["number"],
                title=data["title"], description=data["description"], level=data["level"],
                period_kind=data["period_kind"], period_value=data["period_value"],
                declassify_condition=data["declassify_condition"], basis=data["basis"],
                issued_on=data["issued_on"], department=data["department"],
                scope_people=list(data["scope_people"]),
                scope_departments=list(data["scope_departments"]))
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        if item.state == ItemState.PROVISIONAL:
            messages.warning(request, _("The unit has no authority for this level: the item is "
                                        "provisionally classified and must be reported for a "
                                        "decision."))
        else:
            messages.success(request, _("The item was submitted for decision."))
        return HttpResponseRedirect(reverse("secrets:item_detail", args=[item.pk]))

    def _user(self, request: HttpRequest) -> Any:
        return request.user

    def _unit(self, request: HttpRequest) -> Any:
        return self._user(request).person.unit

    def _render(self, request: HttpRequest, form: ProposeForm, status: int = 200
                ) -> HttpResponse:
        return render(request, "secrets/item_new.html", {"form": form}, status=status)


ACTIONS: dict[str, type[forms.Form]] = {
    "change": ChangeForm, "scope": ScopeAdditionForm, "knowledge": KnowledgeForm,
    "review": ReviewForm, "superior": SuperiorDecisionForm,
}
ITEM_FORMS = ("change", "scope", "knowledge", "superior")


def available_actions(user: Any, item: SecretItem) -> list[str]:
    """The actions the viewer's duties and the item's state allow (the services check
    again)."""
    office = manages_items(user, item.unit_id)
    officer = is_classification_officer(user, item.unit_id)
    proposer = user.person_id == item.proposer_id
    actions = []
    if item.state in IN_FORCE_DECIDED and (proposer or office or officer):
        actions.append("change")  # rule S10
    if item.state in (ItemState.PROVISIONAL, *IN_FORCE_DECIDED) and (
            proposer or office or officer):
        actions.append("scope")  # rule S7
    if (office or officer) and item.state not in (ItemState.REJECTED, ItemState.DECLASSIFIED):
        actions.append("knowledge")  # rule S8
    if officer and item.state == ItemState.DETERMINED:
        actions.append("review")  # rule S5
    if office and item.state == ItemState.PROVISIONAL:
        actions.append("superior")  # rule S3
    return actions


def _form(action: str, item: SecretItem, data: Any = None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": action}
    if action in ITEM_FORMS:
        kwargs["item"] = item
    if data is None and action in ("knowledge", "superior"):
        kwargs["initial"] = {"known_on": timezone.localdate(),
                             "decided_on": timezone.localdate()}
    return ACTIONS[action](data, **kwargs)


def _perform(request: HttpRequest, item: SecretItem, action: str, data: dict[str, Any]) -> str:
    """Carry out the action; the message to show."""
    user = request.user
    if action == "change":
        kind = data["kind"]
        services.request_change(
            user, item, kind=kind, level=data["level"] or None,
            period_kind=data["period_kind"] or None, period_value=data["period_value"],
            declassify_condition=(data["declassify_condition"]
                                  if kind == ChangeKind.PERIOD else None),
            remove_people=list(data["remove_people"]),
            remove_departments=list(data["remove_departments"]), reason=data["reason"])
        return _("The change request was submitted for approval.")
    if action == "scope":
        services.request_scope_addition(user, item, people=list(data["people"]),
                                        departments=list(data["departments"]),
                                        reason=data["reason"])
        return _("The request to widen the need-to-know scope was submitted for approval.")
    if action == "knowledge":
        services.record_knowledge(user, item, person=data["person"], kind=data["kind"],
                                  known_on=data["known_on"], approved_by=data["approved_by"],
                                  source=data["source"])
        return _("Recorded.")
    if action == "review":
        services.review_item(user, item, note=data["note"])
        return _("The annual review was recorded.")
    services.record_superior_decision(
        user, item, classified=data["classified"], level=data["level"],
        period_kind=data["period_kind"], period_value=data["period_value"],
        declassify_condition=data["declassify_condition"], document=data["document"],
        decided_on=data["decided_on"])
    return _("The decision of the superior authority was recorded.")


class ItemDetailView(LoginRequiredMixin, View):
    """One item: the mark in large type, its fields, 知悉范围, knowledge record (S8) and
    history (S10), and the forms of the actions the viewer may take. Opening a 机密 or 绝密
    item is audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk)
        record_item_read(request.user, item, via="page")
        return self._render(request, item)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk)
        action = request.POST.get("action", "")
        if action not in available_actions(request.user, item):
            raise Http404
        form = _form(action, item, request.POST)
        if not form.is_valid():
            return self._render(request, item, {action: form}, 400)
        try:
            message = _perform(request, item, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, item, {action: form}, exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("secrets:item_detail", args=[item.pk]))

    def _render(self, request: HttpRequest, item: SecretItem,
                bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        shown = [(action, (bound or {}).get(action) or _form(action, item))
                 for action in available_actions(request.user, item)]
        history = [(change, change_rows(change, item.scheme),
                    change.request_id is not None and change.kind in FORM_KINDS)
                   for change in history_of(item)]
        return render(request, "secrets/item_detail.html", {
            "item": item, "mark": item_mark(item), "forms": shown,
            "scope": list(scope_of(item)), "knowledge": list(knowledge_of(item)[:500]),
            "history": history, "today": today,
            "steps": steps_of(item.request) if item.request is not None else [],
            "overdue": provisional_overdue(item, today),
            "is_state": item.scheme == Scheme.STATE,
            "audited_level": item.scheme == Scheme.STATE and item.level >= Level.CONFIDENTIAL,
        }, status=status)


class AuthorityView(LoginRequiredMixin, View):
    """The unit's 定密权限 (rule S3), shown to the 保密办, the 定密责任人 and the leader; the
    保密办 records it from the authorising document."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = self._unit(request)
        return self._render(request, unit, self._form(request, unit))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = self._unit(request)
        if not manages_items(request.user, unit.pk):
            raise Http404
        form = AuthorityForm(request.POST)
        if not form.is_valid():
            return self._render(request, unit, form, 400)
        try:
            services.set_authority(request.user, unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, unit, form, exc.status)
        messages.success(request, _("The classification authority was recorded."))
        return HttpResponseRedirect(reverse("secrets:authority"))

    def _unit(self, request: HttpRequest) -> Any:
        _require_business(request)
        user: Any = request.user
        if user.person.unit_id not in unit_perimeter(user, AUTHORITY_READERS):
            raise Http404
        return user.person.unit

    def _form(self, request: HttpRequest, unit: Any) -> AuthorityForm | None:
        if not manages_items(request.user, unit.pk):
            return None
        authority = Authority.objects.filter(unit_id=unit.pk).first()
        initial = ({"max_level": authority.max_level, "document": authority.document,
                    "granted_on": authority.granted_on} if authority else {})
        return AuthorityForm(initial=initial)

    def _render(self, request: HttpRequest, unit: Any, form: AuthorityForm | None,
                status: int = 200) -> HttpResponse:
        return render(request, "secrets/authority.html", {
            "unit": unit, "authority": Authority.objects.filter(unit_id=unit.pk)
            .select_related("recorded_by__person").first(), "form": form}, status=status)


class ItemDocxView(LoginRequiredMixin, View):
    """定密审批表 (.docx): the item, its mark and scope, and the decision steps."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk)
        record_item_read(request.user, item, via="form")
        steps = steps_of(item.request) if item.request is not None else []
        content = build_item_docx(item, steps, scope=list(scope_of(item)))
        return _download(content, f"定密审批表-{item.number}.docx")


def change_for(user: Any, pk: Any) -> ItemChange:
    """One history entry of an item `user` sees; NotFound otherwise (rule L5)."""
    key = parse_key(pk)
    item_id = (ItemChange.objects.filter(pk=key).values_list("item_id", flat=True).first()
               if key else None)
    if item_id is None:
        raise NotFound()
    change = history_of(item_for(user, item_id)).filter(pk=key).first()
    if change is None:
        raise NotFound()
    return change


class ChangeDocxView(LoginRequiredMixin, View):
    """变更及解密审批表 (.docx) of one change with the steps of its request."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_business(request)
        try:
            change = change_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        record_item_read(request.user, change.item, via="form")
        steps = steps_of(change.request) if change.request is not None else []
        content = build_change_docx(change, steps)
        return _download(content, f"变更及解密审批表-{change.item.number}.docx")
