"""Small hand-built case sets for the measure tests: each case is a timeline imported through the real
actions (safeguard.timeline.importer) and evaluated as of AS_OF, so its obligations are the engine's own.

Dates are in February and March 2021, clear of bank holidays until Good Friday (2 April): 1 February 2021
is a Monday, so "5 working days from Monday 1 February" is Monday 8 February.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.cases.models import Case
from safeguard.insights.measures import Result, measure
from safeguard.insights.scope import ALL_TIME, COUNTRY, Period, Scope
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

AS_OF = date(2021, 3, 31)  # a Wednesday
FEBRUARY = Period(date(2021, 2, 1), date(2021, 2, 28))
MARCH = Period(date(2021, 3, 1), date(2021, 3, 31))

# Every timeline lists the same staff; the `org` fixture puts them in teams first.
STAFF: list[dict[str, Any]] = [
    {"ref": "PO1", "grade": "PO", "qualified_on": "2015-09-01", "da_trained": True},
    {"ref": "PO2", "grade": "PO", "qualified_on": "2016-09-01", "da_trained": True},
    {"ref": "PSO1", "grade": "PSO", "qualified_on": None, "da_trained": False},
    {"ref": "SPO1", "grade": "SPO", "qualified_on": "2009-09-01", "da_trained": True},
]


def build(ref: str, events: list[dict[str, Any]], *, pdu: str = "North City", as_of: date = AS_OF) -> Case:
    """Import one case (a timeline with these events) and evaluate it as of `as_of`."""
    doc = {"format": "safeguard-timeline/1",
           "case": {"ref": ref, "born": "1985-01-01", "gender": "male", "pdu": pdu},
           "staff": STAFF, "events": events, "checkpoints": []}
    return import_timeline(validate_document(doc, f"{ref}.json"), as_of=as_of)


def numbers(measure_id: str, *, scope: Scope = COUNTRY, period: Period = ALL_TIME,
            as_of: date = AS_OF) -> tuple[int | float, int | float, float | None]:
    result: Result = measure(measure_id).count(scope, period, as_of)
    return result.numerator, result.denominator, result.value


# -- event makers (timeline vocabulary) -------------------------------------------------------------------
def partner(on: str, ref: str = "V1", *, victim: bool = True, lives_with_case: bool = False,
            relationship: str = "partner") -> dict[str, Any]:
    return {"on": on, "type": "person_added", "ref": ref, "relationship": relationship, "born": "1990-01-01",
            "victim": victim, "lives_with_case": lives_with_case}


def child(on: str, ref: str = "C1", *, born: str = "2015-01-01", lives_with_case: bool = True) -> dict[str, Any]:
    return {"on": on, "type": "person_added", "ref": ref, "relationship": "child", "born": born,
            "lives_with_case": lives_with_case}


def sentenced(on: str, *, order: str = "community_order", victims: tuple[str, ...] = ("V1",),
              domestic: bool = True, requirements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"on": on, "type": "sentenced", "order": order, "months": 24, "requirements": requirements or [],
            "offence": {"description": "assault", "victims": list(victims), "domestic": domestic}}


def allocated(on: str, practitioner: str = "PO1") -> dict[str, Any]:
    return {"on": on, "type": "allocated", "practitioner": practitioner}


def police_returned(on: str) -> dict[str, Any]:
    return {"on": on, "type": "check_returned", "agency": "police", "callouts": 0}


def childrens_returned(on: str) -> dict[str, Any]:
    return {"on": on, "type": "check_returned", "agency": "childrens_services", "known_to_childrens_services": False}


def registered(on: str, code: str = "ADVP") -> dict[str, Any]:
    return {"on": on, "type": "registered", "code": code}


def ended(on: str, reason: str = "revoked") -> dict[str, Any]:
    return {"on": on, "type": "supervision_ended", "reason": reason}


def assessed(on: str, *, considered: tuple[str, ...] = ("V1",), sources: tuple[str, ...] = ("police",),
             rosh: str = "medium", sara: str = "low", analysis: str = "", **extra: Any) -> dict[str, Any]:
    return {"on": on, "type": "assessed", "by": "PO1", "rosh": rosh, "sara_partner": sara, "sara_others": sara,
            "victims_considered": list(considered), "sources": list(sources), "analysis": analysis, **extra}


def reviewed(on: str) -> dict[str, Any]:
    return {"on": on, "type": "reviewed", "by": "PO1", "sources": ["police"], "analysis": "review"}


def manager_decision(on: str, about: str, decision: str = "decided with reasons") -> dict[str, Any]:
    return {"on": on, "type": "manager_decision", "by": "SPO1", "about": about, "decision": decision}


def describe(*rules: str) -> str:
    """The stored obligations of these rules, one a line (for a failing assertion's message)."""
    from safeguard.oversight.models import Obligation

    rows = Obligation.objects.filter(rule__in=rules).order_by("case__ref", "opened")
    return "\n".join(f"{o.case.ref} {o.key} {o.status} opened {o.opened} due {o.due} closed {o.closed_on}"
                     for o in rows)
