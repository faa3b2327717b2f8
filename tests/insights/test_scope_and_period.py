"""Every measure counts for any scope (country, region, unit, team, practitioner) and period; the common rules
for judging obligations (withdrawn, waived, pending)."""

from __future__ import annotations

from typing import Any

import pytest
from insights_cases import (
    AS_OF,
    FEBRUARY,
    MARCH,
    allocated,
    build,
    numbers,
    partner,
    police_returned,
    sentenced,
)

from safeguard.insights.scope import Period, Scope, ScopeError, resolve_scope
from safeguard.oversight.models import Obligation

pytestmark = pytest.mark.django_db


def checks_across_the_organisation() -> None:
    """Rule 3 police checks for DA cases sentenced on 1 February (due 8 February):
    N1 North City, PO1 (team A): returned 4 February, met;   N2 North City, PO2 (team B): never, not met;
    N3 North City, unallocated: returned 5 February, met;    S1 South Town, PSO1 (team C): never, not met;
    M1 North City, PO1, sentenced 1 March (due 8 March): returned 2 March, met."""
    def da(on: str) -> list[dict[str, object]]:
        return [partner(on), sentenced(on)]

    build("N1", [*da("2021-02-01"), allocated("2021-02-01", "PO1"), police_returned("2021-02-04")])
    build("N2", [*da("2021-02-01"), allocated("2021-02-01", "PO2")])
    build("N3", [*da("2021-02-01"), police_returned("2021-02-05")])
    build("S1", [*da("2021-02-01"), allocated("2021-02-01", "PSO1")], pdu="South Town")
    build("M1", [*da("2021-03-01"), allocated("2021-03-01", "PO1"), police_returned("2021-03-02")])


def test_scope_filters_by_region_unit_team_and_practitioner(org: dict[str, Any]) -> None:
    checks_across_the_organisation()
    # Country: N1, N3, M1 met of N1, N2, N3, S1, M1: 3 / 5
    assert numbers("police-checks") == (3, 5, 0.6)
    # North region = North City: N1, N3, M1 met of N1, N2, N3, M1: 3 / 4
    assert numbers("police-checks", scope=Scope(region=org["north"].pk)) == (3, 4, 0.75)
    assert numbers("police-checks", scope=Scope(unit=org["north_city"].pk)) == (3, 4, 0.75)
    # South region: S1 not met: 0 / 1
    assert numbers("police-checks", scope=Scope(region=org["south"].pk)) == (0, 1, 0.0)
    # Team A (PO1): N1, M1 met: 2 / 2; team B (PO2): N2 not met: 0 / 1; N3 has no practitioner, so no team
    assert numbers("police-checks", scope=Scope(team=org["team_a"].pk)) == (2, 2, 1.0)
    assert numbers("police-checks", scope=Scope(team=org["team_b"].pk)) == (0, 1, 0.0)
    # Practitioner PSO1: S1 not met: 0 / 1
    assert numbers("police-checks", scope=Scope(practitioner=org["staff"]["PSO1"].pk)) == (0, 1, 0.0)


def test_period_filters_by_the_day_the_obligation_opened(org: dict[str, Any]) -> None:
    checks_across_the_organisation()
    # February: N1, N3 met of N1, N2, N3, S1: 2 / 4
    assert numbers("police-checks", period=FEBRUARY) == (2, 4, 0.5)
    # March: M1 met: 1 / 1
    assert numbers("police-checks", period=MARCH) == (1, 1, 1.0)
    # An open end: from 1 March onwards, only M1
    assert numbers("police-checks", period=Period(start=MARCH.start)) == (1, 1, 1.0)
    # North City in February: N1, N3 met of N1, N2, N3: 2 / 3
    assert numbers("police-checks", scope=Scope(unit=org["north_city"].pk), period=FEBRUARY) == (2, 3, 0.6667)


