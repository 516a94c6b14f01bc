"""Importing an existing device or media ledger in the API (/api/v1/devices; rules D1, D2,
D4, D9): a multipart upload of the .xlsx, every row registered or none.

A refused import answers 400 `{"code": "import_rows", "message", "fields"}`, `fields` keyed
`<row>.<column>` (the row of the sheet, the column's Chinese title; `file` for the file as a
whole), as the import page lists them.
"""

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from baomi.core.schemas import ErrorOut

from . import services

router = Router(tags=["devices"])
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}


class ImportOut(Schema):
    created: int


def _unit(request: HttpRequest) -> Any:
    user: Any = request.user
    return user.person.unit


@router.post("/devices/import", response={200: ImportOut, **ERRORS},
             summary="Import an existing device ledger (.xlsx, 保密办; rules D1, D2, D9)")
def import_devices(request: HttpRequest, file: File[UploadedFile]) -> dict[str, int]:
    """The columns of the .xlsx export, by their Chinese titles, at most 20,000 rows and
    10 MB. Every row is registered as `POST /devices` would, or none: 400 `import_rows`."""
    return {"created": services.import_devices(request.user, _unit(request), file)}


@router.post("/media/import", response={200: ImportOut, **ERRORS},
             summary="Import an existing media ledger (.xlsx, 保密办; rules D2, D4)")
def import_media(request: HttpRequest, file: File[UploadedFile]) -> dict[str, int]:
    """The columns of the media .xlsx export; every row registered as `POST /media` would, or
    none: 400 `import_rows`."""
    return {"created": services.import_media(request.user, _unit(request), file)}
