"""Pages of onboarding: my file, the review form and detail, the printed forms, and the
actions of the onboarding panel (training, commitment, start in post).

Views call selectors and services only. A DomainError is shown on the form it came from with
its status, never as a 500.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from baomi.approvals.choices import RequestState
from baomi.approvals.selectors import steps_of
from baomi.core.downloads import DOCX
from baomi.core.errors import DomainError, NotFound
from baomi.core.forms import add_domain_error

from ..choices import ReviewKind
from ..docx_forms import (
    build_commitment_docx,
    build_mobile_commitment_docx,
    build_review_docx,
)
from ..forms_onboarding import (
    FAMILY_COLUMNS,
    HISTORY_COLUMNS,
    AttachmentForm,
    CommitmentForm,
    ReviewForm,
    StartInPostForm,
    TrainingForm,
    blank_table,
    table_rows,
)
from ..models import PersonnelFile, SecurityReview
from ..selectors.onboarding import (
    attachment_for,
    can_review,
    commitments_of,
    file_of_user,
    may_manage,
    review_for,
    training_of,
    training_year,
)
from ..selectors.people import file_for
from ..services.onboarding import (
    add_review_attachment,
    record_commitment,
    record_training,
    resubmit_review,
    start_in_post,
    start_review,
)


def file_url(file: PersonnelFile) -> str:
    """The person's page in the ledger (personnel:person_detail), where the panel is shown."""
    return reverse("personnel:person_detail", args=[file.pk])




def _visible_file(user: Any, pk: int) -> PersonnelFile:
    try:
        return file_for(user, pk)
    except NotFound:
        raise Http404 from None


def _visible_review(user: Any, pk: int) -> SecurityReview:
    try:
        return review_for(user, pk)
    except NotFound:
        raise Http404 from None


class MyFileView(LoginRequiredMixin, View):
    """我的涉密档案: the logged-in person's own file, training this year and next 复审."""

    def get(self, request: HttpRequest) -> HttpResponse:
        file = file_of_user(request.user)
        context: dict[str, Any] = {"file": file}
        if file is not None:
            person = file.person
            context.update({
                "training": training_year(person, timezone.localdate().year),
                "records": training_of(person)[:20],
                "commitments": commitments_of(person),
                "posts": person.post_holdings.filter(ended_on__isnull=True)
                .select_related("post", "post__department"),
            })
        return render(request, "personnel/my_file.html", context)


class ReviewNewView(LoginRequiredMixin, View):
    """The 保密审查 form (rule P2) or 复审 form (rule P6) of one file."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = self._file(request, pk)
        kind = request.GET.get("kind")
        if kind not in ReviewKind.values:
            kind = ReviewKind.INITIAL if can_review(file) else ReviewKind.PERIODIC
        form = ReviewForm(initial={"kind": kind, "level": max(int(file.category), 1)})
        return self._render(request, file, form, [], [], {})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = self._file(request, pk)
        form = ReviewForm(request.POST)
        family = table_rows(request.POST, "family", FAMILY_COLUMNS)
        history = table_rows(request.POST, "history", HISTORY_COLUMNS)
        if not form.is_valid():
            return self._render(request, file, form, family, history, {}, status=400)
        data = {**form.cleaned_data, "family": family, "history": history}
        kind, level = data.pop("kind"), data.pop("level")
        try:
            review = start_review(request.user, file, kind=kind, form=data, level=level)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, file, form, family, history, exc.fields,
                                status=exc.status)
        messages.success(request, _("The review was filed for approval."))
        return HttpResponseRedirect(reverse("personnel:review_detail", args=[review.pk]))

    def _file(self, request: HttpRequest, pk: int) -> PersonnelFile:
        file = _visible_file(request.user, pk)
        if not may_manage(request.user, file):
            raise Http404
        return file

    def _render(self, request: HttpRequest, file: PersonnelFile, form: ReviewForm,
                family: list[dict[str, Any]], history: list[dict[str, Any]],
                errors: dict[str, str], status: int = 200) -> HttpResponse:
        return render(request, "personnel/onboarding_review_form.html", {
            "file": file, "form": form, "file_url": file_url(file),
            "family": blank_table(family, FAMILY_COLUMNS, errors, "family"),
            "history": blank_table(history, HISTORY_COLUMNS, errors, "history"),
            "row_errors": {k: v for k, v in errors.items()
                           if k.startswith(("family", "history"))},
        }, status=status)


class ReviewResubmitView(ReviewNewView):
    """A review returned for changes: its form, prefilled, sent back for decision."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        review = self._returned(request, pk)
        data = review.form or {}
        form = ReviewForm(initial={**data, "kind": review.kind, "level": review.level})
        return self._render(request, review.file, form, data.get("family", []),
                            data.get("history", []), {})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        review = self._returned(request, pk)
        form = ReviewForm(request.POST)
        family = table_rows(request.POST, "family", FAMILY_COLUMNS)
        history = table_rows(request.POST, "history", HISTORY_COLUMNS)
        if not form.is_valid():
            return self._render(request, review.file, form, family, history, {}, status=400)
        data = {**form.cleaned_data, "family": family, "history": history}
        data.pop("kind"), data.pop("level")
        try:
            resubmit_review(request.user, review, form=data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, review.file, form, family, history, exc.fields,
                                status=exc.status)
        messages.success(request, _("The review was resubmitted for approval."))
        return HttpResponseRedirect(reverse("personnel:review_detail", args=[review.pk]))

    def _returned(self, request: HttpRequest, pk: int) -> SecurityReview:
        review = _visible_review(request.user, pk)
        if not (may_manage(request.user, review.file) and review.request is not None
                and review.request.state == RequestState.RETURNED):
            raise Http404
        return review


