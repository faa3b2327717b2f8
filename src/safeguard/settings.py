"""Django settings. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import csp.constants as _csp
import dj_database_url

from safeguard.ops.deploy import DEV_SECRET_KEY, NotConfiguredForProduction, production_problems

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAFEGUARD_DATA_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("SAFEGUARD_DEBUG", "") == "1"
# A development key: production sets SAFEGUARD_SECRET_KEY (docs/operations.md), and refuses to start without it
# (below, after SAFEGUARD_HTTPS).
SECRET_KEY = os.environ.get("SAFEGUARD_SECRET_KEY") or DEV_SECRET_KEY
ALLOWED_HOSTS = os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_q",
    "safeguard.workforce",
    "safeguard.accounts",
    "safeguard.cases",
    "safeguard.practice",
    "safeguard.interventions",
    "safeguard.oversight",
    "safeguard.victims",
    "safeguard.agencies",
    "safeguard.assessments",
    "safeguard.insights",
    "safeguard.insights_web",
    "safeguard.signals_web",
    "safeguard.audit",
    "safeguard.web",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "safeguard.api",
    "safeguard.retention",
]

MIDDLEWARE = [
    "safeguard.ops.logs.RequestLogMiddleware",  # first: a request id and one JSON log line per request
    "safeguard.web.limits.RequestLimitsMiddleware",  # 413 for a body over limits.BODY_MAX (issue 33)
    "safeguard.ops.routers.ReportingMiddleware",  # reporting pages read from the replica, when there is one
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy with a fresh nonce per response
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safeguard.ops.nostore.NoStoreMiddleware",  # below WhiteNoise: everything but static files is no-store
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeguard.accounts.middleware.SessionGuardMiddleware",  # sign-out everywhere, two-factor before anything
    "safeguard.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

# Request bodies: at most safeguard.limits.BODY_MAX bytes (413 beyond; issue 33, docs/security.md).
from safeguard.limits import BODY_MAX  # noqa: E402

DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_MAX

# Audit entries record the client's address: REMOTE_ADDR, or with N proxies in front of the app the Nth
# address from the right of X-Forwarded-For (safeguard.audit.context).
SAFEGUARD_PROXY_HOPS = int(os.environ.get("SAFEGUARD_PROXY_HOPS", "0"))

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguard.web.context.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'safeguard.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Reporting reads (insights) go to a read replica when one is configured (safeguard.ops.routers).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL plans a page's queries once per connection, not on every request (ADR 0005 decision 27): server-side
# parameters, and psycopg prepares a statement after its fifth use. SAFEGUARD_PG_PREPARED=0 behind a pooler that
# cannot hold prepared statements (PgBouncer in transaction mode without max_prepared_statements).
SAFEGUARD_PG_PREPARED = os.environ.get("SAFEGUARD_PG_PREPARED", "1") != "0"
for _database in DATABASES.values():
    if SAFEGUARD_PG_PREPARED and _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
DATABASE_ROUTERS = ["safeguard.ops.routers.ReplicaRouter"]
SAFEGUARD_REPORTING_PATHS = ("/insights/",)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # zxcvbn score 3 or more: twelve characters of "Password1234" are not enough (issue 33, finding 10).
    {"NAME": "safeguard.accounts.passwords.StrengthValidator"},
]
# Flash messages name what was recorded on a case: keep them server-side, not in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "caseload"
LOGOUT_REDIRECT_URL = "login"

# Sign-in security (safeguard.accounts; docs/security.md). Argon2 first: older hashes are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "safeguard.accounts.lockout.LockoutBackend",  # first: refuses a locked-out sign-in before checking it
    "safeguard.accounts.backends.WebSignInBackend",  # Django's, but never an API-only (integration) account
]
# Two-factor (TOTP plus single-use recovery codes) for every role; off only for the demo and the test suite.
SAFEGUARD_TWO_FACTOR = os.environ.get("SAFEGUARD_TWO_FACTOR", "1") != "0"
OTP_TOTP_ISSUER = "Safeguard"
# Lockout (django-axes): after this many failed sign-ins for a username, refuse it for the cool-off time.
AXES_FAILURE_LIMIT = int(os.environ.get("SAFEGUARD_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SAFEGUARD_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Per username only, on purpose: a whole probation office reaches the service from one proxy address, so
# locking an address would lock out the office (axes warns about that choice).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safeguard.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "safeguard.accounts.lockout.client_ip_for_axes"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Sessions end after this much inactivity (sliding: every request renews it), and at most this long after
# signing in; sign-out everywhere ends all of a user's sessions (safeguard.accounts.middleware).
SAFEGUARD_SESSION_IDLE_MINUTES = int(os.environ.get("SAFEGUARD_SESSION_IDLE_MINUTES", "30"))
SAFEGUARD_SESSION_MAX_HOURS = int(os.environ.get("SAFEGUARD_SESSION_MAX_HOURS", "10"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * SAFEGUARD_SESSION_IDLE_MINUTES
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Production is served over HTTPS only (SAFEGUARD_HTTPS=1): secure cookies and HSTS. The demo runs on plain
# http://127.0.0.1, where secure cookies would never be sent back, so they are off unless this is set.
SAFEGUARD_HTTPS = os.environ.get("SAFEGUARD_HTTPS", "") == "1"
SESSION_COOKIE_SECURE = SAFEGUARD_HTTPS
CSRF_COOKIE_SECURE = SAFEGUARD_HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SAFEGUARD_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SAFEGUARD_HTTPS
if SAFEGUARD_HTTPS and SAFEGUARD_PROXY_HOPS > 0:
    # TLS ends at the load balancer, which says so in this header (and strips it from clients' requests).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): the app's own files only, plus inline elements carrying the response's
# nonce (request.csp_nonce). Style attributes are allowed: matplotlib's SVG charts use them and they cannot run
# code. Nothing may frame the app, and forms post only to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", _csp.NONCE],
        "style-src": ["'self'", _csp.NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "web" / "assets"]
# Served by WhiteNoise from the app's own files (no CDN); in tests and the demo straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Field encryption for victims' contact details (safeguard.victims.crypto): Fernet keys of their own, never
# SECRET_KEY, comma-separated, newest first (rotate: put a new key first, run `safeguard keys rotate`, then
# drop the old one). Unset, a published development key is used only under DEBUG, the tests (pytest sets
# PYTEST_VERSION) and the demo (SAFEGUARD_DEV_FIELD_KEY=1); anywhere else using an encrypted field fails.
SAFEGUARD_FIELD_KEYS = [k.strip() for k in os.environ.get("SAFEGUARD_FIELD_KEYS", "").split(",") if k.strip()]
SAFEGUARD_DEV_FIELD_KEY = (DEBUG or os.environ.get("SAFEGUARD_DEV_FIELD_KEY") == "1"
                           or "PYTEST_VERSION" in os.environ)
# Production (SAFEGUARD_HTTPS=1) refuses to start with the published secret key or without field keys of its own
# (issue 33, finding 6); `check --deploy` reports the same anywhere (safeguard.victims.checks).
if SAFEGUARD_HTTPS and (_problems := production_problems(SECRET_KEY, SAFEGUARD_FIELD_KEYS)):
    raise NotConfiguredForProduction(_problems)

EMAIL_BACKEND = os.environ.get("SAFEGUARD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = "safeguard@localhost"

# A regional policy file (TOML) layered over the default policy; see docs/policy.md.
SAFEGUARD_POLICY_FILE = os.environ.get("SAFEGUARD_POLICY_FILE") or None

# One JSON object per line, with the request id (safeguard.ops.logs); SAFEGUARD_LOG_FORMAT=text for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safeguard.ops.logs.RequestIdFilter"},
                "redact_paths": {"()": "safeguard.ops.logs.RedactPathFilter"}},
    "formatters": {"json": {"()": "safeguard.ops.logs.JsonFormatter"},
                   "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id", "redact_paths"],
                             "formatter": "text" if os.environ.get("SAFEGUARD_LOG_FORMAT") == "text" else "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAFEGUARD_LOG_LEVEL", "WARNING")},
    # One line per request at INFO (SAFEGUARD_REQUEST_LOG=0 turns them off).
    "loggers": {"safeguard.request": {"level": "INFO" if os.environ.get("SAFEGUARD_REQUEST_LOG", "1") == "1"
                                      else "WARNING"}},
}

# Error reporting to Sentry only when SAFEGUARD_SENTRY_DSN is set, with nothing personal in it (safeguard.ops.errors).
SAFEGUARD_SENTRY_DSN = os.environ.get("SAFEGUARD_SENTRY_DSN", "")
if SAFEGUARD_SENTRY_DSN:
    from safeguard.ops.errors import init_sentry

    init_sentry(SAFEGUARD_SENTRY_DSN, os.environ.get("SAFEGUARD_SENTRY_ENVIRONMENT", "production"))

# Retention of closed cases: anonymised this many whole years after supervision ended, unless on legal hold
# (our own policy default; see docs/security.md "Retention and legal hold").
SAFEGUARD_RETENTION_YEARS = int(os.environ.get("SAFEGUARD_RETENTION_YEARS", "7"))

# Background jobs and schedules (django-q2) with the database as the broker: nothing else to run.
Q_CLUSTER = {"name": "safeguard", "orm": "default", "workers": 1, "timeout": 3600, "retry": 4000,
             "catch_up": False}

# The REST API (Django REST framework, drf-spectacular) and outbound webhooks.
from safeguard.api.conf import (  # noqa: E402, F401
    CACHES,
    REST_FRAMEWORK,
    SAFEGUARD_WEBHOOKS,
    SPECTACULAR_SETTINGS,
)
