"""Pages of the 保密审查 of publications (rule Q12): the reviews a user sees (their own, their
department's, their unit's), a new request, a review's page (the text, its versions, the
approval chain with the reviewers' opinions, and the actions open to the user: revise,
declare and submit, record the publication, withdraw), the register of the 保密办 and the
leaders with its .xlsx export, and the printed 信息发布保密审查审批表.

Views call selectors and services only; a service's refusal shows on the form it came from,
with its status, never as a 500.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.approvals.choices import RequestState
from baomi.core.downloads import XLSX, download, require_business
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page

from . import services_publications as services
from .docx_publications import build_review_docx, review_form_filename
from .exports_publications import register_filename, write_register
from .forms_publications import (
    DeclarationForm,
    NewReviewForm,
    PublishForm,
    RegisterFilterForm,
    ReviewForm,
    WithdrawReviewForm,
)
from .models import PublicationReview
from .selectors_publications import (
    approver_names,
    approver_names_of,
    keeps_register,
    opinions_of,
    register_of,
    review_for,
    reviews_visible_to,
    versions_of,
)


def visible_review(request: HttpRequest, pk: Any) -> PublicationReview:
    """A review the user sees; 404 otherwise, never telling whether it exists."""
    require_business(request)
    try:
        return review_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _detail_url(review: PublicationReview) -> str:
    return reverse("compliance:publication_detail", args=[review.pk])


class PublicationListView(LoginRequiredMixin, View):
    """The reviews the user sees, newest first: their own, and their department's or unit's
    when they head it or keep its register."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        page = keyset_page(reviews_visible_to(request.user), request)
        return render(request, "compliance/publications_list.html", {
            "page": page, "keeps_register": keeps_register(request.user)})


class PublicationCreateView(LoginRequiredMixin, View):
    """A new text to publish: saved as a draft, or declared and submitted at once."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        return self._render(request, NewReviewForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        form = NewReviewForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, 400)
        submit = request.POST.get("action") == "submit"
        try:
            if submit:
                review = services.draft_and_submit(
                    request.user, declaration=form.cleaned_data["declaration"],
                    **form.review_fields())
            else:
                review = services.create_review(request.user, **form.review_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, form, exc.status)
        messages.success(request, _("The text was submitted for review.") if submit
                         else _("The draft was saved."))
        return HttpResponseRedirect(_detail_url(review))

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        return render(request, "compliance/publications_new.html", {"form": form},
                      status=status)


def render_review(request: HttpRequest, review: PublicationReview, *,
                  status: int = 200, **forms_given: forms.Form) -> HttpResponse:
    """The review's page with the forms open to the user (those given keep their errors)."""
    user: Any = request.user
    author = review.author_id == user.pk
    state = review.state
    returned = state == services.S.SUBMITTED and review.request is not None \
        and review.request.state == RequestState.RETURNED
    editable = author and (state in (services.S.DRAFT, services.S.REJECTED) or returned)
    shown = {
        "edit_form": editable,
        "submit_form": editable,
        "publish_form": state == services.S.APPROVED and services.may_publish(user, review),
        "withdraw_form": author and state in (services.S.DRAFT, services.S.SUBMITTED,
                                              services.S.REJECTED, services.S.APPROVED),
    }
    defaults: dict[str, Callable[[], forms.Form]] = {
        "edit_form": lambda: ReviewForm(initial={
            "title": review.title, "kind": review.kind, "channel": review.channel,
            "planned_on": review.planned_on, "content": review.content}),
        "submit_form": DeclarationForm,
        "publish_form": PublishForm,
        "withdraw_form": WithdrawReviewForm,
    }
    # A form given back with its errors is shown even when the action is not open (the
    # refusal says why).
    context: dict[str, Any] = {
        name: forms_given[name] if name in forms_given else (defaults[name]() if open_ else None)
        for name, open_ in shown.items()}
    context.update({
        "review": review, "versions": versions_of(review), "opinions": opinions_of(review),
        "approvers": approver_names(review), "returned": returned,
        "request_url": reverse("approvals:request_detail", args=[review.request_id])
        if review.request_id else None})
    return render(request, "compliance/publications_detail.html", context, status=status)


class PublicationDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return render_review(request, visible_review(request, pk))


class _ReviewActionView(LoginRequiredMixin, View):
    """POST: one action on a review through its form; the refusal shows on that form."""

    form_name: str
    form_class: type[forms.Form]
    done: Any  # gettext_lazy text

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        review = visible_review(request, pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return render_review(request, review, status=400, **{self.form_name: form})
        try:
            self.act(request.user, review, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_review(request, review, status=exc.status, **{self.form_name: form})
        messages.success(request, str(self.done))
        return HttpResponseRedirect(_detail_url(review))

    def act(self, user: Any, review: PublicationReview, data: dict[str, Any]) -> None:
        raise NotImplementedError


class PublicationEditView(_ReviewActionView):
    form_name, form_class, done = "edit_form", ReviewForm, gettext_lazy("The text was saved.")

    def act(self, user: Any, review: PublicationReview, data: dict[str, Any]) -> None:
        services.revise_review(user, review, **{name: data[name] for name in (
            "title", "kind", "channel", "planned_on", "content")})


class PublicationSubmitView(_ReviewActionView):
    form_name, form_class, done = ("submit_form", DeclarationForm,
                                   gettext_lazy("The text was submitted for review."))

    def act(self, user: Any, review: PublicationReview, data: dict[str, Any]) -> None:
        services.submit_review(user, review, declaration=data["declaration"])


class PublicationPublishView(_ReviewActionView):
    form_name, form_class, done = ("publish_form", PublishForm,
                                   gettext_lazy("The publication was recorded."))

    def act(self, user: Any, review: PublicationReview, data: dict[str, Any]) -> None:
        services.publish_review(user, review, published_on=data["published_on"],
                                published_where=data["published_where"])


class PublicationWithdrawView(_ReviewActionView):
    form_name, form_class, done = ("withdraw_form", WithdrawReviewForm,
                                   gettext_lazy("The publication review was withdrawn."))

    def act(self, user: Any, review: PublicationReview, data: dict[str, Any]) -> None:
        services.withdraw_review(user, review, reason=data["reason"])


class PublicationDocxView(LoginRequiredMixin, View):
    """The printed 信息发布保密审查审批表 of one review."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        review = visible_review(request, pk)
        return download(build_review_docx(review), review_form_filename(review))


def _register_unit(request: HttpRequest) -> None:
    """The 保密办 and the leaders open the register; 404 for anyone else."""
    require_business(request)
    if not keeps_register(request.user):
        raise Http404


class PublicationRegisterView(LoginRequiredMixin, View):
    """rule Q12: what was published, when, where and by whose approval."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _register_unit(request)
        filters = RegisterFilterForm(request.GET or None)
        page = keyset_page(register_of(request.user, **filters.filters()), request)
        names = approver_names_of(page.items)
        rows = [{"review": review, "approvers": names.get(review.pk, "")}
                for review in page.items]
        return render(request, "compliance/publications_register.html", {
            "filters": filters, "page": page, "rows": rows,
            "query": request.GET.urlencode()})


class PublicationRegisterExportView(LoginRequiredMixin, View):
    """The register as .xlsx, with the filters of the page; the export is audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        _register_unit(request)
        filters = RegisterFilterForm(request.GET or None)
        reviews = register_of(request.user, **filters.filters()).order_by("-id")
        output, rows = write_register(reviews.iterator(chunk_size=500))
        services.record_register_export(request.user, rows)
        return FileResponse(output, as_attachment=True, filename=register_filename(),
                            content_type=XLSX)

