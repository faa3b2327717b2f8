"""MARAC referral where criteria met; controls verified; breaches acted on within a working day."""

from __future__ import annotations

import pytest
from insights_cases import build, describe, manager_decision, numbers, partner, police_returned, sentenced

pytestmark = pytest.mark.django_db


def strangulation(on: str) -> dict[str, object]:
    return {"on": on, "type": "police_incident", "kind": "callout", "victim": "V1", "domestic": True,
            "features": ["strangulation"]}


def marac_referred(on: str) -> dict[str, object]:
    return {"on": on, "type": "marac_referred", "reason": "strangulation"}


def test_marac_referral_where_criteria_met() -> None:
    base = [partner("2021-01-25"), sentenced("2021-01-25"), police_returned("2021-01-25")]
    # Rule 17: a domestic incident with strangulation on Monday 1 February: refer to MARAC by 3 February.
    build("A", [*base, strangulation("2021-02-01"), marac_referred("2021-02-02")])  # on time: met
    build("B", [*base, strangulation("2021-02-01"), marac_referred("2021-03-01")])  # late: still met
    build("C", [*base, strangulation("2021-02-01")])  # never referred: not met
    # D: the manager decided, with reasons, not to refer (the policy's alternative): excluded.
    build("D", [*base, strangulation("2021-02-01"), manager_decision("2021-02-02", "marac_referral")])
    # E: strangulation on 30 March, referral due 1 April: pending, not counted.
    build("E", [*base, strangulation("2021-03-30")])
    # numerator: A, B = 2; denominator: A, B, C = 3; 2 / 3 = 0.6667
    assert numbers("marac-referrals") == (2, 3, 0.6667), describe("marac-referral")


def restraining_order(on: str) -> dict[str, object]:
    return {"on": on, "type": "control_imposed", "control": "restraining_order", "protects": ["V1"],
            "until": "2023-01-01"}


def victim_contact(on: str) -> dict[str, object]:
    return {"on": on, "type": "victim_contact", "ref": "V1", "by": "practitioner"}


def test_controls_verified() -> None:
    base = [partner("2021-01-25", relationship="ex_partner"), sentenced("2021-01-25")]
    # Rule 19: a restraining order imposed on Monday 1 February is checked by 15 February (10 working days);
    # each check met opens the next, due 3 months later.
    # A: V1 contacted on 5 February: met; the next check (due 5 May) is pending.
    build("A", [*base, restraining_order("2021-02-01"), victim_contact("2021-02-05")])
    # B: police information returned on 1 March, late: met (verified); the next check (due 1 June) is pending.
    build("B", [*base, restraining_order("2021-02-01"), police_returned("2021-03-01")])
    # C: never checked: overdue since 15 February, not met.
    build("C", [*base, restraining_order("2021-02-01")])
    # D: imposed on 29 March, first check due in April: pending.
    build("D", [*base, restraining_order("2021-03-29")])
    # numerator: A's first, B's first = 2; denominator: A's, B's and C's first = 3; 2 / 3 = 0.6667
    assert numbers("controls-verified") == (2, 3, 0.6667), describe("control-check")


def breach(on: str) -> dict[str, object]:
    return {"on": on, "type": "control_breached", "control": "restraining_order", "protects": "V1",
            "reported_by": "victim"}


def enforcement(on: str) -> dict[str, object]:
    return {"on": on, "type": "enforcement", "action": "breach_action", "reason": "breached the order"}


def police_informed(on: str) -> dict[str, object]:
    return {"on": on, "type": "information_received", "source": "police", "text": "arrested"}


def police_asked(on: str) -> dict[str, object]:
    return {"on": on, "type": "check_requested", "agency": "police"}


def test_breaches_acted_on_within_a_working_day() -> None:
    base = [partner("2021-01-25", relationship="ex_partner"), sentenced("2021-01-25"), restraining_order("2021-02-01")]
    # Rule 20: a breach on Wednesday 10 February needs, by Thursday 11 February, an enforcement decision and
    # the police asked or heard from. A breach counts as acted on only when both were done in time.
    build("A", [*base, breach("2021-02-10"), enforcement("2021-02-10"), police_informed("2021-02-11")])  # met
    build("B", [*base, breach("2021-02-10"), enforcement("2021-02-10"), police_informed("2021-02-15")])  # police late
    build("C", [*base, breach("2021-02-10")])  # nothing done: not met
    build("D", [*base, breach("2021-02-10"), police_asked("2021-02-10"), enforcement("2021-02-12")])  # decision late
    # E: breach on Tuesday 30 March, both due Wednesday 31 March, nothing yet: pending, not counted.
    build("E", [*base, breach("2021-03-30")])
    # F: breach on 30 March, decision the same day, police not yet told but still in time: pending.
    build("F", [*base, breach("2021-03-30"), enforcement("2021-03-30")])
    # numerator: A = 1; denominator: A, B, C, D = 4; 1 / 4 = 0.25
    assert numbers("breaches-acted-on") == (1, 4, 0.25), describe("breach-response")
