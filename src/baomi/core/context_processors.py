"""Navigation entries by role, and the counts shown beside the inbox and 我的待办."""

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from baomi.core.navigation import menu_for

    return {"nav": menu_for(user)}
