"""`flush`, able to empty the append-only tables: for the test suite only.

Django's TransactionTestCase (and so pytest-django's transactional tests and live_server) empties the
database with `flush` after each test. The append-only triggers reject that (DELETE on SQLite, TRUNCATE
on PostgreSQL), so this override lifts them inside the flush's transaction and puts them back before it
commits. Outside a test run it refuses, unless SAFEGUARD_ALLOW_FLUSH=1 is set: wiping the audit log of
a real database is not something to do by accident.
"""

from __future__ import annotations

import os
from typing import Any

from django.core import mail
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

from safeguard.audit import guards


def _under_test() -> bool:
    # django.test.utils.setup_test_environment() installs mail.outbox for the duration of a test run.
    return hasattr(mail, "outbox")


class Command(FlushCommand):
    help = FlushCommand.help + " Lifts Safeguard's append-only guards for the flush (test runs only)."

    def handle(self, **options: Any) -> None:
        if not (_under_test() or os.environ.get("SAFEGUARD_ALLOW_FLUSH") == "1"):
            raise CommandError("flush would erase the append-only audit log and case event log; it runs only "
                               "under the test suite (or with SAFEGUARD_ALLOW_FLUSH=1 on a throwaway database)")
        connection = connections[options["database"]]
        if connection.vendor not in ("sqlite", "postgresql"):
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias), guards.suspended(connection):
            super().handle(**options)
