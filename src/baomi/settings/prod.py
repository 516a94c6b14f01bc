"""Production settings: a real secret key is required."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["BAOMI_SECRET_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = os.environ.get("BAOMI_HTTPS", "") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
