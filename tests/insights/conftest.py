"""The organisation the measure tests count in (regions, units, teams, staff)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from insights_cases import STAFF

from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team


# -- the organisation ------------------------------------------------------------------------------------
@pytest.fixture
def org() -> dict[str, Any]:
    """Two regions; North City (North) with teams A and B, South Town (South) with team C.
    PO1 is in team A, PO2 in team B, PSO1 in team C; SPO1 manages team A."""
    north, south = Region.objects.create(name="North"), Region.objects.create(name="South")
    north_city = DeliveryUnit.objects.create(name="North City", region=north)
    south_town = DeliveryUnit.objects.create(name="South Town", region=south)
    team_a = Team.objects.create(name="Team A", unit=north_city)
    team_b = Team.objects.create(name="Team B", unit=north_city)
    team_c = Team.objects.create(name="Team C", unit=south_town)
    teams = {"PO1": team_a, "PO2": team_b, "PSO1": team_c, "SPO1": team_a}
    hours = {"PO1": 37, "PO2": 18.5, "PSO1": 37, "SPO1": 37}
    for member in STAFF:
        Staff.objects.create(code=member["ref"], grade=member["grade"], da_trained=member["da_trained"],
                             qualified_on=date.fromisoformat(member["qualified_on"]) if member["qualified_on"]
                             else None, team=teams[member["ref"]], contracted_hours=hours[member["ref"]])
    return {"north": north, "south": south, "north_city": north_city, "south_town": south_town,
            "team_a": team_a, "team_b": team_b, "team_c": team_c,
            "staff": {s.code: s for s in Staff.objects.all()}}
