"""Django authentication through the login service (rule T3: lockout, audit, inactive users)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from baomi.core.errors import DomainError
from baomi.core.middleware import client_ip

from .models import User
from .services import login_attempt


class PolicyAwareBackend(ModelBackend):
    """Checks passwords with `services.login_attempt`; loads the user with person and unit."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        if username is None or password is None:
            return None
        try:
            return login_attempt(username, password, client_ip(request) if request else "")
        except DomainError:
            return None

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User.objects.select_related("person__unit", "person__department")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
