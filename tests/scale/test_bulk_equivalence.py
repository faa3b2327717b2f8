"""The bulk loader writes what the slow path (every event through record_event) writes. Both project events with the
same rules (actions.projections.Projector); this compares how they read and write the rows, their ids, the
evaluation and the audit chain.

Each load runs in its own process on a database of its own (tests/scale/scaletool.py), as an operator
would run `safeguard synth`; the two dumps are compared table by table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scaledb import own_database, postgres_available

TOOL = Path(__file__).with_name("scaletool.py")


def _load(url: str, how: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, str(TOOL), "load", how, *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_bulk_load_writes_the_same_events_obligations_and_records_as_record_event(vendor: str,
                                                                                   tmp_path: Path) -> None:
    if vendor == "postgresql" and not postgres_available():
        pytest.skip("no PostgreSQL server answers")
    # A national organisation (several teams) on PostgreSQL, the demo's on SQLite: both shapes are covered.
    args = ["60", "5", "2025-06-02", *(["national"] if vendor == "postgresql" else [])]
    with own_database(vendor, tmp_path, "slow") as slow_url, own_database(vendor, tmp_path, "bulk") as bulk_url:
        slow = _load(slow_url, "slow", *args)
        bulk = _load(bulk_url, "bulk", *args)
    assert slow["summary"] == bulk["summary"]
    assert slow["summary"]["cases"] == 60 and not slow["summary"]["errors"]
    assert len(slow["tables"]["event"]) > 1000 and len(slow["tables"]["obligation"]) > 300
    for table, rows in slow["tables"].items():
        assert bulk["tables"][table] == rows, f"{table} differs"
    # The bulk-loaded audit chain verifies, and covers every event, as the slow path's does.
    assert bulk["audit_problems"] == [] and slow["audit_problems"] == []
    assert bulk["events_checked"] == len(bulk["tables"]["event"])
