"""Cases at each concern level; caseload and capacity."""

from __future__ import annotations

from typing import Any

import pytest
from insights_cases import allocated, build, ended, numbers, partner, police_returned, sentenced

from safeguard.cases.models import Case
from safeguard.insights.scope import Scope

pytestmark = pytest.mark.django_db


def absent(on: str) -> dict[str, object]:
    return {"on": on, "type": "contact", "kind": "office", "outcome": "unacceptable_absence", "by": "PO1"}


def test_cases_at_each_concern_level() -> None:
    not_da = sentenced("2021-02-01", victims=(), domestic=False)
    # N: an offence against a stranger, nothing asked of the case: concern none.
    build("N", [not_da])
    # W: not a DA case, two unacceptable absences (1 and 3 February): an enforcement decision was due on
    # 10 February and is overdue. Enforcement is not safeguarding work: concern watch.
    build("W", [not_da, absent("2021-02-01"), absent("2021-02-03")])
    # S1, S2: DA cases sentenced 1 February with the police check overdue (and the assessment), with neither
    # high RoSH nor children: safeguarding work overdue, concern serious.
    build("S1", [partner("2021-02-01"), sentenced("2021-02-01")])
    build("S2", [partner("2021-02-01"), sentenced("2021-02-01")])
    # I: a breach of a restraining order on 10 February not acted on: concern immediate.
    build("I", [not_da, {"on": "2021-02-01", "type": "control_imposed", "control": "restraining_order"},
                {"on": "2021-02-10", "type": "control_breached", "control": "restraining_order",
                 "reported_by": "victim"}])
    # X: supervision ended on 1 March: not in the caseload on 31 March.
    build("X", [partner("2021-02-01"), sentenced("2021-02-01"), ended("2021-03-01")])
    # R: a court report only, not yet sentenced (its police check is due by the court date in May): not in
    # the caseload.
    build("R", [{"on": "2021-03-01", "type": "court_report_requested", "court_date": "2021-05-01",
                 "curfew_proposed": True}])
    assert dict(Case.objects.values_list("ref", "concern")) == {
        "N": "none", "W": "watch", "S1": "serious", "S2": "serious", "I": "immediate", "X": "none", "R": "none",
    }
    # The caseload on 31 March: N, W, S1, S2, I = 5.
    assert numbers("concern-none") == (1, 5, 0.2)  # N
    assert numbers("concern-watch") == (1, 5, 0.2)  # W
    assert numbers("concern-serious") == (2, 5, 0.4)  # S1, S2
    assert numbers("concern-immediate") == (1, 5, 0.2)  # I


def caseload(org: dict[str, Any]) -> None:
    """North City: N1, N2, N3 held by PO1 (team A, 37 hours), N4 by PO2 (team B, 18.5 hours), N5 by nobody,
    N6 by PO1 but ended. South Town: S1 held by PSO1 (team C, 37 hours, not DA-trained).
    N1, N2, N4, N5, N6, S1 are DA cases; N3 is not."""
    da = [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-01")]
    not_da = [sentenced("2021-02-01", victims=(), domestic=False)]
    build("N1", [*da, allocated("2021-02-01", "PO1")])
    build("N2", [*da, allocated("2021-02-01", "PO1")])
    build("N3", [*not_da, allocated("2021-02-01", "PO1")])
    build("N4", [*da, allocated("2021-02-01", "PO2")])
    build("N5", da)
    build("N6", [*da, allocated("2021-02-01", "PO1"), ended("2021-03-01")])
    build("S1", [*da, allocated("2021-02-01", "PSO1")], pdu="South Town")


def test_caseload_per_practitioner(org: dict[str, Any]) -> None:
    caseload(org)
    # Held cases: N1, N2, N3, N4, S1 = 5 (N5 unallocated, N6 ended); practitioners: PO1, PO2, PSO1 = 3
    assert numbers("caseload") == (5, 3, 1.6667)
    # North region: N1-N4 = 4 cases, PO1 and PO2 = 2 practitioners
    assert numbers("caseload", scope=Scope(region=org["north"].pk)) == (4, 2, 2.0)
    # Team A: PO1's N1, N2, N3
    assert numbers("caseload", scope=Scope(team=org["team_a"].pk)) == (3, 1, 3.0)
    # PO2: N4
    assert numbers("caseload", scope=Scope(practitioner=org["staff"]["PO2"].pk)) == (1, 1, 1.0)


def test_caseload_per_full_time_practitioner(org: dict[str, Any]) -> None:
    caseload(org)
    # 5 cases; (37 + 18.5 + 37) / 37 = 2.5 full-time practitioners; 5 / 2.5 = 2.0
    assert numbers("caseload-per-fte") == (5, 2.5, 2.0)
    # North City: 4 cases; (37 + 18.5) / 37 = 1.5; 4 / 1.5 = 2.6667
    assert numbers("caseload-per-fte", scope=Scope(unit=org["north_city"].pk)) == (4, 1.5, 2.6667)
    # PO2 works half time: 1 case / 0.5 = 2.0
    assert numbers("caseload-per-fte", scope=Scope(practitioner=org["staff"]["PO2"].pk)) == (1, 0.5, 2.0)


def test_cases_without_a_practitioner(org: dict[str, Any]) -> None:
    caseload(org)
    # The caseload: N1-N5 and S1 = 6; unallocated: N5 = 1; 1 / 6 = 0.1667
    assert numbers("unallocated") == (1, 6, 0.1667)
    # North City: N1-N5 = 5, N5 unallocated: 1 / 5 = 0.2
    assert numbers("unallocated", scope=Scope(unit=org["north_city"].pk)) == (1, 5, 0.2)
    # Team A holds N1-N3; an unallocated case is in no team: 0 / 3
    assert numbers("unallocated", scope=Scope(team=org["team_a"].pk)) == (0, 3, 0.0)


def test_da_cases_held_by_trained_practitioners(org: dict[str, Any]) -> None:
    caseload(org)
    # Held DA cases: N1, N2 (PO1), N4 (PO2), S1 (PSO1) = 4; trained: PO1, PO2 = 3; 3 / 4 = 0.75
    assert numbers("da-trained-allocation") == (3, 4, 0.75)
    # South region: S1 held by PSO1, not trained: 0 / 1
    assert numbers("da-trained-allocation", scope=Scope(region=org["south"].pk)) == (0, 1, 0.0)
