"""/healthz (the process is alive) and /readyz (the database answers and every migration is applied).

Public and free of data: a load balancer or orchestrator calls them without signing in, and they say
nothing but ok or not ready (with a short reason code).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrated = False  # once every migration is applied, a running process need not ask again


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readiness() -> tuple[bool, str]:
    global _migrated
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return False, "database_unreachable"
    if not _migrated:
        try:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                return False, "migrations_pending"
        except Exception:
            return False, "migrations_unknown"
        _migrated = True
    return True, "ok"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, reason = readiness()
    return JsonResponse({"status": "ok" if ready else "not_ready", "reason": reason}, status=200 if ready else 503)


def reset_for_tests() -> None:
    global _migrated
    _migrated = False
