"""Pages of the approvals engine: 待我审批, 我的申请, a request's detail, filing a request.

Views call selectors and services only. A DomainError raised by a service is shown on the
form it came from, with the error's status, never as a 500.
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
from django.views.generic import TemplateView

from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from .choices import RequestState, StepState
from .forms import DecisionForm, TitleForm, WithdrawForm
from .models import Request
from .registry import RequestType, UnknownRequestType, get_request_type
from .selectors import (
    current_step_of,
    decision_refusal_for,
    inbox_for,
    request_for,
    requests_of,
    steps_of,
    submittable_types,
)
from .services import decide, record_request_read, resubmit_request, submit_request, withdraw_request


def _visible_request(user: Any, pk: int) -> Request:
    try:
        return request_for(user, pk)
    except NotFound:
        raise Http404 from None


class InboxView(LoginRequiredMixin, TemplateView):
    """待我审批: the requests waiting for the user's decision, newest first."""

    template_name = "approvals/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = keyset_page(inbox_for(self.request.user), self.request)
        return context


class MyRequestListView(LoginRequiredMixin, TemplateView):
    """我的申请: the requests the user filed, newest first."""

    template_name = "approvals/my_requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = keyset_page(requests_of(self.request.user), self.request)
        return context


class RequestDetailView(LoginRequiredMixin, View):
    """A request: what it asks, its timeline, and the actions open to this user."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval = _visible_request(request.user, pk)
        record_request_read(request.user, approval)
        return render_detail(request, approval)


def _subject_url(approval: Request) -> str | None:
    try:
        return get_request_type(approval.request_type).subject_url(approval)
    except UnknownRequestType:  # a type no longer installed
        return None


def _revisable_here(approval: Request) -> bool:
    """A returned request is revised on the request form only when its type has one; the
    others (publication review, device maintenance …) are revised on their subject's page."""
    try:
        return get_request_type(approval.request_type).form_class is not None
    except UnknownRequestType:
        return False


