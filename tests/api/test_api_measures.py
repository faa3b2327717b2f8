"""The inspection measures through the API: the caller's own scope by default, only the levels they may open,
each figure with its numerator and denominator, the same numbers safeguard.insights.measures computes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeguard.insights.measures import MEASURES, measure, today
from safeguard.insights.scope import Period, Scope
from safeguard.workforce.models import Staff

pytestmark = pytest.mark.django_db


def test_a_practitioner_gets_every_measure_for_their_own_cases(world: Any) -> None:
    response = world.client("pp", scopes=("read",)).get("/api/v1/measures/?from=2021-01-01&to=2021-12-31")
    assert response.status_code == 200, response.content
    body = response.json()
    p1 = Staff.objects.get(code="P1")
    assert body["scope"]["value"] == f"practitioner-{p1.pk}" and body["scope"]["level"] == "practitioner"
    assert body["period"] == {"from": "2021-01-01", "to": "2021-12-31"}
    assert [r["id"] for r in body["results"]] == [m.id for m in MEASURES]
    expected = measure("police-checks").count(Scope(practitioner=p1.pk), Period(date(2021, 1, 1),
                                                                                   date(2021, 12, 31)), today())
    [police] = [r for r in body["results"] if r["id"] == "police-checks"]
    assert (police["numerator"], police["denominator"], police["value"]) == (
        expected.numerator, expected.denominator, expected.value)
    assert police["denominator"] >= 1
    for row in body["results"]:
        if row["denominator"]:
            assert row["value"] == round(row["numerator"] / row["denominator"], 4)
        else:
            assert row["value"] is None


def test_one_measure_with_its_definition(world: Any) -> None:
    client = world.client("spo")
    response = client.get(f"/api/v1/measures/police-checks/?scope=team-{world.team_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["scope"]["value"] == f"team-{world.team_a.pk}"
    item = body["measure"]
    assert item["id"] == "police-checks" and item["numerator_counts"] and item["denominator_counts"]
    assert item["rules"] and "numerator" in item and "denominator" in item
    again = client.get(f"/api/v1/measures/police-checks/?scope=team-{world.team_a.pk}",
                       HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/api/v1/measures/no-such-measure/").status_code == 404


def test_scopes_are_limited_to_the_callers_levels(world: Any) -> None:
    pp = world.client("pp")
    assert pp.get(f"/api/v1/measures/?scope=team-{world.team_b.pk}").status_code == 403
    assert pp.get(f"/api/v1/measures/?scope=unit-{world.unit.pk}").status_code == 403
    qa = world.client("qa").get(f"/api/v1/measures/?scope=unit-{world.unit.pk}").json()
    assert qa["scope"]["label"] == "North City"
    assert {s["level"] for s in qa["scopes"]} == {"region", "unit", "team", "practitioner"}
    assert world.client("admin").get("/api/v1/measures/").status_code == 403
    assert world.client("police").get("/api/v1/measures/").status_code == 404


def test_bad_periods_are_refused_naming_the_parameter(world: Any) -> None:
    pp = world.client("pp")
    bad = pp.get("/api/v1/measures/?from=2021-13-01")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "from"
    backwards = pp.get("/api/v1/measures/?from=2022-01-01&to=2021-01-01")
    assert backwards.status_code == 400 and "after it ends" in backwards.json()["errors"][0]["message"]
    assert pp.get("/api/v1/measures/?as_of=2999-01-01").status_code == 400
