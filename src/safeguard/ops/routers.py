"""Reporting reads go to a read replica when DATABASE_REPLICA_URL is set (settings add the "replica" alias).

Reporting is a context: the insights pages (paths in SAFEGUARD_REPORTING_PATHS, by default /insights/)
and commands such as `safeguard metrics` run inside `reporting()`. Inside it, reads of the case-work apps'
models go to the replica; everything else (sessions, users, the audit log, jobs) and every write stays on
the primary, so signing in and auditing never depend on replication lag. Without a replica, nothing changes.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Apps whose models reporting reads (case work); never auth, sessions, accounts, audit, django_q, api.
REPORTING_APPS = frozenset({"cases", "oversight", "practice", "workforce", "interventions", "assessments",
                            "agencies", "insights", "insights_web", "victims"})

_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("safeguard_reporting", default=False)


@contextmanager
def reporting() -> Iterator[None]:
    """Reads of case-work models in this block may be served by the replica."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def in_reporting() -> bool:
    return _reporting.get()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reporting.get() and replica_configured() and model._meta.app_label in REPORTING_APPS:
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA


class ReportingMiddleware:
    """Requests for reporting pages run inside `reporting()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "SAFEGUARD_REPORTING_PATHS", ("/insights/",)))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.prefixes):
            with reporting():
                return self.get_response(request)
        return self.get_response(request)
