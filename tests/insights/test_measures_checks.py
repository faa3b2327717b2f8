"""Police and children's services checks: made where required, and before sentence."""

from __future__ import annotations

import pytest
from insights_cases import (
    FEBRUARY,
    build,
    child,
    childrens_returned,
    ended,
    numbers,
    partner,
    police_returned,
    sentenced,
)

pytestmark = pytest.mark.django_db


def court_report(on: str, court_date: str, *, curfew: bool = False) -> dict[str, object]:
    return {"on": on, "type": "court_report_requested", "court_date": court_date, "report": "standard",
            "curfew_proposed": curfew}


def test_police_checks_made_where_required() -> None:
    # Rule 3: a DA case sentenced on Monday 1 February needs police information by Monday 8 February.
    build("A", [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-04")])  # on time: met
    build("B", [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-03-01")])  # late: still met
    build("C", [partner("2021-02-01"), sentenced("2021-02-01")])  # never returned: overdue, not met
    # Sentenced Monday 29 March: due 7 April (Good Friday and Easter Monday are bank holidays). On 31 March
    # the deadline has not passed: pending, not counted.
    build("D", [partner("2021-03-29"), sentenced("2021-03-29")])
    # Rule 2: a report requested on a DA case on 1 February for court on 15 February; police information
    # back on 10 February: met. At sentence there is a check from the last 3 months, so rule 3 asks nothing.
    build("E", [partner("2021-02-01"), court_report("2021-02-01", "2021-02-15"), police_returned("2021-02-10"),
                sentenced("2021-02-15")])
    # Rule 2 for a proposed curfew (not a DA case), never returned: overdue since 15 February, not met.
    build("F", [court_report("2021-02-01", "2021-02-15", curfew=True)])
    # Supervision ended (revoked) on 3 February, before the 8 February deadline: waived in time, excluded.
    build("G", [partner("2021-02-01"), sentenced("2021-02-01"), ended("2021-02-03")])
    # Supervision ended on 1 March with the check three weeks overdue: the deadline was missed, not met.
    build("H", [partner("2021-02-01"), sentenced("2021-02-01"), ended("2021-03-01")])
    # numerator: A, B, E = 3; denominator: A, B, C, E, F, H = 6 (D pending, G excluded); 3 / 6 = 0.5
    assert numbers("police-checks") == (3, 6, 0.5)


def test_police_information_before_sentence_counts_only_checks_back_by_the_court_date() -> None:
    # E: requested 1 February, court 15 February, back 10 February: on time, met.
    build("E", [partner("2021-02-01"), court_report("2021-02-01", "2021-02-15"), police_returned("2021-02-10"),
                sentenced("2021-02-15")])
    # F: curfew proposed, never back: not met.
    build("F", [court_report("2021-02-01", "2021-02-15", curfew=True)])
    # J: back on 17 February, two days after the court date: done, but late: not met here.
    build("J", [partner("2021-02-01"), court_report("2021-02-01", "2021-02-15"), sentenced("2021-02-15"),
                police_returned("2021-02-17")])
    # K: court on 14 April, nothing back yet on 31 March: pending, not counted.
    build("K", [partner("2021-03-30"), court_report("2021-03-30", "2021-04-14")])
    # numerator: E = 1; denominator: E, F, J = 3; 1 / 3 = 0.3333
    assert numbers("police-checks-before-sentence") == (1, 3, 0.3333)
    # The same J counts as made in the "made where required" measure, with its rule 3 check at sentence
    # (15 February, no check back by then; met by the 17 February return):
    # numerator: E, J (before sentence), J (at start) = 3; denominator: E, F, J, J = 4
    assert numbers("police-checks") == (3, 4, 0.75)


def test_childrens_services_checks_made_where_required() -> None:
    # Rule 4: a DA case with a child linked on 1 February needs children's services information by 8 February.
    build("A", [partner("2021-02-01"), child("2021-02-01"), sentenced("2021-02-01"),
                childrens_returned("2021-02-05")])  # on time: met
    build("B", [partner("2021-02-01"), child("2021-02-01"), sentenced("2021-02-01"),
                childrens_returned("2021-03-10")])  # late: met
    build("C", [partner("2021-02-01"), child("2021-02-01"), sentenced("2021-02-01")])  # never: not met
    build("D", [partner("2021-03-30"), child("2021-03-30"), sentenced("2021-03-30")])  # due 8 April: pending
    build("E", [partner("2021-02-01"), sentenced("2021-02-01")])  # no child: no obligation, not in the measure
    # numerator: A, B = 2; denominator: A, B, C = 3; 2 / 3 = 0.6667
    assert numbers("childrens-checks") == (2, 3, 0.6667)


def test_checks_count_in_the_period_they_were_opened() -> None:
    build("A", [partner("2021-02-01"), sentenced("2021-02-01"), police_returned("2021-02-04")])  # February, met
    build("C", [partner("2021-02-01"), sentenced("2021-02-01")])  # February, not met
    build("M", [partner("2021-03-01"), sentenced("2021-03-01"), police_returned("2021-03-02")])  # March, met
    # February: A met, C not met: 1 / 2
    assert numbers("police-checks", period=FEBRUARY) == (1, 2, 0.5)
    # All time: A, M met; C not: 2 / 3
    assert numbers("police-checks") == (2, 3, 0.6667)
