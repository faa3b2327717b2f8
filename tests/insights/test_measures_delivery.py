"""Home visits done where required; scheduled and triggered reviews on time."""

from __future__ import annotations

from datetime import date

import pytest
from insights_cases import (
    assessed,
    build,
    describe,
    numbers,
    partner,
    police_returned,
    reviewed,
    sentenced,
)

from safeguard.insights.scope import Period

pytestmark = pytest.mark.django_db


def home_visit(on: str) -> dict[str, object]:
    return {"on": on, "type": "contact", "kind": "home_visit", "outcome": "attended", "by": "PO1"}


def living_with_partner(on: str) -> list[dict[str, object]]:
    """A DA case sentenced on `on` who lives with his partner V1 (a known victim)."""
    return [partner(on, lives_with_case=True), sentenced(on), police_returned(on)]


def test_home_visits_done_where_required() -> None:
    # Rule 11: sentenced Monday 1 February, living with a partner: a home visit by 1 March (20 working days).
    build("A", [*living_with_partner("2021-02-01"), home_visit("2021-02-15")])  # on time: met
    build("B", [*living_with_partner("2021-02-01"), home_visit("2021-03-10")])  # late: still met (done)
    build("C", living_with_partner("2021-02-01"))  # never visited: overdue, not met
    # D went into custody on 10 February, before the visit was due: waived in time, excluded.
    build("D", [*living_with_partner("2021-02-01"), sentenced("2021-02-10", order="custody")])
    # E was sentenced on 15 March: the visit is due in April: pending, not counted.
    build("E", living_with_partner("2021-03-15"))
    # F lives alone: no home visit is required, so no obligation.
    build("F", [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-01")])
    # numerator: A, B = 2; denominator: A, B, C = 3; 2 / 3 = 0.6667
    assert numbers("home-visits") == (2, 3, 0.6667), describe("home-visit")


def test_scheduled_reviews_on_time() -> None:
    # Rule 13: a written review 16 weeks (112 days) after the last assessment or review. Assessed on
    # 1 October 2020: review due 21 January 2021.
    base = [partner("2020-10-01"), sentenced("2020-10-01"), police_returned("2020-10-01")]
    # A reviewed on 14 January: on time, met. The next period runs from 14 January to 6 May: pending.
    build("A", [*base, assessed("2020-10-01"), reviewed("2021-01-14")])
    # B reviewed on 1 February, after 21 January: late, not met. The next period (to 24 May) is pending.
    build("B", [*base, assessed("2020-10-01"), reviewed("2021-02-01")])
    # C never reviewed: overdue since 21 January, not met.
    build("C", [*base, assessed("2020-10-01")])
    # D assessed on 1 February 2021: its first review is due 24 May: pending.
    build("D", [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-01"),
                assessed("2021-02-01")])
    # numerator: A's first = 1; denominator: A's, B's and C's first = 3; 1 / 3 = 0.3333
    assert numbers("scheduled-reviews-on-time") == (1, 3, 0.3333), describe("scheduled-review")
    # Counting only the periods opened in October 2020 gives the same three.
    october = Period(date(2020, 10, 1), date(2020, 10, 31))
    assert numbers("scheduled-reviews-on-time", period=october) == (1, 3, 0.3333)
    # Periods opened in 2021 are A's second, B's second and D's first: all pending, so nothing to count.
    assert numbers("scheduled-reviews-on-time", period=Period(date(2021, 1, 1), date(2021, 3, 31))) == (0, 0, None)


def moved(on: str) -> dict[str, object]:
    return {"on": on, "type": "moved", "address": "A2", "occupants": []}


def domestic_incident(on: str) -> dict[str, object]:
    return {"on": on, "type": "police_incident", "kind": "callout", "victim": "V1", "domestic": True,
            "features": ["violence"]}


def test_triggered_reviews_on_time() -> None:
    base = [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-01")]
    # Rule 14: a move on Monday 8 February needs a review by 15 February (5 working days).
    build("A", [*base, moved("2021-02-08"), reviewed("2021-02-12")])  # on time: met
    build("B", [*base, moved("2021-02-08"), reviewed("2021-02-22")])  # late: not met
    # A domestic police incident on Monday 8 February needs a review by 9 February (1 working day).
    build("C", [*base, domestic_incident("2021-02-08"), reviewed("2021-02-09")])  # on time: met
    build("D", [*base, domestic_incident("2021-02-08"), reviewed("2021-02-11")])  # late: not met
    # E moved on 29 March: review due 7 April (Easter in between): pending, not counted.
    build("E", [*base, moved("2021-03-29")])
    # numerator: A, C = 2; denominator: A, B, C, D = 4; 2 / 4 = 0.5
    assert numbers("triggered-reviews-on-time") == (2, 4, 0.5), describe("triggered-review")
