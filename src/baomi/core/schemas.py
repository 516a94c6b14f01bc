"""API schemas every app shares."""

from ninja import Schema


class ErrorOut(Schema):
    """The body of every 4xx answer: a stable code, a Chinese message, per-field messages."""

    code: str
    message: str
    fields: dict[str, str] = {}
    rule: str | None = None
