"""Pages of the 涉密岗位 register and the 涉密人员台帐 (ledger, export, import).

Views parse input with forms, call one service or selector, and show a service's refusal
(DomainError) on the form; they never write models themselves.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from baomi.core.downloads import XLSX
from baomi.core.errors import AccessDenied, DomainError, NotFound
from baomi.core.forms import add_domain_error
from baomi.core.paging import keyset_page, parse_key

from ..exports import write_ledger
from ..forms_people import (
    AssignPostForm,
    EndPostForm,
    ImportForm,
    LedgerFilterForm,
    OpenFileForm,
    PostEditForm,
    PostForm,
)
from ..imports import COLUMNS, LEVELS, read_ledger
from ..models import PersonnelFile, PostHolding
from ..selectors import people as selectors
from ..selectors.exit import LIST_STATES, current_exit, may_file_exit
from ..services import people as services


class PersonnelView(LoginRequiredMixin, View):
    """A logged-in page; NotFound becomes 404, AccessDenied 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except AccessDenied as exc:
            raise PermissionDenied(exc.message) from exc


def ledger_filters(request: HttpRequest) -> tuple[LedgerFilterForm, selectors.LedgerFilters]:
    form = LedgerFilterForm(request.GET or None,
                            departments=selectors.departments_for_ledger(request.user))
    if not form.is_valid():
        return form, selectors.LedgerFilters()
    data = form.cleaned_data
    department = data.get("department")
    return form, selectors.LedgerFilters(
        department_id=department.pk if department else None, state=data.get("state") or None,
        category=data.get("category"), text=data.get("q") or "")


# --- the ledger ----------------------------------------------------------------------------


class PersonListView(PersonnelView):
    """涉密人员台帐: filters, keyset pages, export/import links, "open a file" form."""

    template_name = "personnel/person_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._open_form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._open_form(request, request.POST)
        if form.is_valid():
            try:
                file = services.open_file(request.user, form.cleaned_data["person"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The classified-personnel file has been opened."))
                return redirect("personnel:person_detail", pk=file.pk)
        return self._render(request, form, status=400)

    def _open_form(self, request: HttpRequest, data: Any = None) -> OpenFileForm:
        # The department filter narrows the choice too: a unit may have thousands of people.
        department = parse_key(request.GET.get("department"))
        people = selectors.people_without_file(request.user, department)
        return OpenFileForm(data, people=people)

    def _render(self, request: HttpRequest, open_form: OpenFileForm,
                status: int = 200) -> HttpResponse:
        form, filters = ledger_filters(request)
        page = keyset_page(selectors.ledger(request.user, filters), request)
        params = request.GET.copy()
        params.pop("after", None)
        can_manage = bool(selectors.managed_units(request.user))
        return render(request, self.template_name, {
            "form": form, "page": page, "open_form": open_form, "can_manage": can_manage,
            "export_query": params.urlencode(),
        }, status=status)


class LedgerExportView(PersonnelView):
    """The filtered ledger as .xlsx, audited."""

    def get(self, request: HttpRequest) -> FileResponse:
        _form, filters = ledger_filters(request)
        files = selectors.ledger(request.user, filters).order_by("-id")
        user: Any = request.user
        services.record_ledger_export(user, user.person.unit_id, filters.as_dict())
        output = write_ledger(files.iterator(chunk_size=2000))
        name = f"personnel-ledger-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


class LedgerImportView(PersonnelView):
    """Upload an existing ledger: all rows or none, with a per-row error list."""

    template_name = "personnel/person_import.html"

    def _unit(self, request: HttpRequest) -> Any:
        user: Any = request.user
        managed = selectors.managed_units(user)
        if not managed:
            raise PermissionDenied
        if user.person.unit_id in managed:
            return user.person.unit
        from baomi.accounts.models import Unit

        return Unit.objects.get(pk=min(managed))

    def _help(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit, "columns": "、".join(COLUMNS), "levels": "、".join(LEVELS)}

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = self._unit(request)
        return render(request, self.template_name, {"form": ImportForm(), **self._help(unit)})

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = self._unit(request)
        form = ImportForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, **self._help(unit)}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        checked = read_ledger(form.cleaned_data["file"], unit)
        if checked.errors:
            context["row_errors"] = checked.errors
            return render(request, self.template_name, context, status=400)
        try:
            result = services.import_ledger(request.user, unit, checked.rows)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _(
            "Imported %(rows)s rows: %(people)s people, %(files)s files, %(posts)s posts and "
            "%(holdings)s post holdings created.") % {
            "rows": len(checked.rows), "people": result.people_created,
            "files": result.files_opened, "posts": result.posts_created,
            "holdings": result.holdings_created})
        return redirect("personnel:person_list")