def test_team_and_practitioner_follow_the_practitioner_who_holds_the_case_now(org: dict[str, Any]) -> None:
    build("N2", [partner("2021-02-01"), sentenced("2021-02-01"), allocated("2021-02-01", "PO2"),
                 {"on": "2021-03-01", "type": "transferred", "practitioner": "PO1"}])
    # N2's missed check (February) now counts against PO1 and team A, no longer against PO2 and team B.
    assert numbers("police-checks", scope=Scope(practitioner=org["staff"]["PO1"].pk)) == (0, 1, 0.0)
    assert numbers("police-checks", scope=Scope(team=org["team_b"].pk)) == (0, 0, None)


def test_withdrawn_obligations_are_not_counted() -> None:
    build("A", [partner("2021-02-01"), sentenced("2021-02-01")])  # check overdue
    build("C", [partner("2021-02-01"), sentenced("2021-02-01")])  # check overdue
    assert numbers("police-checks") == (0, 2, 0.0)
    # The record no longer supports A's obligation: reconcile marks it withdrawn (as it would after a correction).
    Obligation.objects.filter(case__ref="A", rule="police-check-at-start").update(status="withdrawn", closed_on=AS_OF)
    # numerator: 0; denominator: C = 1
    assert numbers("police-checks") == (0, 1, 0.0)


def test_an_open_obligation_past_its_deadline_counts_as_missed_even_before_the_sweep_marks_it() -> None:
    # Evaluated on 5 February, the check (due 8 February) is stored as "due"; counted as of 31 March it has
    # been missed.
    build("A", [partner("2021-02-01"), sentenced("2021-02-01")], as_of=FEBRUARY.start.replace(day=5))
    assert Obligation.objects.get(rule="police-check-at-start").status == "due"
    assert numbers("police-checks") == (0, 1, 0.0)
    # As of 5 February it is still pending.
    assert numbers("police-checks", as_of=FEBRUARY.start.replace(day=5)) == (0, 0, None)


def test_scopes_are_resolved_from_names(org: dict[str, Any]) -> None:
    assert resolve_scope() == Scope()
    assert resolve_scope(region="North").region == org["north"].pk
    assert resolve_scope(pdu="South Town").unit == org["south_town"].pk
    assert resolve_scope(team="Team B").team == org["team_b"].pk
    assert resolve_scope(team="North City/Team A").team == org["team_a"].pk
    assert resolve_scope(practitioner="PSO1").practitioner == org["staff"]["PSO1"].pk
    with pytest.raises(ScopeError, match="no region"):
        resolve_scope(region="Atlantis")
    with pytest.raises(ScopeError, match="one of"):
        resolve_scope(region="North", pdu="North City")
    org["team_a"].__class__.objects.create(name="Team B", unit=org["south_town"])
    with pytest.raises(ScopeError, match="Unit/Team"):
        resolve_scope(team="Team B")


def test_a_users_measures_open_on_the_scope_their_role_sees(org: dict[str, Any]) -> None:
    from django.contrib.auth.models import User

    from safeguard.accounts.models import Profile
    from safeguard.insights.scope import default_scope

    def user(name: str, role: str, staff: str | None = None, unit: Any = None) -> User:
        u = User.objects.create_user(name)
        Profile.objects.create(user=u, role=role, unit=unit)
        if staff:
            org["staff"][staff].user = u
            org["staff"][staff].save()
            u.refresh_from_db()
        return u

    assert default_scope(user("po", "practitioner", "PO2")) == Scope(practitioner=org["staff"]["PO2"].pk,
                                                                      label="PO2 (PO2)")
    assert default_scope(user("spo", "spo", "SPO1")) == Scope(team=org["team_a"].pk, label="Team A (North City)")
    assert default_scope(user("head", "head", unit=org["south_town"])) == Scope(unit=org["south_town"].pk,
                                                                                 label="South Town")
    assert default_scope(user("qa", "qa", unit=org["north_city"])) == Scope(region=org["north"].pk, label="North")
    assert default_scope(user("police", "police", unit=org["north_city"])) is None
