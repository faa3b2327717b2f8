"""The one set of projection rules: every event type has one, and record_event's use of them on a stored case
(rows read when a rule asks, changed rows updated) leaves the records the rules describe."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeguard.actions import record_event
from safeguard.actions.projections import projected_types
from safeguard.cases.models import LinkedPerson, Residence
from safeguard.practice.models import AgencyCheck, Assessment
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.schema import EVENTS
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db


def test_every_event_type_has_a_projection() -> None:
    assert projected_types() == set(EVENTS)


def test_record_event_updates_the_stored_rows_a_rule_changes(timeline_doc: dict[str, Any]) -> None:
    case = import_timeline(validate_document(timeline_doc, "t.json"), as_of=date(2021, 7, 1))
    record_event(case, {"on": "2021-07-01", "type": "person_added", "ref": "C1", "relationship": "child",
                        "lives_with_case": True}, as_of=date(2021, 7, 1))
    record_event(case, {"on": "2021-07-02", "type": "moved", "address": "A2", "occupants": ["V1"]},
                 as_of=date(2021, 7, 2))
    assert dict(LinkedPerson.objects.filter(case=case).values_list("ref", "lives_with_case")) == {
        "V1": True, "C1": False}
    residence = Residence.objects.get(case=case)
    assert residence.to_on is None and [p.ref for p in residence.occupants.all()] == ["V1"]
    record_event(case, {"on": "2021-07-03", "type": "check_requested", "agency": "childrens_services",
                        "about": ["C1"]}, as_of=date(2021, 7, 3))
    record_event(case, {"on": "2021-07-09", "type": "check_returned", "agency": "childrens_services",
                        "callouts": 0, "known_to_childrens_services": False, "summary": "Not known"},
                 as_of=date(2021, 7, 9))
    check = AgencyCheck.objects.get(case=case, agency="childrens_services")
    assert (check.requested_on, check.returned_on, check.summary) == (date(2021, 7, 3), date(2021, 7, 9), "Not known")
    assert check.agency_request.status == "returned"  # the receivers saw the save record_event made
    record_event(case, {"on": "2021-07-10", "type": "assessed", "by": "P1", "rosh": "high", "sara_partner": "high",
                        "sara_others": "low", "victims_considered": ["V1"], "sources": ["police"],
                        "analysis": "x"}, as_of=date(2021, 7, 10))
    record_event(case, {"on": "2021-07-11", "type": "countersigned", "by": "S1"}, as_of=date(2021, 7, 11))
    assessment = Assessment.objects.get(case=case)
    assert assessment.countersigned_on == date(2021, 7, 11) and assessment.countersigned_by.code == "S1"
    case.refresh_from_db()
    assert (case.rosh, case.sara_partner) == ("high", "high")
