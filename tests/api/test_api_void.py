"""Issue 33, finding 3, through the API: the red team's exact sequence. An event dated 2099-01-01 is refused with
a problem document naming the field; a case already locked by such an event (legacy data) is unlocked by its SPO
marking the event as entered in error, after which an ordinary event is accepted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from safeguard.api.models import OutboxEvent
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import CaseEvent, CaseEventVoid
from safeguard.timeline.validate import long_date

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/X900001/events/"
CONTACT = {"type": "contact", "kind": "home_visit", "outcome": "attended", "by": "P1"}


def etag_of(client: Any) -> str:
    return str(client.get("/api/v1/cases/X900001/")["ETag"])


def test_an_event_dated_2099_is_refused_with_a_problem_naming_the_field(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    response = client.post(URL, {**CONTACT, "on": "2099-01-01"}, format="json", HTTP_IF_MATCH=etag_of(client))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    today = long_date(timezone.localdate())
    assert body["errors"] == [{"field": "on", "location": "event (contact)",
                               "message": f"field 'on': must not be after today, {today} (got '2099-01-01')"}]
    assert world.case.events.count() == 6
    ordinary = client.post(URL, {**CONTACT, "on": timezone.localdate().isoformat()}, format="json",
                           HTTP_IF_MATCH=etag_of(client))
    assert ordinary.status_code == 201  # the case is not locked


def test_a_case_locked_by_a_legacy_far_future_event_is_unlocked_by_its_spo(world: Any) -> None:
    CaseEvent.objects.create(case=world.case, seq=7, on=date(2099, 1, 1), type="contact", source="api",
                             payload={**CONTACT, "on": "2099-01-01"})
    pp = world.client("pp", scopes=("read", "write_events"))
    today = timezone.localdate().isoformat()
    locked = pp.post(URL, {**CONTACT, "on": today}, format="json", HTTP_IF_MATCH=etag_of(pp))
    assert locked.status_code == 400 and "dates must not go backwards" in locked.json()["detail"]
    assert pp.post(f"{URL}7/void/", {"reason": "mine"}, format="json",
                   HTTP_IF_MATCH=etag_of(pp)).status_code == 403  # a practitioner may not
    spo = world.client("spo", scopes=("read", "write_events"))
    no_reason = spo.post(f"{URL}7/void/", {"reason": " "}, format="json", HTTP_IF_MATCH=etag_of(spo))
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    assert spo.post(f"{URL}7/void/", {"reason": "x"}, format="json").status_code == 428
    voided = spo.post(f"{URL}7/void/", {"reason": "Integration sent the wrong year"}, format="json",
                      HTTP_IF_MATCH=etag_of(spo))
    assert voided.status_code == 201, voided.content
    assert voided.json()["seq"] == 7 and voided.json()["voided_by"] == "spo"
    assert voided["ETag"] == etag_of(spo)
    announced = OutboxEvent.objects.get(type="safeguard.event.voided")
    assert announced.case_ref == "X900001"
    assert announced.payload == {"case": "X900001", "seq": 7, "event_type": "contact",
                                 "version": int(voided["ETag"].strip('"'))}
    again = spo.post(f"{URL}7/void/", {"reason": "again"}, format="json", HTTP_IF_MATCH=etag_of(spo))
    assert again.status_code == 409
    assert spo.post(f"{URL}99/void/", {"reason": "x"}, format="json", HTTP_IF_MATCH=etag_of(spo)).status_code == 404
    # The log keeps the event, marked; a later ordinary event is accepted.
    listed = {e["seq"]: e for e in pp.get(URL).json()["results"]}
    assert listed[7]["void"]["reason"] == "Integration sent the wrong year" and listed[6]["void"] is None
    accepted = pp.post(URL, {**CONTACT, "on": today}, format="json", HTTP_IF_MATCH=etag_of(pp))
    assert accepted.status_code == 201 and accepted.json()["seq"] == 8
    assert CaseEventVoid.objects.count() == 1
    entry = AuditEntry.objects.get(action="event.voided")
    assert entry.user == world.users["spo"] and entry.case_ref == "X900001" and entry.detail["seq"] == 7
