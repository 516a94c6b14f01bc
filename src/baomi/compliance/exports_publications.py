"""The register of publication reviews (rule Q12) as .xlsx — what was published, when, where
and by whose approval — streamed through openpyxl's write_only mode: rows go to a temporary
file as they come from the database iterator, so memory stays flat however long the
register is."""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from baomi.core.xlsx import MAX_ROWS, saved_workbook, text_cell

from .models import PublicationReview
from .selectors_publications import approver_names_of

CHUNK = 500


def register_headers() -> list[str]:
    return [_("No."), _("Title"), _("Kind"), _("Channel"), _("Author"), _("Department"),
            _("State"), _("Approved at"), _("Approved by"), _("Published on"),
            _("Published where"), _("Published by")]


def register_filename() -> str:
    return f"信息发布保密审查登记-{timezone.localdate():%Y%m%d}.xlsx"


def _local(moment: Any) -> Any:
    """A naive local time: what the users read on paper (Excel knows no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _row(sheet: Any, review: PublicationReview, approvers: str) -> list[Any]:
    published_by = review.published_by.person.name if review.published_by else ""
    return [review.pk, text_cell(sheet, review.title),
            text_cell(sheet, str(review.get_kind_display())), text_cell(sheet, review.channel),
            text_cell(sheet, review.author.person.name),
            text_cell(sheet, review.department.name if review.department else ""),
            text_cell(sheet, str(review.get_state_display())), _local(review.approved_at),
            text_cell(sheet, approvers), review.published_on,
            text_cell(sheet, review.published_where), text_cell(sheet, published_by)]


def write_register(reviews: Iterable[PublicationReview]) -> tuple[IO[bytes], int]:
    """The register in a temporary file positioned at its start, and the number of rows.
    `reviews` should be an iterator with the author, department and request selected."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Publication register")[:31])
    sheet.append([text_cell(sheet, header) for header in register_headers()])
    count = 0
    for chunk in _chunks(iter(reviews)):
        names = approver_names_of(chunk)
        for review in chunk:
            if count >= MAX_ROWS:
                return saved_workbook(workbook), count
            sheet.append(_row(sheet, review, names.get(review.pk, "")))
            count += 1
    return saved_workbook(workbook), count


def _chunks(reviews: Iterator[PublicationReview]) -> Iterator[list[PublicationReview]]:
    """The reviews in lists of CHUNK: one query for the approvers of each."""
    while chunk := list(islice(reviews, CHUNK)):
        yield chunk
