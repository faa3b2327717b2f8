"""A case snapshot's memoised reads, and that a snapshot leaves no garbage cycle behind (the sweep turns the cycle
collector off while it evaluates a chunk of cases: oversight.sweep.collector_paused)."""

from __future__ import annotations

import gc
import weakref
from datetime import date

from safeguard.policy.facts import CaseFacts, make_events

EVENTS = make_events([
    (date(2025, 1, 6), "sentenced", {"order": "community", "requirements": []}),
    (date(2025, 1, 8), "assessed", {"rosh": "medium"}),
    (date(2025, 2, 3), "reviewed", {"rosh": "high"}),
    (date(2025, 3, 3), "contact", {"kind": "office", "outcome": "attended"}),
])


def test_rosh_on_reads_the_level_in_force_at_the_end_of_each_day() -> None:
    facts = CaseFacts(ref="X1", events=EVENTS)
    assert [facts.rosh_on(date(2025, 1, d)) for d in (5, 7, 8)] == [None, None, "medium"]
    assert facts.rosh_on(date(2025, 2, 3)) == "high" and facts.rosh_on(date(2026, 1, 1)) == "high"
    assert facts.until(date(2025, 1, 31)).rosh_on(date(2026, 1, 1)) == "medium"


def test_types_keeps_log_order_across_types() -> None:
    facts = CaseFacts(ref="X1", events=EVENTS)
    assert [e.seq for e in facts.of_type("reviewed", "assessed")] == [1, 2]
    assert [e.seq for e in facts.of_type("contact")] == [3] and facts.of_type("moved") == []
    assert facts.last("assessed", "reviewed") is EVENTS[2] and facts.first("contact", "moved") is EVENTS[3]


def test_a_snapshot_and_its_memoised_reads_are_freed_without_the_cycle_collector() -> None:
    facts = CaseFacts(ref="X1", events=EVENTS)
    earlier = facts.until(date(2025, 1, 31))
    assert facts.until(date(2030, 1, 1)) is facts and facts.until(date(2025, 1, 31)) is earlier
    facts.rosh_on(date(2025, 2, 3)), earlier.of_type("assessed"), facts.household_on(date(2025, 3, 3))
    gone = weakref.ref(facts), weakref.ref(earlier)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del facts, earlier
        assert [ref() for ref in gone] == [None, None]
    finally:
        if was_enabled:
            gc.enable()