class ReviewDetailView(LoginRequiredMixin, View):
    """A review: its sections, its approval request and outcome, its attachments."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = _visible_review(request.user, pk)
        return self._render(request, review, AttachmentForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = _visible_review(request.user, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, review, form, status=400)
        try:
            add_review_attachment(request.user, review, title=form.cleaned_data["title"],
                                  uploaded_file=form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, review, form, status=exc.status)
        messages.success(request, _("The attachment was added."))
        return HttpResponseRedirect(reverse("personnel:review_detail", args=[review.pk]))

    def _render(self, request: HttpRequest, review: SecurityReview, form: AttachmentForm,
                status: int = 200) -> HttpResponse:
        manager = may_manage(request.user, review.file)
        return render(request, "personnel/onboarding_review_detail.html", {
            "review": review, "file": review.file, "form": review.form,
            "attachments": review.attachments.all(),
            "attachment_form": form if manager else None,
            "can_resubmit": manager and review.request is not None
            and review.request.state == RequestState.RETURNED,
            "file_url": file_url(review.file),
        }, status=status)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """An attachment, served only to those who see its review (never a public /media/ URL)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        try:
            attachment = attachment_for(request.user, pk)
        except NotFound:
            raise Http404 from None
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        name = str(attachment.file.name).rsplit("/", 1)[-1]
        extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
        return FileResponse(handle, as_attachment=True,
                            filename=f"{attachment.title[:80]}.{extension}")


class ReviewDocxView(LoginRequiredMixin, View):
    """涉密人员保密审查表 (.docx), filled from the review and its approval steps."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = _visible_review(request.user, pk)
        steps = steps_of(review.request) if review.request is not None else []
        content = build_review_docx(review, steps)
        return _docx(content, f"涉密人员保密审查表-{review.file.person.name}.docx")


class CommitmentDocxView(LoginRequiredMixin, View):
    """保密承诺书 (.docx) of one person, to print and sign."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = _visible_file(request.user, pk)
        return _docx(build_commitment_docx(file), f"保密承诺书-{file.person.name}.docx")


class MobileCommitmentDocxView(LoginRequiredMixin, View):
    """涉密人员移动通信设备使用保密承诺书 (.docx, rule M3) of one person, to print and sign."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = _visible_file(request.user, pk)
        return _docx(build_mobile_commitment_docx(file),
                     f"移动通信设备使用保密承诺书-{file.person.name}.docx")


def _docx(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class _PanelActionView(LoginRequiredMixin, View):
    """POST one form of the onboarding panel; on error the form is shown again on its own
    page, with the error, and a link back to the person."""

    form_class: type[forms.Form]
    title: Any  # lazy-translated

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = _visible_file(request.user, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.perform(request.user, file, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                return self._render(request, file, form, exc.status)
            messages.success(request, message)
            return HttpResponseRedirect(file_url(file))
        return self._render(request, file, form, 400)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = _visible_file(request.user, pk)
        if not may_manage(request.user, file):
            raise Http404
        return self._render(request, file, self.form_class(), 200)

    def perform(self, actor: Any, file: PersonnelFile, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def _render(self, request: HttpRequest, file: PersonnelFile, form: forms.Form,
                status: int) -> HttpResponse:
        return render(request, "personnel/onboarding_action.html", {
            "file": file, "form": form, "title": self.title, "action": request.path,
            "file_url": file_url(file),
        }, status=status)


class TrainingAddView(_PanelActionView):
    form_class = TrainingForm
    title = gettext_lazy("Record training")

    def perform(self, actor: Any, file: PersonnelFile, data: dict[str, Any]) -> str:
        record_training(actor, file.person, course=data["course"], held_on=data["held_on"],
                        hours=data["hours"], exam_result=data["exam_result"],
                        score=data["score"])
        return _("The training was recorded.")


class CommitmentAddView(_PanelActionView):
    form_class = CommitmentForm
    title = gettext_lazy("Record a signed commitment")

    def perform(self, actor: Any, file: PersonnelFile, data: dict[str, Any]) -> str:
        record_commitment(actor, file.person, kind=data["kind"], year=data["year"],
                          signed_on=data["signed_on"], text_version=data["text_version"])
        return _("The signed commitment was recorded.")


class StartInPostView(_PanelActionView):
    form_class = StartInPostForm
    title = gettext_lazy("Start in post")

    def perform(self, actor: Any, file: PersonnelFile, data: dict[str, Any]) -> str:
        start_in_post(actor, file, since=data["since"])
        return _("The person is now in post.")

