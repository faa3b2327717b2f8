"""Assessments sufficient: rule 7's assessment at the start, judged by rule 8's checklist."""

from __future__ import annotations

import pytest
from insights_cases import assessed, build, describe, numbers, partner, police_returned, sentenced

pytestmark = pytest.mark.django_db


def start(on: str) -> list[dict[str, object]]:
    """A DA case (partner V1, a known victim) sentenced on `on`, with police information back."""
    return [partner(on), sentenced(on), police_returned(on)]


def test_assessments_sufficient() -> None:
    # Sentenced Monday 1 February: rule 7 wants an assessment by 22 February (15 working days). A sufficient
    # one names V1 and uses the police information returned the same day.
    build("A", [*start("2021-02-01"), assessed("2021-02-10")])  # sufficient: met
    # B leaves V1 out: rule 8 opens a gap due 22 February, never put right: not met.
    build("B", [*start("2021-02-01"), assessed("2021-02-10", considered=())])
    # C leaves V1 out on 10 February and puts it right on 15 February, before the deadline: met.
    build("C", [*start("2021-02-01"), assessed("2021-02-10", considered=()), assessed("2021-02-15")])
    # D puts it right on 1 March, after the 22 February deadline: not met.
    build("D", [*start("2021-02-01"), assessed("2021-02-10", considered=()), assessed("2021-03-01")])
    # E has no assessment at all, five weeks after its deadline: not met.
    build("E", start("2021-02-01"))
    # F is assessed late (1 March) but sufficiently: met (lateness is rule 7's deadline, not sufficiency).
    build("F", [*start("2021-02-01"), assessed("2021-03-01")])
    # G was sentenced on 29 March: its assessment is not due until April: pending, not counted.
    build("G", start("2021-03-29"))
    # H was sentenced on 22 March (assessment due 14 April) and assessed on 24 March without V1: the gap is
    # due 14 April too, so on 31 March it is too early to judge: pending, not counted.
    build("H", [*start("2021-03-22"), assessed("2021-03-24", considered=())])
    # numerator: A, C, F = 3; denominator: A, B, C, D, E, F = 6; 3 / 6 = 0.5
    assert numbers("assessments-sufficient") == (3, 6, 0.5), describe("initial-assessment", "assessment-sufficiency")


def test_an_assessment_that_ignores_returned_police_information_is_not_sufficient() -> None:
    build("A", [*start("2021-02-01"), assessed("2021-02-10", sources=())])  # police information not used
    build("B", [*start("2021-02-01"), assessed("2021-02-10")])  # used
    # numerator: B = 1; denominator: A, B = 2
    assert numbers("assessments-sufficient") == (1, 2, 0.5)
