"""Settings for papitrack, read from the environment (see .env.example).

One module for every environment: development, tests and production differ only by
environment variables, never by extra settings files.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", default=False)
# A fixed key is only acceptable for local development and tests; production must set one.
_DEVELOPMENT_SECRET_KEY = "papitrack-development-only-not-secret"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    if env_bool("PAPITRACK_ALLOW_DEV_SECRET", default=False):
        SECRET_KEY = _DEVELOPMENT_SECRET_KEY
    else:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = [
    host for host in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if host
]
CSRF_TRUSTED_ORIGINS = [
    origin for origin in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "papitrack.accounts",
    "papitrack.orgunits",
    "papitrack.indices",
    "papitrack.plans",
    "papitrack.tasks",
    "papitrack.surveys",
    "papitrack.audit",
    "papitrack.reports",
    "papitrack.unitplans",
    "papitrack.calendars",
    "papitrack.notifications",
    "papitrack.monitoring",
    "papitrack.exports",
    "papitrack.backups",
    "papitrack.demo",
    "papitrack.web",
    "papitrack.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "papitrack.middleware.RequestSizeLimitMiddleware",
    "papitrack.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "papitrack.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "papitrack.urls"
WSGI_APPLICATION = "papitrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "papitrack" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Without DATABASE_URL the system runs on a SQLite file, so a fresh clone works with no
# database server; DATABASE_URL=postgres://... selects PostgreSQL (production, CI's second run).
VAR_DIR = Path(env_str("PAPITRACK_VAR_DIR", str(BASE_DIR / "var")))
_database_env = environ.Env()
DATABASES = {
    "default": _database_env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'papitrack.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The SQLite file needs its folder; creating it here keeps a fresh clone working.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions and WAL avoid "database is locked" under concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    # A kept connection is checked before reuse, so after a database restart the next request
    # reconnects instead of failing once per worker on the dead connection.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Computed figures (PAPI ranks, monitoring roll-ups) are cached under keys that carry the
# version of their data (docs/ARCHITECTURE.md, "Caching"), so each worker's own memory is
# enough and never stale; a shared cache (CACHE_URL=redis://...) is optional, and
# CACHE_URL=dummycache:// turns caching off. The timeout only bounds memory and the few
# inputs without a version (unit names, the unit tree).
CACHES = {"default": environ.Env.cache_url_config(env_str("CACHE_URL", "locmemcache://papitrack"))}
CACHES["default"]["TIMEOUT"] = env_int("CACHE_TIMEOUT", 600)
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Per worker; the largest entries (a province's roll-up) are a few hundred kilobytes.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 300)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:plan_list"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 4.0.3 V2.1.1: at least 12 characters; no composition rules.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "papitrack" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "papitrack" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Evidence files: outside the web root, served only through a view that checks permissions.
EVIDENCE_ROOT = Path(env_str("PAPITRACK_EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
# Uploads above this size are refused before they reach the evidence checks (10 MB + form).
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024

# Data shipped with the repository (plan file, PAPI scores, org units, index framework).
DATA_DIR = BASE_DIR / "data"

# Daily digest e-mails (docs/notifications.md). The console backend prints them, so
# development needs no mail server; production sets the SMTP backend and its server.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PAPITrack <papitrack@localhost>")
# The site's address as users reach it; links in e-mails are built on it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Production behind a reverse proxy that terminates HTTPS (docs/deployment.md): HTTPS only,
# HSTS, secure cookies, two-factor sign-in for approvers. Never with DEBUG.
PRODUCTION = env_bool("PAPITRACK_PRODUCTION", default=False) and not DEBUG
if PRODUCTION and SECRET_KEY == _DEVELOPMENT_SECRET_KEY:
    raise RuntimeError("Production needs its own SECRET_KEY (see docs/deployment.md).")
# The proxy says whether the browser used HTTPS; only trusted because gunicorn listens on
# loopback or a socket that only the proxy reaches.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = PRODUCTION
# The health probe may call the application directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION

# Absolute session lifetime (also enforced by papitrack.middleware.SessionExpiryMiddleware)
# and idle limit: ASVS level 2 asks for re-authentication after 30 idle minutes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
# No script reads the CSRF cookie (forms carry the token), so scripts need not see it.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Requests whose body is larger are refused with 413 before parsing (papitrack.middleware).
# A report form may carry one evidence file (<= 10 MB) per KPI in one POST.
PAPITRACK_MAX_REQUEST_BYTES = env_int("PAPITRACK_MAX_REQUEST_BYTES", 50 * 1024 * 1024)

# Sign-in throttling (papitrack.accounts.services): after this many failures within the window
# the username is locked until the window has passed; an address gets a higher limit, since a
# whole office often shares one address.
LOGIN_FAILURE_LIMIT = env_int("PAPITRACK_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("PAPITRACK_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
LOGIN_FAILURE_WINDOW = env_int("PAPITRACK_LOGIN_FAILURE_WINDOW", 15 * 60)
# The request header in which the reverse proxy passes the client's address (e.g. X-Real-IP);
# empty: the connection's address (REMOTE_ADDR).
CLIENT_ADDRESS_HEADER = env_str("PAPITRACK_CLIENT_ADDRESS_HEADER")
# API operations open without sign-in (published scores, plans, codebooks): at most this many
# requests per client address ("number/s|m|h|d"), counted in the default cache (per process
# with the local-memory cache; nginx's limit_req is the shared first line, docs/deployment.md).
API_ANONYMOUS_RATE = env_str("PAPITRACK_API_ANONYMOUS_RATE", "300/m")

# Two-factor sign-in (TOTP) is required of these roles when on; the demo and development run
# without it so the demo accounts sign in with their password alone. Anyone may opt in.
REQUIRE_TWO_FACTOR = env_bool("PAPITRACK_REQUIRE_2FA", default=PRODUCTION)
TWO_FACTOR_ROLES = [
    role
    for role in env_str("PAPITRACK_2FA_ROLES", "coordinator,lead_reviewer,administrator").split(",")
    if role
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
