"""Allocation ranking: fit first (consistent with policy rules 9 and 10), then capacity after the allocation."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from iv_scenarios import Org, build_case, da_case, da_events

from safeguard.actions import record_event
from safeguard.oversight.models import OPEN, Obligation
from safeguard.workforce.allocation import (
    FIT,
    NEEDS_COUNTERSIGNATURE,
    UNFIT,
    Candidate,
    CaseNeed,
    advice,
    rank,
)
from safeguard.workforce.capacity import allocation_options
from safeguard.workforce.weighting import Capacity

DAY = date(2024, 6, 1)
HIGH_DA = CaseNeed("X1", points=13, domestic_abuse=True, rosh="high", children=False)


def person(ref: str, grade: str, used: int, *, trained: bool = True, qualified: date | None = date(2015, 9, 1),
           available: float = 200) -> Candidate:
    return Candidate(ref, f"Name {ref}", grade, qualified if grade not in {"PSO", "PQiP"} else None, trained,
                     Capacity(used, available))


def test_a_pso_is_never_first_for_a_high_risk_da_case_when_a_trained_po_has_capacity() -> None:
    pso = person("PSO1", "PSO", used=20, trained=False)  # 10%: far more room
    po = person("PO1", "PO", used=120)  # 60%
    pqip = person("PQ1", "PQiP", used=40)
    options = rank(HIGH_DA, [pso, pqip, po], DAY)
    assert [(o.rank, o.candidate.ref, o.fit) for o in options] == [
        (1, "PO1", FIT), (2, "PQ1", NEEDS_COUNTERSIGNATURE), (3, "PSO1", UNFIT)]
    best = options[0]
    # Capacity after the allocation is shown: 120 + 13 = 133 of 200.
    assert (best.capacity_now, best.capacity_after, best.capacity_text) == (60, 66.5, "60% now, 67% after")
    assert best.reasons[-1] == "Capacity 60% now, 67% after this case (+13 points; 133 of 200 available)"
    assert best.reasons[0] == "probation officer, trained in domestic abuse, qualified 1 September 2015 (8 years)"
    assert options[2].reasons[1].startswith("Rule 10: a domestic abuse case with RoSH high should not be held by a PSO")
    assert options[1].reasons[1] == ("Rule 9: a PQiP, so an SPO must countersign their work on a domestic abuse "
                                     "case with RoSH high")
    assert advice(options) == "Recommended: Name PO1."


def test_an_untrained_po_is_unfit_and_a_newly_qualified_one_needs_countersigning() -> None:
    untrained = person("PO2", "PO", used=0, trained=False)
    new = person("PO3", "PO", used=0, qualified=date(2023, 9, 1))  # 9 months before DAY
    old = person("PO4", "PO", used=190)  # 95% now, 101.5% after: over capacity
    options = rank(HIGH_DA, [untrained, new, old], DAY)
    assert [(o.candidate.ref, o.fit, o.over_after) for o in options] == [
        ("PO4", FIT, True), ("PO3", NEEDS_COUNTERSIGNATURE, False), ("PO2", UNFIT, False)]
    assert "qualified under 12 months" in options[1].reasons[1]
    assert options[0].reasons[-1].endswith(": over capacity")
    assert advice(options) == "Recommended: Name PO4 (over capacity: consider rebalancing the team's cases)."


def test_within_a_fit_group_those_within_capacity_come_first_then_the_lowest_after() -> None:
    full = person("PO1", "PO", used=195)
    half = person("PO2", "PO", used=100)
    part_time = person("PO3", "PO", used=50, available=100)  # 50% now, 63 of 100 after
    # PO2: 113 of 200 after = 56.5%, shown 57% (halves round up); PO1: 208 of 200 = 104%, over capacity.
    options = rank(HIGH_DA, [full, half, part_time], DAY)
    assert [o.candidate.ref for o in options] == ["PO2", "PO3", "PO1"]
    assert [o.capacity_text for o in options] == ["50% now, 57% after", "50% now, 63% after", "98% now, 104% after"]


def test_when_only_unfit_practitioners_remain_the_advice_names_rule_10() -> None:
    options = rank(HIGH_DA, [person("PSO1", "PSO", 10, trained=False), person("PSO2", "PSO", 50, trained=True)], DAY)
    assert [o.fit for o in options] == [UNFIT, UNFIT]
    assert options[0].candidate.ref == "PSO1"
    assert advice(options).startswith("Nobody who fits this case is available. If it goes to Name PSO1, policy rule "
                                      "10 will ask for a transfer or a manager decision")
    assert advice([]).startswith("Nobody in the team")


def test_lower_risk_cases_go_by_capacity_and_children_bring_in_rule_9() -> None:
    medium = CaseNeed("X2", points=8, domestic_abuse=True, rosh="medium", children=False)
    pso, po = person("PSO1", "PSO", 20, trained=False), person("PO1", "PO", 120)
    assert [(o.candidate.ref, o.fit) for o in rank(medium, [po, pso], DAY)] == [("PSO1", FIT), ("PO1", FIT)]
    with_children = CaseNeed("X3", points=10, domestic_abuse=True, rosh="medium", children=True)
    options = rank(with_children, [po, pso], DAY)
    assert [(o.candidate.ref, o.fit) for o in options] == [("PO1", FIT), ("PSO1", NEEDS_COUNTERSIGNATURE)]
    assert "children involved" in options[1].reasons[1]
    not_da = CaseNeed("X4", points=9, domestic_abuse=False, rosh="high", children=True)
    assert [o.fit for o in rank(not_da, [po, pso], DAY)] == [FIT, FIT]


grades = st.sampled_from(["PO", "PQiP", "PSO"])
candidates = st.lists(st.builds(lambda i, g, used, trained: person(f"S{i}", g, used, trained=trained),
                                st.integers(0, 999), grades, st.integers(0, 260), st.booleans()),
                      min_size=1, max_size=8, unique_by=lambda c: c.ref)


@given(candidates, st.sampled_from(["high", "very_high"]))
def test_property_nobody_unfit_outranks_anyone_fit(people: list[Candidate], rosh: str) -> None:
    need = CaseNeed("X", points=12, domestic_abuse=True, rosh=rosh, children=False)
    options = rank(need, people, DAY)
    fits = [o.fit for o in options]
    assert fits == sorted(fits, key=[FIT, NEEDS_COUNTERSIGNATURE, UNFIT].index)
    for o in options:
        assert (o.fit == UNFIT) == (o.candidate.grade == "PSO" or not o.candidate.da_trained)
    if any(o.fit != UNFIT for o in options):
        assert options[0].candidate.grade != "PSO" and options[0].candidate.da_trained


def test_allocation_options_from_the_records_and_following_them_raises_no_rule_10(org: Org) -> None:
    # P1 already holds a medium case (8 points); the new case is high RoSH, SARA high: 9 + 2 + 2 = 13 points.
    da_case("X600001", practitioner="P1")
    case = build_case("X600002", da_events(practitioner="S1", rosh="high", sara_partner="high"))
    need, weight, options = allocation_options(case, org.team, DAY)
    assert weight.points == 13 and need.high_risk_da
    # P1: 8 of 200 = 4% now, 21 of 200 = 10.5% after; P4 is part-time (18.5 hours: 100 points): 0% now, 13% after.
    assert [(o.candidate.ref, o.fit) for o in options] == [
        ("P1", FIT), ("P4", FIT), ("P3", NEEDS_COUNTERSIGNATURE), ("P2", UNFIT)]
    assert [o.capacity_text for o in options[:2]] == ["4% now, 11% after", "0% now, 13% after"]
    record_event(case, {"on": "2024-01-08", "type": "transferred", "practitioner": options[0].candidate.ref,
                        "area_changed": False})
    assert not Obligation.objects.filter(case=case, kind="allocation_review", status__in=OPEN).exists()
    record_event(case, {"on": "2024-01-09", "type": "transferred", "practitioner": options[-1].candidate.ref,
                        "area_changed": False})
    assert Obligation.objects.filter(case=case, kind="allocation_review", status__in=OPEN).exists()
