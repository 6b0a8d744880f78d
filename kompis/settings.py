"""Kompis settings: everything comes from environment variables, with production-safe defaults.

`KOMPIS_ENV=development` (set by `make run`) switches on the laptop settings: DEBUG, a secret key
generated once into var/secret_key, the local mail catcher, cookies and redirects without HTTPS.
Without it Kompis runs with production settings and needs at least SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL (see README, Configuration).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kompis.core.generics import allow_generic_subscripts

# ModelAdmin[Region], ModelForm[Project], CharField[str, str] as django-stubs types them (mypy --strict)
allow_generic_subscripts()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOMPIS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: str | bool) -> bool:
    return str(os.environ.get(name, default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


KOMPIS_ENV = os.environ.get("KOMPIS_ENV", "production").strip().lower() or "production"
if KOMPIS_ENV not in ("production", "development"):
    raise ImproperlyConfigured(f"KOMPIS_ENV must be 'production' or 'development', not {KOMPIS_ENV!r}.")
DEVELOPMENT = KOMPIS_ENV == "development"
DEBUG = envbool("DEBUG", DEVELOPMENT)

# Keys that were ever published (in this repository): a token signed with one is never accepted.
PUBLISHED_SECRET_KEYS = frozenset({"kompis-insecure-local-development-key-change-me"})


def _development_secret_key(path: Path) -> str:
    """A random key made once per checkout (mode 600), so that links keep working across restarts."""
    if path.is_file() and path.read_text().strip():
        return path.read_text().strip()
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(tmp, path)  # atomic: when two processes start at once, the first key wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    os.chmod(path, 0o600)
    return path.read_text().strip()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key in PUBLISHED_SECRET_KEYS or key.startswith("kompis-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is a published example key: anyone could forge links with it. Set a secret one, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if key:
        return key
    if DEVELOPMENT:
        return _development_secret_key(VAR_DIR / "secret_key")
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. In production set SECRET_KEY (50+ random characters, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'); on a laptop run "
        "`make run`, or set KOMPIS_ENV=development to use a key generated into var/secret_key."
    )


SECRET_KEY = _secret_key()
SECRET_KEY_FALLBACKS = [k for k in envlist("SECRET_KEY_FALLBACKS", "") if k not in PUBLISHED_SECRET_KEYS]
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = os.environ.get("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "kompis.core",
    "kompis.audit",
    "kompis.accounts",
    "kompis.municipalities",
    "kompis.organisations",
    "kompis.participants",
    "kompis.outbox",
    "kompis.matching",
    "kompis.events",  # events and registrations, beside matching
    "kompis.programmes",  # mentor programmes, cohorts and enrolments, beside matching and events
    "kompis.worklist",  # staff tasks, above participants, below the follow-up
    "kompis.followup",
    "kompis.surveys",  # surveys, waves, invitations and responses (above programmes and follow-up)
    "kompis.reports",
    "kompis.demo",  # demo data (`kompis demo`): after the feature apps it generates data for
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kompis.urls"
WSGI_APPLICATION = "kompis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kompis.core.context_processors.kompis",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kompis.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, so that worker processes started by fault tests see the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_kompis_{os.getpid()}.sqlite3")}
else:
    # One test database per test process, so that parallel test runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
    # PostgreSQL's JIT compiles the reports' large aggregates for hundreds of milliseconds and wins nothing
    # on pages (measured: bench/bench_programmes.py); PG_JIT=on brings it back.
    if os.environ.get("PG_JIT", "off") != "on":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:staff_home"
LOGOUT_REDIRECT_URL = "accounts:login"

# CACHE_URL=redis://host:6379/0 shares the cache (and the sign-up counters) through Redis.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kompis_cache",
        }
    }
# Sign-ups and link requests per client address, counted atomically (kompis/core/ratelimit.py).
SIGNUP_RATE = os.environ.get("SIGNUP_RATE", "20/h")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Languages of the public pages; English is the source language of the catalogues.
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("so", _("Somali")),
    ("uk", _("Ukrainian")),
]
# Django has no Somali of its own: tell it the language's name and direction.
LANG_INFO.setdefault("so", {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"})
LANGUAGE_COOKIE_NAME = "kompis_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "kompis" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# The largest participant file staff can import (the upload page shows it; 100,000 rows with names, e-mail
# addresses and some free text are about 20 MB as CSV, less as XLSX).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_MB", "32") * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# HTTPS in production (`kompis check --deploy` passes with these defaults); development runs on plain HTTP.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEVELOPMENT)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEVELOPMENT)
# Behind a reverse proxy that terminates TLS: set TRUST_PROXY_HEADERS=true when it sends
# X-Forwarded-Proto (and X-Forwarded-For, used by the sign-up limit), or SECURE_SSL_REDIRECT=false
# when it redirects to HTTPS itself.
TRUST_PROXY_HEADERS = envbool("TRUST_PROXY_HEADERS", "false")
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers check health over plain HTTP
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEVELOPMENT else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
# Preloading is a commitment for the whole domain that only its owner can make: off unless chosen.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Mail: SMTP settings from the environment; `make run` points them at the local catcher.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("EMAIL_PORT", "1025")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "15")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kompis <noreply@kompis.localhost>")
# A worker that dies while sending leaves its claim; after this many seconds another worker retries.
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", "300")
# A matching run whose worker has not reported for this long is taken as lost (queued again once, then failed).
MATCHING_RUN_LEASE_SECONDS = envint("MATCHING_RUN_LEASE_SECONDS", "300")
# Temporary failures (no connection, timeout, 4xx) are retried with back-off up to this many seconds
# apart; a mail still not delivered this many days after it was queued is marked undelivered (a task).
OUTBOX_MAX_BACKOFF_SECONDS = envint("OUTBOX_MAX_BACKOFF_SECONDS", "3600")
OUTBOX_GIVE_UP_DAYS = envint("OUTBOX_GIVE_UP_DAYS", "3")
# A 5xx to RCPT TO is a bounce only when repeated this many minutes later, and not when this many
# different addresses got the same reply within the window (then the server refuses us, not them).
OUTBOX_BOUNCE_CONFIRM_MINUTES = envint("OUTBOX_BOUNCE_CONFIRM_MINUTES", "15")
OUTBOX_SERVER_REFUSAL_RECIPIENTS = envint("OUTBOX_SERVER_REFUSAL_RECIPIENTS", "3")
OUTBOX_SERVER_REFUSAL_WINDOW_MINUTES = envint("OUTBOX_SERVER_REFUSAL_WINDOW_MINUTES", "60")
# Where `make run`'s mail catcher stores what it receives (shown at /dev/mail/ in development only).
MAIL_CATCHER_DIR = Path(os.environ.get("MAIL_CATCHER_DIR", VAR_DIR / "mail"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Sign-up: unconfirmed sign-ups expire after this many days; signed links expire likewise.
SIGNUP_CONFIRM_DAYS = envint("SIGNUP_CONFIRM_DAYS", "7")
# Personal self-service links in mails stay valid this long; a fresh one can be requested by e-mail.
SELF_SERVICE_LINK_DAYS = envint("SELF_SERVICE_LINK_DAYS", "120")
PRIVACY_POLICY_VERSION = os.environ.get("PRIVACY_POLICY_VERSION", "2026-01")
# Staff: an invitation link works this many days, a password-reset link this many hours (each only once).
STAFF_INVITE_DAYS = envint("STAFF_INVITE_DAYS", "7")
PASSWORD_RESET_HOURS = envint("PASSWORD_RESET_HOURS", "24")
# Follow-up: "not yet" asks again after this many days; tasks are due this many days after creation.
FOLLOWUP_NOT_YET_DAYS = envint("FOLLOWUP_NOT_YET_DAYS", "7")
FOLLOWUP_LINK_DAYS = envint("FOLLOWUP_LINK_DAYS", "60")
FOLLOWUP_MAX_ROUNDS = envint("FOLLOWUP_MAX_ROUNDS", "3")
TASK_DUE_DAYS = envint("TASK_DUE_DAYS", "3")
# Small-number suppression threshold used by reports.
SUPPRESSION_K = envint("SUPPRESSION_K", "5")
# The dashboard reuses computed figures while nothing changed, for at most this long after a change.
REPORTS_CACHE_SECONDS = envint("REPORTS_CACHE_SECONDS", "120")

# Every log record passes kompis.core.logs.mask_tokens: signed links in paths are masked.
LOGGING_CONFIG = "kompis.core.logs.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "kompis.core.logs.MaskTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