class PersonDetailView(PersonnelView):
    """One file: posts held with assign/end forms, state, and the onboarding panels."""

    template_name = "personnel/person_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = selectors.file_for(request.user, pk)
        return self._render(request, file)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        file = selectors.file_for(request.user, pk)
        if "ended_on" in request.POST:
            return self._end(request, file)
        form = self._assign_form(request, file, request.POST)
        if form.is_valid():
            try:
                services.assign_post(request.user, file.person, form.cleaned_data["post"],
                                     started_on=form.cleaned_data["started_on"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The post has been assigned."))
                return redirect("personnel:person_detail", pk=file.pk)
        return self._render(request, file, assign_form=form, status=400)

    def _end(self, request: HttpRequest, file: PersonnelFile) -> HttpResponse:
        form = EndPostForm(request.POST)
        if form.is_valid():
            holding = selectors.holdings_of(file).filter(
                pk=form.cleaned_data["holding"]).first()
            if holding is None:
                raise Http404
            try:
                services.end_post(request.user, holding, ended_on=form.cleaned_data["ended_on"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The post has been left."))
                return redirect("personnel:person_detail", pk=file.pk)
        return self._render(request, file, end_form=form, status=400)

    def _assign_form(self, request: HttpRequest, file: PersonnelFile,
                     data: Any = None) -> AssignPostForm:
        posts = selectors.posts_visible_to(request.user).filter(unit_id=file.unit_id, active=True)
        return AssignPostForm(data, posts=posts)

    def _render(self, request: HttpRequest, file: PersonnelFile, *,
                assign_form: AssignPostForm | None = None, end_form: EndPostForm | None = None,
                status: int = 200) -> HttpResponse:
        can_manage = selectors.manages_unit(request.user, file.unit_id)
        holdings: list[PostHolding] = list(selectors.holdings_of(file))
        return render(request, self.template_name, {
            "file": file, "person": file.person, "holdings": holdings,
            "can_manage": can_manage, "has_left": file.state in LIST_STATES,
            "assign_form": assign_form or self._assign_form(request, file),
            "end_form": end_form, "today": timezone.localdate(),
            "may_file_exit": may_file_exit(request.user, file),
            "current_exit": current_exit(file) if file.state in LIST_STATES else None,
        }, status=status)


# --- posts ---------------------------------------------------------------------------------


class PostListView(PersonnelView):
    """涉密岗位 register: posts with level and current holders; create form."""

    template_name = "personnel/post_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = services.create_post(request.user, department=data["department"],
                                            name=data["name"], level=data["level"],
                                            duties=data["duties"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The classified post has been created."))
                return redirect("personnel:post_detail", pk=post.pk)
        return self._render(request, form, status=400)

    def _form(self, request: HttpRequest, data: Any = None) -> PostForm:
        departments = selectors.departments_for_ledger(request.user).filter(
            unit_id__in=selectors.managed_units(request.user))
        return PostForm(data, departments=departments)

    def _render(self, request: HttpRequest, form: PostForm, status: int = 200) -> HttpResponse:
        after = parse_key(request.GET.get("after"))
        page = keyset_page(selectors.posts_with_holders(request.user), request, after=after)
        return render(request, self.template_name, {
            "page": page, "form": form,
            "can_manage": bool(selectors.managed_units(request.user)),
        }, status=status)


class PostDetailView(PersonnelView):
    """One post: its holders, the edit form (a level change warns), abolition."""

    template_name = "personnel/post_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = selectors.post_for(request.user, pk)
        form = PostEditForm(initial={"name": post.name, "level": post.level,
                                     "duties": post.duties})
        return self._render(request, post, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = selectors.post_for(request.user, pk)
        if request.POST.get("action") == "deactivate":
            try:
                services.deactivate_post(request.user, post)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The post has been abolished."))
            return redirect("personnel:post_detail", pk=post.pk)
        form = PostEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            old_level = post.level
            try:
                services.update_post(request.user, post, name=data["name"],
                                     duties=data["duties"], level=data["level"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if old_level != post.level:
                    messages.warning(request, _(
                        "The level changed: the holders' categories were re-derived and "
                        "their re-reviews are due."))
                messages.success(request, _("The post has been saved."))
                return redirect("personnel:post_detail", pk=post.pk)
        return self._render(request, post, form, status=400)

    def _render(self, request: HttpRequest, post: Any, form: PostEditForm,
                status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {
            "post": post, "form": form, "holders": list(selectors.holders_of(post)),
            "can_manage": selectors.manages_unit(request.user, post.unit_id),
            "person_list": reverse("personnel:person_list"),
        }, status=status)
