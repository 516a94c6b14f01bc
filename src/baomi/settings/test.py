"""Test settings: in-memory SQLite unless BAOMI_DATABASE_URL names PostgreSQL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_config

_TEST_DIR = Path(tempfile.mkdtemp(prefix="baomi-test-"))
DATA_DIR = _TEST_DIR
DATABASES = {"default": database_config(os.environ.get("BAOMI_DATABASE_URL"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_DIR / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUDIT_SIGNING_KEY_PATH = _TEST_DIR / "keys" / "audit_ed25519.pem"
STATIC_ROOT = _TEST_DIR / "staticfiles"
STATIC_ROOT.mkdir()
MEDIA_ROOT = _TEST_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
