"""Domestic abuse identified: cases whose record shows abuse, flagged with a DA register."""

from __future__ import annotations

import pytest
from insights_cases import (
    FEBRUARY,
    build,
    describe,
    ended,
    manager_decision,
    numbers,
    partner,
    registered,
    sentenced,
)

pytestmark = pytest.mark.django_db


def test_domestic_abuse_identified() -> None:
    # A: a domestic offence against his partner (1 February), registered ADVP the next day: met.
    build("A", [partner("2021-02-01"), sentenced("2021-02-01"), registered("2021-02-02")])
    # B: the same offence, never registered (rule 1's two working days ran out on 3 February): not met.
    build("B", [partner("2021-02-01"), sentenced("2021-02-01")])
    # C: a manager decided, with reasons, that it is not domestic abuse (a counter-allegation): excluded.
    build("C", [partner("2021-02-01"), sentenced("2021-02-01"), manager_decision("2021-02-02", "flag_domestic_abuse")])
    # D: sentenced on 30 March; the register is due on 1 April: pending, not counted.
    build("D", [partner("2021-03-30"), sentenced("2021-03-30")])
    # E: an offence against a stranger, no abuse on record: not a DA case, not counted.
    build("E", [sentenced("2021-02-01", victims=(), domestic=False)])
    # F: registered REG30 (domestic abuse history) at the start, offence not domestic: a DA case, flagged: met.
    build("F", [registered("2021-02-01", "REG30"), sentenced("2021-02-01", victims=(), domestic=False)])
    # G: registered on 2 February, deregistered on 1 March while still supervised: not flagged now, not met.
    build("G", [partner("2021-02-01"), sentenced("2021-02-01"), registered("2021-02-02"),
                {"on": "2021-03-01", "type": "deregistered", "code": "ADVP"}])
    # numerator: A, F = 2; denominator: A, B, F, G = 4; 2 / 4 = 0.5
    assert numbers("da-identified") == (2, 4, 0.5), describe("flag-domestic-abuse")


def test_domestic_abuse_identified_counts_cases_supervised_in_the_period() -> None:
    build("A", [partner("2021-02-01"), sentenced("2021-02-01"), registered("2021-02-02")])  # supervised: met
    # H: supervised from 1 February, ended 25 March, never registered: supervised in February, not met.
    build("H", [partner("2021-02-01"), sentenced("2021-02-01"), ended("2021-03-25", "completed")])
    # M: sentenced on 1 March: not yet supervised in February.
    build("M", [partner("2021-03-01"), sentenced("2021-03-01")])
    # February: A (met) and H (not met); 1 / 2
    assert numbers("da-identified", period=FEBRUARY) == (1, 2, 0.5)
    # All time: A (met), H and M (not met): 1 / 3
    assert numbers("da-identified") == (1, 3, 0.3333)
