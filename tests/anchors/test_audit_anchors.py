"""Anchors kept off the database catch what the chain alone cannot: entries cut from the end, and a rewrite
of the whole chain with every hash recomputed. Tampering is done as an insider with the table owner's
credentials would: the append-only guards suspended (safeguard.audit.guards.suspended)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection, transaction

from safeguard.audit import guards
from safeguard.audit.anchors import AnchorError, check_and_anchor, read_anchors, scheduled_verify
from safeguard.audit.chain import GENESIS, HASHED_FIELDS, entry_hash, fields_of
from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry
from safeguard.cli import main

pytestmark = pytest.mark.django_db


def entries(n: int, start: int = 1) -> None:
    for k in range(start, start + n):
        write_audit("case.viewed", case_ref=f"X90{k:04d}", object_type="case", object_id=str(k),
                    detail={"source": "web"})


def behind_the_apps_back(sql: str, params: list[object] | None = None) -> None:
    with transaction.atomic(), guards.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def rewrite_whole_chain(new_case_ref: str) -> None:
    """Change the first entry and recompute every hash after it: the chain verifies on its own again."""
    rows = list(AuditEntry.objects.order_by("seq"))
    prev = GENESIS
    for row in rows:
        if row.seq == 1:
            row.case_ref = new_case_ref
        row.prev_hash = prev
        fields = fields_of(row, HASHED_FIELDS)
        row.hash = entry_hash(fields)
        behind_the_apps_back("UPDATE audit_auditentry SET case_ref = %s, prev_hash = %s, hash = %s WHERE id = %s",
                             [row.case_ref, row.prev_hash, row.hash, row.pk])
        prev = row.hash


def test_each_run_checks_earlier_anchors_and_writes_a_new_one(tmp_path: Path) -> None:
    entries(3)
    first = check_and_anchor(tmp_path)
    assert first.intact and first.written is not None and first.earlier == []
    written = json.loads(first.written.read_text())
    assert written["format"] == "safeguard-audit-anchor/1" and written["seq"] == 3 and written["entries"] == 3
    entries(2, start=4)
    second = check_and_anchor(tmp_path)
    assert second.intact and len(second.earlier) == 1 and second.written is not None
    assert sorted(seq for seq, _ in read_anchors(tmp_path)[0]) == [3, 5]


def test_a_whole_chain_rewrite_after_an_anchor_is_detected(tmp_path: Path) -> None:
    entries(4)
    assert check_and_anchor(tmp_path).intact
    rewrite_whole_chain("X999999")
    from safeguard.audit.verify import verify

    assert verify(events=False).intact  # the chain on its own no longer shows the rewrite…
    run = check_and_anchor(tmp_path)
    assert not run.intact  # …the anchor does
    assert run.report.first is not None and run.report.first.kind == "anchor_mismatch"
    assert run.written is None  # a tampered chain is never anchored
    assert len(list(tmp_path.glob("anchor-*.json"))) == 1


def test_entries_cut_from_the_end_after_an_anchor_are_detected(tmp_path: Path) -> None:
    entries(5)
    assert check_and_anchor(tmp_path).intact
    behind_the_apps_back("DELETE FROM audit_auditentry WHERE seq >= 4")
    run = check_and_anchor(tmp_path)
    assert not run.intact and run.report.first is not None
    assert run.report.first.kind == "anchor_mismatch" and "ends at seq 3" in run.report.first.message


def test_the_scheduled_job_and_the_command_fail_loudly_on_tampering(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SAFEGUARD_AUDIT_ANCHOR_DIR", str(tmp_path))
    entries(3)
    assert scheduled_verify()["intact"] is True
    assert main(["audit", "anchor", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["anchors_checked"] == 1
    behind_the_apps_back("DELETE FROM audit_auditentry WHERE seq = 3")
    with pytest.raises(AnchorError, match="verification failed"):
        scheduled_verify()
    assert main(["audit", "anchor"]) == 1
    assert "AUDIT LOG TAMPERED" in capsys.readouterr().out


def test_a_doctored_anchor_file_is_reported_and_a_missing_directory_refused(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    entries(2)
    (tmp_path / "anchor-20260101T000000000000Z-2.json").write_text("{not json")
    run = check_and_anchor(tmp_path)
    assert not run.intact and "not a readable anchor" in run.problems[0]
    monkeypatch.setenv("SAFEGUARD_AUDIT_ANCHOR_DIR", str(tmp_path / "missing"))
    with pytest.raises(AnchorError, match="no such directory"):
        scheduled_verify()
