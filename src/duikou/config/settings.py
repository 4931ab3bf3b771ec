"""Settings, read from the environment (``DUIKOU_*`` and ``DATABASE_URL``).

duikou's own settings are listed in :data:`SETTINGS` with their defaults and help; a test keeps
``docs/reference/settings.md`` in step with that list.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS = [
    Setting("DUIKOU_DATA_DIR", "./duikou-data", "Folder holding the SQLite database file and uploaded files."),
    Setting("DATABASE_URL", None, "PostgreSQL URL (postgres://user@host:port/name). Unset: SQLite in DUIKOU_DATA_DIR."),
    Setting("DUIKOU_SECRET_KEY", None, "Django secret key. Required when DUIKOU_DEBUG is off."),
    Setting("DUIKOU_DEBUG", "0", "1 for development (debug pages, a fixed development secret key)."),
    Setting("DUIKOU_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the server answers to."),
    Setting("DUIKOU_IMPORT_MAX_FILE_BYTES", "52428800", "Excel import: largest .xlsx file accepted, in bytes (50 MiB)."),
    Setting("DUIKOU_IMPORT_MAX_UNCOMPRESSED_BYTES", "524288000",
            "Excel import: largest total unpacked size of an .xlsx archive, in bytes (500 MiB), checked before unpacking."),
    Setting("DUIKOU_IMPORT_MAX_COMPRESSION_RATIO", "200",
            "Excel import: highest compression ratio of a part larger than 1 MiB (zip-bomb guard)."),
    Setting("DUIKOU_IMPORT_MAX_ZIP_ENTRIES", "1000", "Excel import: most parts (zip entries) an .xlsx archive may hold."),
]


def env(name: str) -> str | None:
    for s in SETTINGS:
        if s.name == name:
            return os.environ.get(name, s.default)
    raise KeyError(name)


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env("DUIKOU_DATA_DIR")).resolve()
DEBUG = env("DUIKOU_DEBUG") in ("1", "true", "yes", "on")

SECRET_KEY = env("DUIKOU_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DUIKOU_SECRET_KEY must be set when DUIKOU_DEBUG is off.")
    SECRET_KEY = "duikou-development-only-not-secret"

ALLOWED_HOSTS = [h.strip() for h in env("DUIKOU_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "duikou.config.admin.DuikouAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "duikou.core",
    "duikou.audit",
    "duikou.ui",
    "duikou.organisations",
    "duikou.accounts",
    "duikou.rules",
    "duikou.plans",
    "duikou.events",
    "duikou.projects",
    "duikou.disclosure",
    "duikou.funds",
    "duikou.performance",
    "duikou.people",
    "duikou.consumption",
    "duikou.investment",
    "duikou.reports",
    "duikou.figures",
    "duikou.documents",
    "duikou.api",
    "duikou.iati",
    "duikou.imports",
    "duikou.generate",
    "duikou.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duikou.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "duikou.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "duikou.config.urls"
WSGI_APPLICATION = "duikou.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duikou.ui.navigation.navigation",
            ],
        },
    },
]


def database_config() -> dict:
    url = env("DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://…).")
        return dj_database_url.parse(url, conn_max_age=60)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "duikou.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves static files with DEBUG on or off. With the finders it serves the apps'
# static folders directly, so a small office server needs no collectstatic; `collectstatic` into
# STATIC_ROOT still works for a front web server. WhiteNoise warns at every start, DEBUG off, when
# STATIC_ROOT is missing, so it is made (empty until a collectstatic).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "ui:login"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # duikou.api: tokens for systems, the signed-in session (CSRF checked) for the browser.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "duikou.api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "duikou API",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and ReDoc from drf-spectacular-sidecar: served offline, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Excel import (duikou.imports): size limits checked on the zip directory before unpacking.
IMPORT_MAX_FILE_BYTES = int(env("DUIKOU_IMPORT_MAX_FILE_BYTES"))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(env("DUIKOU_IMPORT_MAX_UNCOMPRESSED_BYTES"))
IMPORT_MAX_COMPRESSION_RATIO = int(env("DUIKOU_IMPORT_MAX_COMPRESSION_RATIO"))
IMPORT_MAX_ZIP_ENTRIES = int(env("DUIKOU_IMPORT_MAX_ZIP_ENTRIES"))
