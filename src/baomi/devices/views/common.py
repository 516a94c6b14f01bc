"""What the device pages share: who may open what, and downloads."""

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse

from baomi.core.access import sees_business_data
from baomi.core.errors import NotFound

from ..models import Device, Medium
from ..selectors import device_for, manages_devices, medium_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def require_business(request: HttpRequest) -> None:
    """rule T2: the 三员 through their admin roles open no business data."""
    if not sees_business_data(request.user):
        raise Http404


def office_unit(request: HttpRequest) -> Any:
    """The unit whose ledgers the user keeps as its 保密办; 404 for anyone else."""
    require_business(request)
    user: Any = request.user
    if not manages_devices(user, user.person.unit_id):
        raise Http404
    return user.person.unit


def is_office(request: HttpRequest) -> bool:
    user: Any = request.user
    return sees_business_data(user) and manages_devices(user, user.person.unit_id)


def visible_device(request: HttpRequest, pk: Any) -> Device:
    """A device the user sees (rule L5); 404 otherwise, never telling whether it exists."""
    require_business(request)
    try:
        return device_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def visible_medium(request: HttpRequest, pk: Any) -> Medium:
    """A medium the user sees (rule L5); 404 otherwise."""
    require_business(request)
    try:
        return medium_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def download(content: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
