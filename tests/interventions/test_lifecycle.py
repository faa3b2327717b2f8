"""The referral lifecycle table: what it allows, who may, the errors for what it does not, and its diagram."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard.interventions import lifecycle
from safeguard.interventions.docs import interventions_markdown
from safeguard.interventions.lifecycle import (
    START,
    STATUS_CODES,
    TRANSITIONS,
    IllegalTransition,
    TransitionError,
    TransitionNotPermitted,
)

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {t.key for t in TRANSITIONS}


@pytest.mark.parametrize("t", TRANSITIONS, ids=lambda t: f"{t.from_status or 'new'}->{t.to_status}")
def test_every_allowed_transition_is_allowed_for_its_roles_and_refused_to_others(t: lifecycle.Transition) -> None:
    reason = t.reasons[0] if t.reasons else ""
    for role in t.roles:
        assert lifecycle.check(t.from_status, t.to_status, role, reason) is t
    for role in {"practitioner", "spo", "head", "qa", "police", None} - set(t.roles):
        with pytest.raises(TransitionNotPermitted):
            lifecycle.check(t.from_status, t.to_status, role, reason)
    assert t.hint and t.label


def test_the_table_covers_the_issue_statuses_and_events() -> None:
    assert set(STATUS_CODES) == {"referred", "assessed_suitable", "assessed_not_suitable", "suitable_not_ready",
                                 "awaiting_allocation", "scheduled", "on_programme", "completed", "left", "withdrawn"}
    assert lifecycle.EVENT_STATUS == {"referred": "referred", "programme_started": "on_programme",
                                      "programme_completed": "completed", "programme_cancelled": "awaiting_allocation",
                                      "programme_left": "left"}
    # Every status is reachable from a new referral, and every status that is not final has a way on.
    reachable = {START}
    for _ in STATUS_CODES:
        reachable |= {t.to_status for t in TRANSITIONS if t.from_status in reachable}
    assert reachable - {START} == set(STATUS_CODES)
    for s in lifecycle.STATUSES:
        assert bool(lifecycle.allowed_from(s.code)) != s.terminal, s.code


SAMPLE_DISALLOWED = [
    ("referred", "on_programme"),  # no start without a place
    ("referred", "completed"),
    ("referred", "scheduled"),  # suitability first
    ("assessed_suitable", "on_programme"),
    ("awaiting_allocation", "completed"),
    ("scheduled", "completed"),
    ("scheduled", "left"),
    ("on_programme", "withdrawn"),  # leaving is recorded as leaving, with a reason
    ("on_programme", "scheduled"),
    ("completed", "on_programme"),
    ("left", "on_programme"),
    ("withdrawn", "referred"),
    ("assessed_not_suitable", "assessed_suitable"),
    (START, "on_programme"),
    ("referred", "referred"),
]


@pytest.mark.parametrize(("src", "dst"), SAMPLE_DISALLOWED)
def test_a_sample_of_disallowed_transitions_is_refused_with_a_clear_error(src: str, dst: str) -> None:
    assert (src, dst) not in ALLOWED
    with pytest.raises(IllegalTransition) as raised:
        lifecycle.check(src, dst, "spo")
    message = str(raised.value)
    assert f"to '{dst}'" in message
    assert raised.value.from_status == src and raised.value.to_status == dst
    if lifecycle.allowed_from(src):
        for t in lifecycle.allowed_from(src):
            assert f"'{t.to_status}'" in message
    else:
        assert "final status" in message


def test_illegal_transition_message_names_from_to_and_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition) as raised:
        lifecycle.find("referred", "on_programme")
    assert str(raised.value) == (
        "A referral cannot go from 'referred' (referred) to 'on_programme' (on the programme). From there it can go "
        "to: 'assessed_suitable' (assessed as suitable), 'suitable_not_ready' (suitable, not ready), "
        "'assessed_not_suitable' (assessed as not suitable), 'withdrawn' (withdrawn).")
    with pytest.raises(IllegalTransition, match="'completed' is a final status: nothing follows it"):
        lifecycle.find("completed", "referred")


def test_role_error_names_who_may() -> None:
    with pytest.raises(TransitionNotPermitted) as raised:
        lifecycle.check("awaiting_allocation", "scheduled", "practitioner")
    assert str(raised.value) == ("Only a head of delivery unit or senior probation officer can 'Book a place' "
                                 "(awaiting_allocation to scheduled); you are signed in as a probation practitioner.")


def test_a_required_reason_must_be_one_of_the_listed_ones() -> None:
    with pytest.raises(TransitionError, match="needs a reason, one of: non_attendance, deselected"):
        lifecycle.check("on_programme", "left", "practitioner")
    with pytest.raises(TransitionError, match="given: 'bored'"):
        lifecycle.check("on_programme", "left", "practitioner", "bored")
    assert lifecycle.check("on_programme", "left", "practitioner", "moved").event == "programme_left"


def test_allowed_from_filters_by_role_in_table_order() -> None:
    assert [t.to_status for t in lifecycle.allowed_from("awaiting_allocation", "practitioner")] == [
        "suitable_not_ready", "withdrawn"]
    assert [t.to_status for t in lifecycle.allowed_from("awaiting_allocation", "head")] == ["scheduled"]


def test_the_diagram_is_drawn_from_the_table() -> None:
    diagram = lifecycle.mermaid()
    assert diagram.startswith("stateDiagram-v2\n")
    for t in TRANSITIONS:
        src = "[*]" if t.from_status == START else t.from_status
        assert f"    {src} --> {t.to_status}: {t.label}" in diagram
    for s in lifecycle.STATUSES:
        assert (f"    {s.code} --> [*]" in diagram) == s.terminal
    assert "[*] --> referred: Refer (referred)" in diagram
    assert "on_programme --> left: Record leaving (programme_left)" in diagram


def test_docs_interventions_md_is_up_to_date() -> None:
    path = ROOT / "docs" / "interventions.md"
    assert path.read_text() == interventions_markdown(), (
        "docs/interventions.md is out of date: run `safeguard manage interventions_docs`")
    assert lifecycle.mermaid() in path.read_text()
