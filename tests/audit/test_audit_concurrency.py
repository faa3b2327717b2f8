"""Writers on different connections never fork the chain."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from owndb import DBTOOL, VENDORS, Templates, environment, safeguard, skip_unless_available
from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import verify


def _in_a_thread(action: str, case_ref: str) -> None:
    """write_audit on a connection of the thread's own, closed afterwards."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            write_audit(action, case_ref=case_ref)
        except BaseException as exc:  # noqa: BLE001  (re-raised in the test's thread)
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]


@pytest.mark.django_db(transaction=True)
def test_two_writes_in_sequence_from_different_connections_keep_one_chain() -> None:
    _in_a_thread("case.viewed", "X1")
    _in_a_thread("case.viewed", "X2")
    first, second = AuditEntry.objects.order_by("seq")
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    write_audit("case.viewed", case_ref="X3")  # and this test's own connection continues the same chain
    assert verify().intact and verify().entries == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent threads need a server database")
def test_concurrent_writers_in_threads_keep_one_chain() -> None:
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(30)
            for i in range(10):
                write_audit("case.viewed", case_ref=f"X{n}", object_id=str(i))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    report = verify()
    assert report.intact and report.entries == 60


@pytest.mark.parametrize("vendor", VENDORS)
def test_concurrent_processes_keep_one_chain(vendor: str, tmp_path: Path, templates: Templates) -> None:
    """Three processes append at once to a database of the test's own (a file on SQLite, where the write
    transaction is the lock; a throwaway database on PostgreSQL, where an advisory lock is)."""
    skip_unless_available(vendor)
    with templates.copy(vendor, "migrated", tmp_path) as url:
        command = [sys.executable, str(DBTOOL), "write-audit", "10"]
        writers = [subprocess.Popen(command, env=environment(url, tmp_path), cwd=tmp_path, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for _ in range(3)]
        for writer in writers:
            out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, err
        done = safeguard(url, tmp_path, "audit", "verify", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert '"entries": 30' in done.stdout
