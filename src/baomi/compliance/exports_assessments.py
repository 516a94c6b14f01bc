"""The unit's assessments as .xlsx (rule Q3): one row per assessment with its standard, kind,
date, assessors, state, score and result, streamed through openpyxl's write_only mode."""

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .choices_assessments import AssessmentKind, AssessmentState
from .models import Assessment


def headers() -> list[str]:
    return [_("Year"), _("Standard"), _("Version"), _("Kind"), _("Assessed on"),
            _("Assessors"), _("State"), _("Total score"), _("Assessment verdict")]


def result_label(assessment: Assessment) -> str:
    if assessment.passed is None:
        return ""
    if assessment.passed:
        return _("Passed the assessment")
    return _("Failed: a veto item was not met") if assessment.vetoed else _(
        "Failed: below the pass mark")


def write_assessments(assessments: Iterable[Assessment]) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file and the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_("Assessments"))
    sheet.append(headers())
    kinds = {value: str(label) for value, label in AssessmentKind.choices}
    states = {value: str(label) for value, label in AssessmentState.choices}
    count = 0
    for assessment in assessments:
        if count >= MAX_ROWS:
            break
        sheet.append([
            assessment.year, text_cell(sheet, assessment.standard.title),
            assessment.standard.version, text_cell(sheet, kinds.get(assessment.kind, "")),
            assessment.assessed_on, text_cell(sheet, assessment.assessor_names),
            text_cell(sheet, states.get(assessment.state, "")),
            float(assessment.score) if assessment.score is not None else None,
            text_cell(sheet, result_label(assessment))])
        count += 1
    return saved_workbook(workbook), count
