"""Upgrading a database whose audit log predates the chain: the migration chains what is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from owndb import VENDORS, Templates, dbtool, safeguard, skip_unless_available


@pytest.mark.parametrize("vendor", VENDORS)
def test_entries_written_before_the_chain_are_chained_by_the_migration(vendor: str, tmp_path: Path,
                                                                       templates: Templates) -> None:
    skip_unless_available(vendor)
    with templates.copy(vendor, "migrated", tmp_path) as url:
        # Back to the audit log as it was, four entries written then, forward again, two entries written now.
        dbtool(url, tmp_path, "migrate", "audit", "0001", "+", "legacy-audit", "4", "+", "migrate", "+",
               "write-audit", "2")
        done = safeguard(url, tmp_path, "audit", "verify", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        report = json.loads(done.stdout)
        assert report["entries"] == 6 and report["head"]["seq"] == 6 and report["guards"] == []
