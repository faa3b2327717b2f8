from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save

from safeguard.limits import check_lengths

GUARD_MIGRATION = "0004_append_only"


def _reinstall_guards(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put the append-only triggers back after every migrate: on SQLite, a migration that alters one of
    the guarded tables rebuilds it, and the rebuild drops its triggers."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from safeguard.audit import guards

    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    # Only once the migration that introduced them is applied (not after migrating back before it).
    if ("audit", GUARD_MIGRATION) in MigrationRecorder(connection).applied_migrations():
        guards.install(connection)


def _check_lengths(sender: type, instance: Any, **kwargs: Any) -> None:
    """Refuse to save a value longer than its column allows (limits.Refused), on SQLite exactly as on PostgreSQL,
    for every model of Safeguard's own, whichever path saves it. Other apps' models keep their own rules."""
    if sender.__module__.startswith("safeguard."):
        check_lengths(instance)


class AuditConfig(AppConfig):
    name = "safeguard.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        post_migrate.connect(_reinstall_guards, sender=self, dispatch_uid="safeguard.audit.reinstall_guards")
        pre_save.connect(_check_lengths, dispatch_uid="safeguard.audit.check_lengths")