def render_detail(request: HttpRequest, approval: Request, *,
                  decision_form: DecisionForm | None = None,
                  withdraw_form: WithdrawForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    step = current_step_of(approval)
    can_decide = step is not None and decision_refusal_for(user, approval) is None
    if can_decide and decision_form is None and step is not None:
        decision_form = DecisionForm(initial={"step_id": step.pk})
    is_requester = approval.requester_id == user.pk
    if is_requester and approval.is_open and withdraw_form is None:
        withdraw_form = WithdrawForm()
    context = {
        "approval": approval,
        "steps": steps_of(approval),
        "current_step": step,
        "decision_form": decision_form if can_decide else None,
        "withdraw_form": withdraw_form if is_requester and approval.is_open else None,
        "can_resubmit": (is_requester and approval.state == RequestState.RETURNED
                         and _revisable_here(approval)),
        "subject_url": _subject_url(approval),
    }
    return render(request, "approvals/request_detail.html", context, status=status)


class RequestDecideView(LoginRequiredMixin, View):
    """POST: approve, reject or return the current step (the button pressed says which)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval = _visible_request(request.user, pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return render_detail(request, approval, decision_form=form)
        try:
            decided = decide(request.user, approval, request.POST.get("decision", ""),
                             comment=form.cleaned_data["comment"],
                             step_id=form.cleaned_data["step_id"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_detail(request, approval, decision_form=form, status=exc.status)
        messages.success(request, _("Your decision on request #%(id)s is recorded: %(state)s.")
                         % {"id": decided.pk, "state": decided.get_state_display()})
        return HttpResponseRedirect(reverse("approvals:inbox"))


class RequestWithdrawView(LoginRequiredMixin, View):
    """POST: the requester withdraws their pending or returned request."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval = _visible_request(request.user, pk)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return render_detail(request, approval, withdraw_form=form)
        try:
            withdraw_request(request.user, approval, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_detail(request, approval, withdraw_form=form, status=exc.status)
        messages.success(request, _("Request #%(id)s is withdrawn.") % {"id": approval.pk})
        return HttpResponseRedirect(reverse("approvals:request_detail", args=[approval.pk]))


class RequestCreateView(LoginRequiredMixin, View):
    """Filing a request: first the kind of request, then its form."""

    template_name = "approvals/request_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        rtype = self._chosen_type(request)
        if rtype is None:
            types = submittable_types(request.user, with_form=True)
            return render(request, "approvals/type_choice.html", {"types": types})
        return self._render(request, rtype, TitleForm(), rtype.build_form(request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        rtype = self._chosen_type(request)
        if rtype is None:
            return HttpResponseRedirect(reverse("approvals:request_new"))
        title_form = TitleForm(request.POST)
        payload_form = rtype.build_form(request.user, data=request.POST)
        assert payload_form is not None  # _chosen_type offers only types with a form
        if not (title_form.is_valid() and payload_form.is_valid()):
            return self._render(request, rtype, title_form, payload_form)
        payload = rtype.payload_from_form(payload_form)
        try:
            approval = submit_request(
                request.user, rtype, payload=payload,
                title=title_form.cleaned_data["title"] or _default_title(rtype, payload),
            )
        except DomainError as exc:
            add_domain_error(title_form, exc, payload_form)
            return self._render(request, rtype, title_form, payload_form, status=exc.status)
        messages.success(request, _("Request #%(id)s is submitted.") % {"id": approval.pk})
        return HttpResponseRedirect(reverse("approvals:request_detail", args=[approval.pk]))

    def _chosen_type(self, request: HttpRequest) -> RequestType | None:
        code = request.GET.get("type", "")
        allowed = {rtype.code: rtype for rtype in submittable_types(request.user, with_form=True)}
        return allowed.get(code)

    def _render(self, request: HttpRequest, rtype: RequestType, title_form: TitleForm,
                payload_form: forms.Form | None, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {
            "rtype": rtype, "title_form": title_form, "payload_form": payload_form,
            "approval": None,
        }, status=status)


class RequestResubmitView(LoginRequiredMixin, View):
    """The requester revises a returned request and sends it back as a new round."""

    template_name = "approvals/request_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval, rtype = self._returned(request, pk)
        title_form = TitleForm(initial={"title": approval.title})
        payload_form = rtype.build_form(request.user,
                                        initial=rtype.initial_from_payload(approval.payload))
        return self._render(request, approval, rtype, title_form, payload_form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval, rtype = self._returned(request, pk)
        title_form = TitleForm(request.POST)
        payload_form = rtype.build_form(request.user, data=request.POST)
        if payload_form is None or not (title_form.is_valid() and payload_form.is_valid()):
            return self._render(request, approval, rtype, title_form, payload_form)
        payload = rtype.payload_from_form(payload_form)
        try:
            resubmit_request(
                request.user, approval, payload=payload,
                title=title_form.cleaned_data["title"] or _default_title(rtype, payload),
            )
        except DomainError as exc:
            add_domain_error(title_form, exc, payload_form)
            return self._render(request, approval, rtype, title_form, payload_form,
                                status=exc.status)
        messages.success(request, _("Request #%(id)s is resubmitted.") % {"id": approval.pk})
        return HttpResponseRedirect(reverse("approvals:request_detail", args=[approval.pk]))

    def _returned(self, request: HttpRequest, pk: int) -> tuple[Request, RequestType]:
        approval = _visible_request(request.user, pk)
        if approval.requester_id != request.user.pk or approval.state != RequestState.RETURNED:
            raise Http404
        try:
            rtype = get_request_type(approval.request_type)
        except UnknownRequestType:
            raise Http404 from None
        if rtype.form_class is None:
            raise Http404
        return approval, rtype

    def _render(self, request: HttpRequest, approval: Request, rtype: RequestType,
                title_form: TitleForm, payload_form: forms.Form | None,
                status: int = 200) -> HttpResponse:
        returned = [step for step in steps_of(approval)
                    if step.round == approval.round and step.state == StepState.RETURNED]
        return render(request, self.template_name, {
            "rtype": rtype, "title_form": title_form, "payload_form": payload_form,
            "approval": approval, "returned_step": returned[-1] if returned else None,
        }, status=status)


def _default_title(rtype: RequestType, payload: dict[str, Any]) -> str:
    try:
        return rtype.describe(payload)[:200]
    except (KeyError, TypeError, ValueError):
        return str(rtype.label)
