"""Referred to an intervention where eligible; started within 12 weeks; completed."""

from __future__ import annotations

from datetime import date

import pytest
from insights_cases import assessed, build, describe, numbers, partner, police_returned, sentenced

pytestmark = pytest.mark.django_db

BBR = [{"type": "accredited_programme", "programme": "bbr"}]


def programme(on: str, stage: str, **extra: object) -> dict[str, object]:
    """A programme event: `referred`, `programme_started`, `programme_completed`, `programme_left`, ..."""
    return {"on": on, "type": stage, "programme": "bbr", **extra}


def test_referred_to_an_intervention_where_eligible() -> None:
    # Rule 15: the court required BBR on Monday 1 February: refer by 8 February (5 working days).
    ordered = [partner("2021-02-01"), sentenced("2021-02-01", requirements=BBR), police_returned("2021-02-01")]
    build("A", [*ordered, programme("2021-02-04", "referred")])  # on time: met
    build("B", [*ordered, programme("2021-03-01", "referred")])  # late: still met (referred)
    build("C", ordered)  # never referred: not met
    # D's assessment on 1 February rates SARA medium: refer by 1 March (20 working days); never referred.
    build("D", [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-01"),
                assessed("2021-02-01", sara="medium")])
    # E's assessment on 22 March rates SARA high: the referral is due in April: pending, not counted.
    build("E", [partner("2021-03-22"), sentenced("2021-03-22"), police_returned("2021-03-22"),
                assessed("2021-03-22", sara="high")])
    # numerator: A, B = 2; denominator: A, B, C, D = 4; 2 / 4 = 0.5
    assert numbers("intervention-referrals") == (2, 4, 0.5), describe("intervention-referral")


def test_interventions_started_within_12_weeks() -> None:
    def case(ref: str, referred_on: str, *later: dict[str, object]) -> None:
        build(ref, [partner("2020-11-02"), sentenced("2020-11-02"), programme(referred_on, "referred"), *later])

    # 12 weeks is 84 days. Referred on 2 November 2020: a start by 25 January 2021 counts.
    case("A", "2020-11-02", programme("2021-01-18", "programme_started"))  # 77 days: met
    case("B", "2020-11-02", programme("2021-02-01", "programme_started"))  # 91 days: not met
    case("C", "2020-11-02")  # never started, 12 weeks long past: not met
    # D referred on 1 March 2021: its 12 weeks end on 24 May, after 31 March: pending, not counted.
    case("D", "2021-03-01")
    # E referred on 4 January 2021 and started on 29 March, exactly 84 days later: met.
    case("E", "2021-01-04", programme("2021-03-29", "programme_started"))
    # numerator: A, E = 2; denominator: A, B, C, E = 4; 2 / 4 = 0.5
    assert numbers("interventions-started-12-weeks") == (2, 4, 0.5)
    # Read as of 20 January 2021: A had started (met); B's and C's 12 weeks ran to 25 January (pending); E's had
    # only begun (pending); D had not been referred. 1 / 1
    assert numbers("interventions-started-12-weeks", as_of=date(2021, 1, 20)) == (1, 1, 1.0)


def test_interventions_completed() -> None:
    def case(ref: str, *after_start: dict[str, object]) -> None:
        build(ref, [partner("2020-11-02"), sentenced("2020-11-02"), programme("2020-11-02", "referred"),
                    programme("2020-11-09", "programme_started"), *after_start])

    case("A", programme("2021-03-01", "programme_completed"))  # completed: met
    case("B", programme("2021-01-10", "programme_left", reason="non_attendance"))  # left: not met
    case("C")  # still on the programme: too early to judge, not counted
    case("D", programme("2021-01-20", "programme_cancelled", by="provider"))  # cancelled after the start: not met
    # numerator: A = 1; denominator: A, B, D = 3; 1 / 3 = 0.3333
    assert numbers("interventions-completed") == (1, 3, 0.3333)
    # Read as of 15 January 2021: only B had finished (left on 10 January); A, C and D were still on it. 0 / 1
    assert numbers("interventions-completed", as_of=date(2021, 1, 15)) == (0, 1, 0.0)
