"""The subject access export for a person on probation: their case, events, obligations and assessments,
with every victim's address and phone, every never-disclose value and marker, other people's names and the
safety plans removed, and a manifest that checks."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from partner_world import REFUGE, VICTIM_PHONE, World
from safeguard.actions import record_event
from safeguard.audit.models import AuditEntry
from safeguard.cli import main
from safeguard.victims.redaction import NEVER_DISCLOSE

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_data_and_nothing_that_locates_or_names_others(
        world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record_event(world.case, {"on": date(2026, 1, 5).isoformat(), "type": "note", "by": "P1",
                              "text": f"Vera Victim says she moved to {REFUGE.lower()}; call her on {VICTIM_PHONE}."},
                 user=world.users["pp"])
    out = tmp_path / "sar.zip"
    assert main(["subject-access", world.case.ref, "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert set(files) == {"manifest.json", "case.json", "events.json", "obligations.json", "assessments.json"}
    manifest = json.loads(files["manifest.json"])
    for name, info in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == info["sha256"]
    text = "\n".join(data.decode() for data in files.values())
    # the person's own data is there
    assert "Adam Northcase" in text and world.case.ref in text
    events = json.loads(files["events.json"])
    assert len(events) == world.case.events.count() and any(e["type"] == "note" for e in events)
    assert json.loads(files["obligations.json"])
    # third parties' data, and anything that would reveal it was withheld, is not
    for secret in (REFUGE, "Hidden Lane", "NT1 9ZZ", VICTIM_PHONE, "Vera Victim", "Cara Child", "Nina",
                   "SAFETY-PLAN-TEXT", "Ida Adviser", NEVER_DISCLOSE, "never disclose", "refuge"):
        assert secret.lower() not in text.lower(), secret
    assert "[withheld]" in text
    assert AuditEntry.objects.filter(action="retention.subject_access", case_ref=world.case.ref).count() == 1


def test_an_unknown_case_or_unwritable_place_is_refused(world: World, tmp_path: Path) -> None:
    assert main(["subject-access", "X000000", "--out", str(tmp_path / "x.zip")]) == 2
    assert main(["subject-access", world.case.ref, "--out", str(tmp_path / "no" / "x.zip")]) == 2
    assert not list(tmp_path.rglob("*.zip"))
