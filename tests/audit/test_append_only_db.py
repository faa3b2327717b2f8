"""The audit log and the case event log are append-only IN THE DATABASE: raw SQL cannot change them."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from safeguard.audit import guards
from safeguard.audit.apps import _reinstall_guards
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import CaseEvent
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db


def refused(sql: str) -> None:
    """`sql` fails in the database (the savepoint keeps the test's transaction usable on PostgreSQL)."""
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE first insists on the deferred foreign-key checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(sql)


@pytest.fixture
def events(timeline_doc: dict[str, Any]) -> None:
    import_timeline(validate_document(timeline_doc, "t.json"))


def test_the_guards_are_in_place_after_migrating() -> None:
    assert guards.problems(connection) == []


def test_update_of_the_audit_table_fails_in_the_database(chain: list[AuditEntry]) -> None:
    refused("UPDATE audit_auditentry SET action = 'case.nothing_to_see' WHERE seq = 2")
    refused("UPDATE audit_auditentry SET ip = '192.0.2.1'")
    assert AuditEntry.objects.get(seq=2).action == "case.viewed"


def test_delete_from_the_audit_table_fails_in_the_database(chain: list[AuditEntry]) -> None:
    refused("DELETE FROM audit_auditentry WHERE seq = 5")
    refused("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 5


def test_update_of_the_case_event_log_fails_in_the_database(events: None) -> None:
    refused("UPDATE cases_caseevent SET type = 'note' WHERE seq = 1")
    refused("UPDATE cases_caseevent SET payload = '{}'")
    assert set(CaseEvent.objects.values_list("type", flat=True)) != {"note"}


def test_delete_from_the_case_event_log_fails_in_the_database(events: None) -> None:
    refused("DELETE FROM cases_caseevent WHERE seq = 6")
    refused("DELETE FROM cases_caseevent")
    assert CaseEvent.objects.count() == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_fails_on_postgresql(chain: list[AuditEntry], events: None) -> None:
    refused("TRUNCATE audit_auditentry")
    refused("TRUNCATE cases_caseevent CASCADE")
    assert AuditEntry.objects.exists() and CaseEvent.objects.exists()


def test_inserting_is_still_allowed(events: None) -> None:
    assert CaseEvent.objects.count() == 6 and AuditEntry.objects.count() == 7


def test_a_dropped_guard_is_reported_and_put_back_by_migrate() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute('DROP TRIGGER "audit_auditentry_no_delete"')
        else:
            cursor.execute('ALTER TABLE audit_auditentry DISABLE TRIGGER "audit_auditentry_append_only"')
    assert guards.problems(connection)
    _reinstall_guards(sender=apps.get_app_config("audit"), using="default")  # what post_migrate does
    assert guards.problems(connection) == []


@pytest.mark.django_db(transaction=True)
def test_the_guards_are_lifted_only_inside_a_transaction_and_come_back() -> None:
    with pytest.raises(RuntimeError), guards.suspended(connection):
        pass
    with transaction.atomic():
        with guards.suspended(connection):
            assert guards.problems(connection)
        assert guards.problems(connection) == []
    with pytest.raises(ZeroDivisionError), transaction.atomic(), guards.suspended(connection):
        1 / 0  # noqa: B018  (the rollback puts the guards back)
    assert guards.problems(connection) == []
    # This test is transactional: its teardown flushes the database through the flush override.


def test_flush_refuses_outside_the_test_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    from safeguard.audit.management.commands import flush

    monkeypatch.setattr(flush, "_under_test", lambda: False)
    monkeypatch.delenv("SAFEGUARD_ALLOW_FLUSH", raising=False)
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
