"""Replay: real actions on a rolled-back transaction, checkpoints as in the spec, what-if policies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.models import Obligation
from safeguard.policy.policyfile import load_policy
from safeguard.timeline.replay import replay_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db


def police_check(result: dict[str, Any], day: str) -> dict[str, Any]:
    checkpoint = next(c for c in result["checkpoints"] if c["on"] == day)
    return next(o for o in checkpoint["obligations"] if o["rule"] == "police-check-at-start")


def test_replay_reports_open_then_done_since_the_previous_checkpoint(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["checkpoints"] = ["2021-06-04", "2021-06-10", "2021-06-20", "2021-07-01"]
    result = replay_timeline(validate_document(timeline_doc, "t.json"))
    assert result["case"] == "X900001"
    assert [c["on"] for c in result["checkpoints"]] == timeline_doc["checkpoints"]
    assert police_check(result, "2021-06-04") | {"reason": ""} == {
        "kind": "police_check", "status": "due", "due": "2021-06-08", "opened": "2021-06-01",
        "rule": "police-check-at-start", "reason": ""}
    assert police_check(result, "2021-06-10")["status"] == "overdue"
    assert police_check(result, "2021-06-20")["status"] == "done"
    last = result["checkpoints"][-1]["obligations"]
    assert not any(o["rule"] == "police-check-at-start" for o in last), "done before the previous checkpoint"


def test_replay_leaves_nothing_behind(timeline_doc: dict[str, Any]) -> None:
    replay_timeline(validate_document(timeline_doc, "t.json"))
    assert Case.objects.count() == CaseEvent.objects.count() == Obligation.objects.count() == 0


def test_what_if_replay_under_another_policy(timeline_doc: dict[str, Any], tmp_path: Path) -> None:
    shorter = tmp_path / "shorter.toml"
    shorter.write_text('[policy]\nversion = "what-if"\n[rules.police-check-at-start]\ndeadline_working_days = 1\n')
    timeline = validate_document(timeline_doc, "t.json")
    default = replay_timeline(timeline)
    what_if = replay_timeline(timeline, load_policy(shorter))
    assert police_check(default, "2021-06-04")["status"] == "due"
    assert police_check(what_if, "2021-06-04") | {"reason": ""} == {
        "kind": "police_check", "status": "overdue", "due": "2021-06-02", "opened": "2021-06-01",
        "rule": "police-check-at-start", "reason": ""}
    # The what-if policy does not leak into the next replay.
    assert police_check(replay_timeline(timeline), "2021-06-04")["due"] == "2021-06-08"
