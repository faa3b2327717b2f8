"""Dashboard data: each measure month by month, and the cases behind any number."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from insights_cases import AS_OF, FEBRUARY, allocated, build, partner, police_returned, registered, sentenced

from safeguard.insights.dashboard import NoTrend, cases_behind, overview, rows_behind, trend
from safeguard.insights.scope import Scope

pytestmark = pytest.mark.django_db


def checks() -> None:
    """Rule 3 police checks: three DA cases sentenced in February, one in March.
    F1 (PO1) back on time; F2 (PO2) never; F3 (PO1) back late; M1 (PO2) sentenced 1 March, back 2 March."""
    def da(on: str) -> list[dict[str, object]]:
        return [partner(on), sentenced(on)]

    build("F1", [*da("2021-02-01"), allocated("2021-02-01", "PO1"), police_returned("2021-02-04")])
    build("F2", [*da("2021-02-01"), allocated("2021-02-01", "PO2")])
    build("F3", [*da("2021-02-01"), allocated("2021-02-01", "PO1"), police_returned("2021-03-01")])
    build("M1", [*da("2021-03-01"), allocated("2021-03-01", "PO2"), police_returned("2021-03-02")])


def test_a_measure_month_by_month(org: dict[str, Any]) -> None:
    checks()
    points = [p.as_dict() for p in trend("police-checks", date(2021, 1, 1), date(2021, 3, 31), as_of=AS_OF)]
    assert points == [
        {"month": "2021-01", "numerator": 0, "denominator": 0, "value": None},  # nothing opened in January
        {"month": "2021-02", "numerator": 2, "denominator": 3, "value": 0.6667},  # F1, F3 met of F1, F2, F3
        {"month": "2021-03", "numerator": 1, "denominator": 1, "value": 1.0},  # M1
    ]
    # For PO1 only: February F1, F3 of F1, F3; nothing in March
    po1 = Scope(practitioner=org["staff"]["PO1"].pk)
    assert [p.result.as_dict() for p in trend("police-checks", date(2021, 2, 1), date(2021, 3, 31), scope=po1,
                                              as_of=AS_OF)] == [
        {"numerator": 2, "denominator": 2, "value": 1.0}, {"numerator": 0, "denominator": 0, "value": None}]


def test_a_measure_over_cases_supervised_month_by_month() -> None:
    # A supervised from February, registered 2 February; B from March, never registered.
    build("A", [partner("2021-02-01"), sentenced("2021-02-01"), registered("2021-02-02")])
    build("B", [partner("2021-03-01"), sentenced("2021-03-01")])
    points = [p.as_dict() for p in trend("da-identified", date(2021, 2, 1), date(2021, 3, 31), as_of=AS_OF)]
    # February: A of A; March: A of A and B
    assert points == [{"month": "2021-02", "numerator": 1, "denominator": 1, "value": 1.0},
                      {"month": "2021-03", "numerator": 1, "denominator": 2, "value": 0.5}]


def test_snapshot_measures_have_no_trend() -> None:
    with pytest.raises(NoTrend):
        trend("concern-serious", date(2021, 1, 1), date(2021, 3, 31), as_of=AS_OF)


def test_the_cases_behind_any_number(org: dict[str, Any]) -> None:
    checks()
    refs = lambda qs: [c.ref for c in qs]  # noqa: E731
    assert refs(cases_behind("police-checks", "numerator", as_of=AS_OF)) == ["F1", "F3", "M1"]
    assert refs(cases_behind("police-checks", "denominator", as_of=AS_OF)) == ["F1", "F2", "F3", "M1"]
    assert refs(cases_behind("police-checks", "not_met", as_of=AS_OF)) == ["F2"]
    assert refs(cases_behind("police-checks", "not_met", period=FEBRUARY, as_of=AS_OF,
                             scope=Scope(team=org["team_a"].pk))) == []
    # The obligations themselves, for a page that lists what was missed
    assert [(o.case.ref, o.rule, o.status) for o in rows_behind("police-checks", "not_met", as_of=AS_OF)] == [
        ("F2", "police-check-at-start", "overdue")]
    # Read as of 5 February: F1's check was back on 4 February (met); F2's and F3's were not back yet and due
    # 8 February (pending, left out); M1 had not been sentenced (no obligation yet).
    early = date(2021, 2, 5)
    assert refs(cases_behind("police-checks", "left_out", as_of=early)) == ["F2", "F3"]
    assert refs(cases_behind("police-checks", "denominator", as_of=early)) == ["F1"]
    # Cases behind a caseload number
    assert refs(cases_behind("caseload", "numerator", as_of=AS_OF, scope=Scope(region=org["north"].pk))) == [
        "F1", "F2", "F3", "M1"]
    with pytest.raises(ValueError, match="part must be one of"):
        rows_behind("police-checks", "everything")  # type: ignore[arg-type]


def test_the_overview_has_every_measure_with_its_reference(org: dict[str, Any]) -> None:
    checks()
    rows = {row["id"]: row for row in overview(period=FEBRUARY, as_of=AS_OF)}
    # February: F1, F3 met of F1, F2, F3
    assert rows["police-checks"] | {"reference": None} == {
        "id": "police-checks", "title": "Police checks made where required", "group": "Information from other agencies",
        "value_is": "proportion", "numerator": 2, "denominator": 3, "value": 0.6667, "reference": None, "trend": True}
    assert rows["police-checks"]["reference"]["value"] == 0.49
    assert rows["caseload"]["trend"] is False and rows["caseload"]["value_is"] == "average"
