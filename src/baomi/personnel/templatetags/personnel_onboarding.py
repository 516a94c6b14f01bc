"""`{% onboarding_panel file %}`: the onboarding part of a person's page (rules P2–P6).

The panel is included by the person detail page with only the file in its context; this tag
loads what it shows through the selectors, for the user viewing the page.
"""

from typing import Any

from django import template
from django.utils import timezone

from ..choices import FileState
from ..forms_onboarding import CommitmentForm, StartInPostForm, TrainingForm
from ..models import PersonnelFile
from ..selectors.onboarding import (
    can_rereview,
    can_review,
    commitments_of,
    may_manage,
    open_review,
    readiness,
    reviews_of,
    training_of,
    training_year,
)

register = template.Library()


@register.inclusion_tag("personnel/onboarding_panel_body.html", takes_context=True)
def onboarding_panel(context: template.Context, file: PersonnelFile | None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if file is None or user is None:
        return {"file": None}
    today = timezone.localdate()
    manager = may_manage(user, file)
    person = file.person
    return {
        "file": file,
        "manager": manager,
        "reviews": reviews_of(file),
        "pending_review": open_review(file),
        "records": training_of(person)[:50],
        "training": training_year(person, today.year),
        "commitments": commitments_of(person),
        "missing": readiness(file, today).missing if file.state == FileState.TRAINING else {},
        "can_start": manager and file.state == FileState.TRAINING,
        "can_review": manager and can_review(file),
        "can_rereview": manager and can_rereview(file),
        "training_form": TrainingForm() if manager else None,
        "commitment_form": CommitmentForm() if manager else None,
        "start_form": StartInPostForm() if manager else None,
        "csrf_token": context.get("csrf_token"),
    }
