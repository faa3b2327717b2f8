"""The replay corpus: each timeline, modelled on a public case, against what the policy says should happen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from safeguard.policy.engine import catalogue
from safeguard.timeline.replay import replay_timeline
from safeguard.timeline.validate import load_file

HERE = Path(__file__).parent
TIMELINES = sorted(HERE.glob("*.json"))
pytestmark = pytest.mark.django_db


def expected_for(path: Path) -> dict[str, Any]:
    return json.loads((HERE / "expected" / path.name).read_text())


def matches(entry: dict[str, Any], obligation: dict[str, Any]) -> bool:
    return all(obligation.get(k) == v for k, v in entry.items())


@pytest.mark.parametrize("path", TIMELINES, ids=[p.stem for p in TIMELINES])
def test_replay_matches_the_published_case(path: Path) -> None:
    expected = expected_for(path)
    result = replay_timeline(load_file(path))
    by_date = {c["on"]: c for c in result["checkpoints"]}
    assert set(by_date) == set(expected["checkpoints"])
    for day, want in expected["checkpoints"].items():
        listed = by_date[day]["obligations"]
        if "concern" in want:
            assert by_date[day]["concern"] == want["concern"], f"{path.name} {day}"
        for entry in want.get("include", []):
            assert any(matches(entry, o) for o in listed), f"{path.name} {day}: missing {entry}; got {listed}"
        for entry in want.get("exclude", []):
            assert not any(matches(entry, o) for o in listed), f"{path.name} {day}: unexpected {entry}"


def test_every_timeline_has_expectations_and_a_source() -> None:
    assert len(TIMELINES) >= 10
    for path in TIMELINES:
        expected = expected_for(path)
        assert expected["source"].strip() and expected["checkpoints"], path.name


def test_every_rule_is_raised_and_discharged_somewhere_in_the_corpus() -> None:
    raised: set[str] = set()
    discharged: set[str] = set()
    for path in TIMELINES:
        for checkpoint in replay_timeline(load_file(path))["checkpoints"]:
            for o in checkpoint["obligations"]:
                raised.add(o["rule"])
                if o["status"] in {"done", "waived"}:
                    discharged.add(o["rule"])
    rules = {spec.id for spec in catalogue()}
    assert rules - raised == set(), "rules never raised by the corpus"
    assert rules - discharged == set(), "rules never discharged in the corpus"


def test_cli_replay_prints_the_spec_output_on_a_throwaway_database(tmp_path: Path) -> None:
    path = TIMELINES[0]
    env = dict(os.environ, SAFEGUARD_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "safeguard.cli", "replay", str(path), "--json"],
                          capture_output=True, text=True, env=env, check=True)
    document = json.loads(done.stdout)
    assert document["case"] == load_file(path).case["ref"]
    assert [c["on"] for c in document["checkpoints"]] == sorted(expected_for(path)["checkpoints"])
    for checkpoint in document["checkpoints"]:
        assert checkpoint["concern"] in {"none", "watch", "serious", "immediate"}
        for o in checkpoint["obligations"]:
            assert set(o) == {"kind", "status", "due", "opened", "rule", "reason"}
    assert not any(tmp_path.iterdir()), "replay wrote to the real data folder"
