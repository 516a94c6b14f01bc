"""Loans (借阅 / 传阅, rule C5): the 保密办 sees the loans of its unit with hand-out and
take-back buttons, everyone else their own loans. Filters: out, overdue."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from baomi.core.access import clearance
from baomi.core.errors import DomainError
from baomi.core.labels import Scheme
from baomi.core.paging import keyset_page

from ..choices import LoanState
from ..forms import LoanActionForm
from ..models import Loan
from ..selectors import loans_visible_to
from .common import actionable_loan, is_office, loan_actions, perform_loan_action, require_business
from .display import level_text, loan_overdue


def loan_list(user: Any, *, office: bool, out: bool = False, overdue: bool = False
              ) -> QuerySet[Loan]:
    """The office's loans of its unit, or the user's own (rule L5: never of a carrier above
    the user's clearance)."""
    loans = loans_visible_to(user)
    if office:
        loans = loans.filter(carrier__unit_id=user.person.unit_id)
    else:
        loans = loans.filter(borrower_id=user.person_id).filter(
            ~Q(carrier__scheme=Scheme.STATE) | Q(carrier__level__lte=int(clearance(user))))
    if out or overdue:
        loans = loans.filter(state=LoanState.OUT)
    if overdue:
        loans = loans.filter(due_on__lt=timezone.localdate())
    return loans.select_related("carrier", "borrower", "request")


class LoanListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        require_business(request)
        action = request.POST.get("action", "")
        form = LoanActionForm(request.POST)
        if not form.is_valid():
            raise Http404
        loan = actionable_loan(request, form.cleaned_data["loan"], action)
        try:
            message = perform_loan_action(request, loan, action)
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, status=exc.status)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("carriers:loan_list"))

    def _render(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        require_business(request)
        office = is_office(request)
        out = request.GET.get("out") == "1"
        overdue = request.GET.get("overdue") == "1"
        page = keyset_page(loan_list(request.user, office=office, out=out, overdue=overdue),
                           request)
        rows = [{"loan": loan, "overdue": loan_overdue(loan),
                 "level": level_text(loan.carrier.scheme, loan.carrier.level),
                 "actions": loan_actions(request.user, loan)} for loan in page.items]
        return render(request, "carriers/loan_list.html", {
            "page": page, "rows": rows, "office": office, "out": out, "overdue": overdue,
        }, status=status)
