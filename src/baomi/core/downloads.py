"""What business pages share: the 三员 open no business data (rule T2), and files are sent
as downloads with their Chinese names."""

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse

from .access import sees_business_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def require_business(request: HttpRequest) -> None:
    """rule T2: the 三员 through their admin roles open no business data."""
    if not sees_business_data(request.user):
        raise Http404


def download(content: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
