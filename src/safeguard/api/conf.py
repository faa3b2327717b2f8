"""Django REST framework and drf-spectacular settings, imported by safeguard.settings.

Plain data only: this module is read while settings load, before any app is ready.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

_RATE_USER = os.environ.get("SAFEGUARD_API_RATE", "1200/hour")
_RATE_ANON = os.environ.get("SAFEGUARD_API_RATE_ANON", "60/hour")
_RATE_WRITE = os.environ.get("SAFEGUARD_API_RATE_WRITE", "600/hour")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safeguard.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["safeguard.api.parsers.JSONParser"],  # JSON nested at most limits.JSON_DEPTH_MAX
    "DEFAULT_PAGINATION_CLASS": "safeguard.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["safeguard.api.throttles.AnonThrottle", "safeguard.api.throttles.UserThrottle",
                                 "safeguard.api.throttles.WriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": _RATE_ANON, "user": _RATE_USER, "write": _RATE_WRITE},
    "EXCEPTION_HANDLER": "safeguard.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # No OPTIONS answers: the schema (/api/v1/schema/) describes every operation, and an OPTIONS that answers
    # where GET would be audited is a way round the read audit (issue 33, finding 4). DRF then gives 405.
    "DEFAULT_METADATA_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguard API",
    "DESCRIPTION": (
        "Cases, linked people, the case event log (in the `safeguard-timeline/1` event vocabulary), "
        "obligations, inspection measures, victims' safety records (never-disclose details always withheld), "
        "the partner-agency request queue, and case creation for integration accounts. Every change to a case "
        "is a timeline event posted to "
        "`/api/v1/cases/{ref}/events/` with `If-Match` set to the case's ETag. Errors are RFC 9457 problem "
        "details (`application/problem+json`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safeguard.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ConcernEnum": "safeguard.cases.models.CONCERN_CHOICES",
        "ObligationStatusEnum": "safeguard.oversight.models.STATUS_CHOICES",
        "SaraEnum": "safeguard.timeline.schema.SARA",
        "RequestAgencyEnum": "safeguard.agencies.models.AGENCIES",
        "RequestStatusEnum": "safeguard.api.partner.REQUEST_STATUS_CHOICES",
    },
}

# Outbound webhooks: attempts before a delivery is marked failed, and the back-off (seconds) after the
# first failure, doubling each time up to the cap.
SAFEGUARD_WEBHOOKS = {
    "max_attempts": int(os.environ.get("SAFEGUARD_WEBHOOK_MAX_ATTEMPTS", "8")),
    "backoff_seconds": int(os.environ.get("SAFEGUARD_WEBHOOK_BACKOFF", "30")),
    "backoff_cap_seconds": int(os.environ.get("SAFEGUARD_WEBHOOK_BACKOFF_CAP", str(6 * 3600))),
    "timeout_seconds": float(os.environ.get("SAFEGUARD_WEBHOOK_TIMEOUT", "10")),
    # Private, loopback and link-local addresses (and plain http) are refused unless this is set: only for the
    # tests' and the demo's local receivers, never in a deployment (it would let a subscription reach
    # internal services).
    "allow_private": os.environ.get("SAFEGUARD_WEBHOOK_ALLOW_PRIVATE", "") == "1",
    # Delivered outbox events older than this are removed by `safeguard outbox prune` and the daily job.
    "retention_days": int(os.environ.get("SAFEGUARD_OUTBOX_RETENTION_DAYS", "30")),
}


def caches(environ: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Django's cache, shared by every web process so the API's rate limits hold across them: Redis when
    REDIS_URL is set, otherwise a table in the database (created by the api app's migrations).

    SAFEGUARD_CACHE=locmem keeps it in each process (one process only, as in a quick local run); so does the test
    suite unless SAFEGUARD_CACHE=database (a test that needs the shared cache switches to it: tests/api/
    test_api_cache.py), because loading the OpenAPI document at collection, before any database exists, is
    throttled too."""
    env = os.environ if environ is None else environ
    if env.get("REDIS_URL"):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env["REDIS_URL"],
                            "KEY_PREFIX": "safeguard"}}
    wanted = env.get("SAFEGUARD_CACHE") or ("locmem" if env.get("PYTEST_VERSION") else "database")
    if wanted == "locmem":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return DATABASE_CACHE


CACHE_TABLE = "safeguard_cache"
DATABASE_CACHE: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE,
                "OPTIONS": {"MAX_ENTRIES": 50000}}}
CACHES = caches()
