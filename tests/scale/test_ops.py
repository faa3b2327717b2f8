"""Running it for real: health checks, JSON request logs, metrics, the replica router."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from safeguard.cases.models import Case
from safeguard.ops import health
from safeguard.ops.logs import JsonFormatter
from safeguard.ops.routers import REPLICA, ReplicaRouter, ReportingMiddleware, in_reporting, reporting
from safeguard.scale.commands import gunicorn_argv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_readiness() -> None:
    health.reset_for_tests()


# -- health -------------------------------------------------------------------------------------------
def test_healthz_answers_ok_without_signing_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_when_the_database_answers_and_migrations_are_applied(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "reason": "ok"}


def test_readyz_is_not_ready_while_migrations_are_pending(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.db.migrations.executor.MigrationExecutor.migration_plan",
                        lambda self, targets: [("pending", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready", "reason": "migrations_pending"}


def test_readyz_is_not_ready_when_the_database_does_not_answer(client: Client,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    class Down:
        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connections", {"default": Down()})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "database_unreachable"


# -- logs ---------------------------------------------------------------------------------------------
class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def request_log() -> Any:
    handler = Lines()
    logger = logging.getLogger("safeguard.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_is_logged_as_json_with_its_request_id(client: Client, request_log: Lines) -> None:
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    line = json.loads(request_log.lines[-1])
    assert line["request_id"] == request_id and len(request_id) >= 8
    assert line["route"] == "healthz" and line["status"] == 200 and line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)
    assert response["Server-Timing"].startswith("app;dur=")


def test_a_callers_request_id_is_kept_and_a_bad_one_replaced(client: Client, request_log: Lines) -> None:
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")["X-Request-ID"] == "lb-0123456789abcdef"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="Jane Smith <script>")["X-Request-ID"]
    assert "Jane" not in replaced
    assert "Jane" not in "".join(request_log.lines)


def test_logs_carry_no_names_query_strings_posted_data_or_case_refs(client: Client, request_log: Lines) -> None:
    user = get_user_model().objects.create_user("pp.log", password="a-long-password-for-tests")
    client.force_login(user)
    client.get("/caseload/?q=Jane+Smith&ref=X123456")
    client.post("/caseload/search/", {"search": "Jane Smith", "query": "ref=X123456"})
    client.get("/cases/X123456/")
    text = "\n".join(request_log.lines)
    assert len(request_log.lines) == 3
    for secret in ("Jane", "Smith", "X123456", "search=", "pp.log", "q="):
        assert secret not in text
    routes = [json.loads(line)["route"] for line in request_log.lines]
    assert routes == ["caseload/", "caseload/search/", "cases/<str:ref>/"]
    assert all(json.loads(line)["user_id"] == user.pk for line in request_log.lines)


def test_other_log_lines_written_while_serving_a_request_carry_its_id() -> None:
    from safeguard.ops.logs import request_id_var

    token = request_id_var.set("abcdef0123456789")
    try:
        record = logging.LogRecord("safeguard.x", logging.WARNING, __file__, 1, "something happened", None, None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line == {**line, "request_id": "abcdef0123456789", "level": "warning", "message": "something happened"}


# -- metrics ------------------------------------------------------------------------------------------
def test_metrics_are_served_to_loopback(client: Client) -> None:
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "safeguard_request_seconds_bucket" in text
    assert 'safeguard_obligations{status="overdue"}' in text
    assert "safeguard_sweep_backlog_cases" in text and "safeguard_sweep_lag_days" in text


def test_metrics_are_hidden_from_other_addresses_and_proxied_requests(client: Client) -> None:
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404


def test_metrics_are_served_anywhere_with_the_token(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUARD_METRICS_TOKEN", "s3cret-token-for-tests")
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3",
                      HTTP_AUTHORIZATION="Bearer s3cret-token-for-tests").status_code == 200


# -- the replica router -------------------------------------------------------------------------------
def test_without_a_replica_everything_uses_the_primary(settings: Any) -> None:
    router = ReplicaRouter()
    with reporting():
        assert router.db_for_read(Case) is None


def test_reporting_reads_of_case_work_go_to_the_replica_and_nothing_else_does(settings: Any) -> None:
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"]}}
    router = ReplicaRouter()
    assert router.db_for_read(Case) is None  # a practitioner's page: the primary
    with reporting():
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_read(get_user_model()) is None  # sign-in and sessions stay on the primary
        assert router.db_for_write(Case) == "default"
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate("default", "cases") is True


def test_insights_pages_are_served_in_the_reporting_context() -> None:
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(in_reporting())
        return HttpResponse("ok")

    middleware = ReportingMiddleware(view)
    middleware(RequestFactory().get("/insights/measures/"))
    middleware(RequestFactory().get("/caseload/"))
    assert seen == [True, False]


def test_serve_runs_gunicorn_with_threads_timeouts_and_recycling() -> None:
    from argparse import Namespace

    argv = gunicorn_argv(Namespace(bind="127.0.0.1:8123", workers=3, threads=2, preload=False))
    assert argv[:2] == ["gunicorn", "safeguard.wsgi:application"]
    for flag in ("--workers", "--threads", "--timeout", "--max-requests", "--graceful-timeout"):
        assert flag in argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"


def test_a_web_worker_compiles_the_new_information_patterns_as_it_starts() -> None:
    import importlib
    import sys

    from safeguard.signals import detector

    detector._matcher.cache_clear()
    sys.modules.pop("safeguard.wsgi", None)
    importlib.import_module("safeguard.wsgi")  # what each gunicorn worker (or the master with --preload) imports
    assert detector._matcher.cache_info().currsize == 1 and detector._cues.cache_info().currsize == 1


def _database_options(env: dict[str, str]) -> dict[str, Any]:
    import os
    import subprocess
    import sys

    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))")
    env = {**{k: v for k, v in os.environ.items() if k != "SAFEGUARD_PG_PREPARED"},
           "DJANGO_SETTINGS_MODULE": "safeguard.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_postgresql_binds_on_the_server_and_prepares_unless_told_not_to() -> None:
    url = "postgres://postgres@127.0.0.1:5432/safeguard_any"
    assert _database_options({"DATABASE_URL": url}) == {"server_side_binding": True, "prepare_threshold": 5}
    assert _database_options({"DATABASE_URL": url, "SAFEGUARD_PG_PREPARED": "0"}) == {}
    assert "server_side_binding" not in _database_options({"DATABASE_URL": "sqlite:////tmp/safeguard-any.sqlite3"})


@pytest.mark.django_db
def test_a_query_asked_often_is_planned_once_per_connection() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(6):  # psycopg prepares a statement after its fifth use (settings: prepare_threshold)
        assert not Case.objects.filter(ref="NOT-A-CASE").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"cases_case"' in text and "$1" in text for text in prepared), prepared
