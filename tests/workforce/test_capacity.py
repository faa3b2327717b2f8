"""Team capacity from the records: each practitioner's points held, points available, percentage."""

from __future__ import annotations

from datetime import date
from typing import Any

from iv_scenarios import Org, build_case, da_case, da_events

from safeguard.workforce.capacity import case_weight, team_capacity

DAY = date(2024, 6, 1)


def cases(org: Org) -> None:
    da_case("X700001", practitioner="P1")  # tier C 6 + domestic abuse 2 = 8
    build_case("X700002", [  # tier B 9 + DA 2 + SARA high 2 + a child 2 + MARAC 1 + restraining order 1 = 17
        *da_events(practitioner="P1", rosh="high", sara_partner="high"),
        {"on": "2024-01-06", "type": "person_added", "ref": "C1", "relationship": "child", "born": "2019-02-02"},
        {"on": "2024-01-07", "type": "marac_referred", "reason": "Strangulation"},
        {"on": "2024-01-08", "type": "control_imposed", "control": "restraining_order", "protects": ["V1"],
         "until": "2026-01-08"},
    ])
    da_case("X700003", practitioner="P4", rosh="low", sara_partner="low")  # tier D 3 + DA 2 = 5
    build_case("X700004", [*da_events(practitioner="P1"),  # ended: not held
                           {"on": "2024-02-01", "type": "supervision_ended", "reason": "completed"}])


def test_case_points_from_the_records(org: Org) -> None:
    cases(org)
    from safeguard.cases.models import Case

    weight = case_weight(Case.objects.get(ref="X700002"), DAY)
    assert weight.explanation == ("tier B 9 + domestic abuse 2 + sara high 2 + children 2 + marac 1 + controls 1 "
                                  "= 17 points")
    # After the restraining order ends it no longer counts.
    assert case_weight(Case.objects.get(ref="X700002"), date(2026, 2, 1)).points == 16


def test_team_capacity_worked_by_hand(org: Org) -> None:
    cases(org)
    rows = {row.staff.code: row for row in team_capacity(org.team, DAY)}
    assert set(rows) == {"P1", "P2", "P3", "P4", "S1"}
    # P1: PO, 37 hours: 200 points available; holds 8 + 17 = 25: 12.5%.
    assert (rows["P1"].cases, rows["P1"].capacity.used, rows["P1"].capacity.available, rows["P1"].percent,
            rows["P1"].high_risk_da) == (2, 25, 200, 12.5, 1)
    # P4: PO, 18.5 hours: 100 points; holds 5: 5%.
    assert (rows["P4"].cases, rows["P4"].capacity.used, rows["P4"].capacity.available, rows["P4"].percent) == (
        1, 5, 100, 5)
    # P3: PQiP, 37 hours: 100 points (a protected caseload); P2 PSO 200; S1 SPO 40. None held.
    assert [(rows[c].capacity.available, rows[c].percent) for c in ("P3", "P2", "S1")] == [
        (100, 0), (200, 0), (40, 0)]


def test_weighting_settings_change_the_figures(org: Org, settings: Any) -> None:
    cases(org)
    settings.SAFEGUARD_WORKLOAD = {"complexity_points": {"domestic_abuse": 4}, "grade_points": {"PO": 100}}
    rows = {row.staff.code: row for row in team_capacity(org.team, DAY)}
    # P1: (6 + 4) + (9 + 4 + 2 + 2 + 1 + 1) = 29 of 100.
    assert (rows["P1"].capacity.used, rows["P1"].capacity.available, rows["P1"].percent) == (29, 100, 29)
