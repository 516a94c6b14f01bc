"""Base settings, driven by BAOMI_* environment variables."""

import os
from pathlib import Path
from typing import Any

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BAOMI_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("BAOMI_SECRET_KEY", "baomi-insecure-development-key-change-me")
DEBUG = os.environ.get("BAOMI_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("BAOMI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files, not a CDN (rule T5)
    "baomi.core",
    "baomi.accounts",
    "baomi.audit",
    "baomi.approvals",
    "baomi.obligations",
    "baomi.personnel",
    "baomi.secrets",
    "baomi.carriers",
    "baomi.devices",
    "baomi.compliance",
    "baomi.scans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "baomi.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "baomi.accounts.middleware.IdleTimeoutMiddleware",
    "baomi.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "baomi.urls"
WSGI_APPLICATION = "baomi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baomi.core.context_processors.navigation",
            ],
        },
    },
]


def database_config(url: str | None) -> dict[str, Any]:
    """SQLite in WAL mode by default; any dj-database-url URL otherwise."""
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'baomi.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # IMMEDIATE: writers queue on the lock instead of failing on upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    return config


DATABASES = {"default": database_config(os.environ.get("BAOMI_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["baomi.accounts.backends.PolicyAwareBackend"]
# Password rules come from the unit's policy profile (rule T3), see accounts.passwords.
AUTH_PASSWORD_VALIDATORS: list[dict] = []
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "obligations:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# Uploaded files (review attachments …) are served only through views that check access.
MEDIA_ROOT = DATA_DIR / "media"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

# The Ed25519 key that signs audit checkpoints lives outside the database (DESIGN.md).
AUDIT_SIGNING_KEY_PATH = Path(
    os.environ.get("BAOMI_AUDIT_KEY", DATA_DIR / "keys" / "audit_ed25519.pem")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
