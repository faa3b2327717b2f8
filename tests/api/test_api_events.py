"""Recording timeline events through the API: the same vocabulary and validator as a timeline file, with
optimistic concurrency (ETag / If-Match)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safeguard.actions.events import refs_for
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation
from safeguard.timeline.validate import TimelineError, validate_event

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/X900001/events/"
CONTACT = {"on": "2021-06-20", "type": "contact", "kind": "home_visit", "outcome": "attended", "by": "P1"}


def etag_of(client: Any) -> str:
    response = client.get("/api/v1/cases/X900001/")
    assert response.status_code == 200
    return str(response["ETag"])


def test_posting_an_event_records_it_through_the_actions_and_bumps_the_etag(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    before = etag_of(client)
    assert Obligation.objects.filter(case=world.case, kind="contact", status="overdue").exists()
    response = client.post(URL, CONTACT, format="json", HTTP_IF_MATCH=before)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "contact" and body["seq"] == 7 and body["source"] == "api"
    assert body["payload"] == CONTACT
    assert response["Location"].endswith("/api/v1/cases/X900001/events/7/")
    assert response["ETag"] == f'"{int(before.strip(chr(34))) + 1}"' == etag_of(client)
    # Obligations were re-evaluated (as of today): the overdue contact obligation was met by this home visit.
    world.case.refresh_from_db()
    assert world.case.evaluated_on == timezone.localdate()
    met = Obligation.objects.get(case=world.case, rule="contact-frequency", closed_by__seq=7)
    assert met.status == "done"
    event = world.case.events.get(seq=7)
    assert event.recorded_by == world.users["pp"] and event.source == "api"


def test_a_write_that_changes_a_case_needs_if_match(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    response = client.post(URL, CONTACT, format="json")
    assert response.status_code == 428
    assert response.json()["type"] == "urn:safeguard:problem:precondition-required"
    assert world.case.events.count() == 6


def test_a_stale_etag_is_refused_with_412_and_nothing_is_written(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    stale = etag_of(client)
    assert client.post(URL, CONTACT, format="json", HTTP_IF_MATCH=stale).status_code == 201
    again = client.post(URL, {**CONTACT, "on": "2021-06-21"}, format="json", HTTP_IF_MATCH=stale)
    assert again.status_code == 412
    assert again.json()["type"] == "urn:safeguard:problem:precondition-failed"
    assert world.case.events.count() == 7
    assert client.post(URL, {**CONTACT, "on": "2021-06-21"}, format="json",
                       HTTP_IF_MATCH=f'"1", {etag_of(client)}').status_code == 201


def test_a_version_that_changes_between_check_and_write_is_a_412(world: Any, monkeypatch: Any) -> None:
    """record_event re-checks the version under the row lock: a change slipped in between is still caught."""
    client = world.client("pp", scopes=("read", "write_events"))
    etag = etag_of(client)
    from safeguard.api import views

    real = views.expected_version

    def check_then_someone_else_writes(request: Any, version: int) -> int | None:
        expected = real(request, version)
        Case.objects.filter(pk=world.case.pk).update(version=version + 1)
        return expected

    monkeypatch.setattr(views, "expected_version", check_then_someone_else_writes)
    assert client.post(URL, CONTACT, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert world.case.events.count() == 6


BAD_EVENTS = [
    {"on": "2021-06-20", "type": "contact", "kind": "home_visit", "outcome": "maybe"},
    {"on": "2021-06-20", "type": "contact", "kind": "home_visit", "outcome": "attended", "colour": "blue"},
    {"on": "2021-06-20", "type": "contact", "outcome": "attended"},
    {"on": "2021-06-20", "type": "victim_contact", "ref": "V9", "by": "idva"},
    {"on": "2021-06-20", "type": "contact", "kind": "office", "outcome": "attended", "by": "NOBODY"},
    {"on": "2021-01-01", "type": "note", "text": "before the last event"},
    {"on": "20/06/2021", "type": "note"},
    {"on": "2021-06-20", "type": "party"},
    {"on": "2021-06-20", "type": "sentenced", "order": "custody", "requirements": [{"type": "rar", "days": -1}]},
    {"on": "2021-06-20", "type": "mappa", "category": 5, "level": 1},
    {"on": "2021-06-20", "type": {}},  # found by schemathesis: the validator raised TypeError (a 500)
    {"on": "2021-06-20", "type": "sentenced", "order": "custody", "requirements": [{"type": ["rar"]}]},
]


@pytest.mark.parametrize("event", BAD_EVENTS, ids=[f"{e['type']}-{i}" for i, e in enumerate(BAD_EVENTS)])
def test_a_bad_event_gets_the_validators_own_location_field_and_message(world: Any, event: dict[str, Any]) -> None:
    case = Case.objects.get(ref="X900001")
    with pytest.raises(TimelineError) as raised:
        validate_event(dict(event), refs_for(case), source="case X900001", where="event")
    client = world.client("pp", scopes=("read", "write_events"))
    response = client.post(URL, event, format="json", HTTP_IF_MATCH=etag_of(client))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == str(raised.value)
    assert problem["type"] == "urn:safeguard:problem:timeline-event"
    [error] = problem["errors"]
    assert error["location"] == raised.value.where and error["message"] == raised.value.problem
    if error["field"]:
        assert f"'{error['field']}'" in f"{error['location']}: {error['message']}"
    else:  # a problem with a whole list item: the location names it
        assert "[" in error["location"]
    assert world.case.events.count() == 6


def test_a_body_that_is_not_an_event_object_is_a_400(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    etag = etag_of(client)
    listed = client.post(URL, [CONTACT], format="json", HTTP_IF_MATCH=etag)
    assert listed.status_code == 400 and "expected an object" in listed.json()["detail"]
    broken = client.post(URL, "{not json", content_type="application/json", HTTP_IF_MATCH=etag)
    assert broken.status_code == 400 and broken.json()["status"] == 400
    form = client.post(URL, "a=b", content_type="application/x-www-form-urlencoded", HTTP_IF_MATCH=etag)
    assert form.status_code == 415


def test_who_may_record(world: Any) -> None:
    event = CONTACT
    spo = world.client("spo", scopes=("read", "write_events"))  # the practitioner's SPO may
    assert spo.post(URL, event, format="json", HTTP_IF_MATCH=etag_of(spo)).status_code == 201
    qa = world.client("qa", scopes=("read", "write_events"))  # sees the case, may not record on it
    response = qa.post(URL, {**event, "on": "2021-06-22"}, format="json", HTTP_IF_MATCH=etag_of(qa))
    assert response.status_code == 403
    read_only = world.client("pp", scopes=("read",))
    response = read_only.post(URL, {**event, "on": "2021-06-22"}, format="json", HTTP_IF_MATCH=etag_of(read_only))
    assert response.status_code == 403 and "write_events" in response.json()["detail"]
    other = world.client("other", scopes=("read", "write_events"))
    assert other.post(URL, event, format="json", HTTP_IF_MATCH='"1"').status_code == 404
