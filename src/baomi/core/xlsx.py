"""What every xlsx export shares (openpyxl write_only, streamed through a temporary file)."""

import tempfile
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# The rows a sheet holds, less the header row.
MAX_ROWS = 1_048_575


def text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    """A cell that is always text: a value starting with "=" must never become a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def saved_workbook(workbook: Workbook) -> IO[bytes]:
    """The workbook in a temporary file positioned at its start; the caller (a FileResponse)
    closes it."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the caller
    workbook.save(output)
    output.seek(0)
    return output
