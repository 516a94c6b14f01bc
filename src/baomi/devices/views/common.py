"""What the device pages share: who may open what, and downloads."""

from typing import Any

from django.http import Http404, HttpRequest

from baomi.core.access import sees_business_data
from baomi.core.downloads import DOCX as DOCX  # re-exported for the pages
from baomi.core.downloads import XLSX as XLSX
from baomi.core.downloads import download as download
from baomi.core.downloads import require_business
from baomi.core.errors import NotFound

from ..models import Device, Medium
from ..selectors import device_for, manages_devices, medium_for


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

