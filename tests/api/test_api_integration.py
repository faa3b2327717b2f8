"""Integration accounts (another case-management system): create cases in their own unit through
actions.create_case and post their events, checked by the same validator as a timeline file."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from safeguard.accounts.models import Profile
from safeguard.actions import ensure_unit
from safeguard.api.tokens import create_token
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation
from safeguard.timeline.schema import FORMAT
from safeguard.timeline.validate import Refs, TimelineError, validate_document, validate_event

pytestmark = pytest.mark.django_db

SCOPES = ("read", "write_events", "create_cases")


@pytest.fixture
def feed(world: Any) -> APIClient:
    user = User.objects.create_user("ndelius-north")
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, role="integration", unit=world.unit)
    world.users["feed"] = user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {create_token(user, SCOPES, name='nDelius North')[1]}")
    return client


def test_an_integration_account_creates_a_case_and_records_its_events(world: Any, feed: APIClient) -> None:
    created = feed.post("/api/v1/cases/", {"ref": "X777001", "born": "1991-02-03", "gender": "male"}, format="json")
    assert created.status_code == 201, created.content
    case = Case.objects.get(ref="X777001")
    assert created["Location"].endswith("/api/v1/cases/X777001/") and created["ETag"] == f'"{case.version}"'
    assert case.unit == world.unit and str(case.born) == "1991-02-03" and created.json()["unit"] == "North City"
    assert AuditEntry.objects.filter(action="case.created", case_ref="X777001", user=world.users["feed"]).exists()
    etag = created["ETag"]
    for event in [
        {"on": "2024-03-01", "type": "person_added", "ref": "V1", "relationship": "partner", "victim": True},
        {"on": "2024-03-04", "type": "sentenced", "order": "community_order", "months": 12,
         "offence": {"description": "assault", "victims": ["V1"], "domestic": True}},
        {"on": "2024-03-05", "type": "allocated", "practitioner": "P1"},
    ]:
        response = feed.post("/api/v1/cases/X777001/events/", event, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 201, response.content
        assert response.json()["source"] == "api"
        etag = response["ETag"]
    assert Obligation.objects.filter(case=case).exists()


def test_case_bodies_are_checked_exactly_as_in_a_timeline_file(world: Any, feed: APIClient) -> None:
    body = {"ref": "X777002", "colour": "red"}
    response = feed.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    with pytest.raises(TimelineError) as expected:
        validate_document({"format": FORMAT, "case": {**body, "pdu": "North City"}, "events": []}, "api")
    problem = response.json()
    assert problem["detail"] == str(expected.value)
    assert problem["errors"][0]["message"] == expected.value.problem
    assert not Case.objects.filter(ref="X777002").exists()
    spaced = feed.post("/api/v1/cases/", {"ref": "All cases I can see"}, format="json")
    assert spaced.status_code == 400 and spaced.json()["errors"][0]["field"] == "ref"
    bad_date = feed.post("/api/v1/cases/", {"ref": "X777003", "born": "03/02/1991"}, format="json")
    assert bad_date.status_code == 400 and bad_date.json()["errors"][0]["field"] == "born"


def test_event_bodies_are_checked_exactly_as_in_a_timeline_file(world: Any, feed: APIClient) -> None:
    etag = feed.get("/api/v1/cases/X900001/")["ETag"]
    event = {"on": "2021-06-20", "type": "contact", "kind": "office", "outcome": "late", "by": "P1"}
    response = feed.post("/api/v1/cases/X900001/events/", event, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    with pytest.raises(TimelineError) as expected:
        validate_event(dict(event), Refs(people={"V1"}, staff={"P1", "S1"}))
    assert response.json()["errors"][0]["message"] == expected.value.problem


def test_an_integration_account_stays_in_its_unit_and_its_lane(world: Any, feed: APIClient) -> None:
    elsewhere = feed.post("/api/v1/cases/", {"ref": "X777004", "pdu": "South Town"}, format="json")
    assert elsewhere.status_code == 403 and "North City" in elsewhere.json()["detail"]
    duplicate = feed.post("/api/v1/cases/", {"ref": "X900001"}, format="json")
    assert duplicate.status_code == 409
    # No manager's decisions, no victims' records, no measures, no partner queue.
    etag = feed.get("/api/v1/cases/X900001/")["ETag"]
    decision = {"on": "2021-06-20", "type": "manager_decision", "by": "S1", "about": "home_visit",
                "decision": "waived"}
    assert feed.post("/api/v1/cases/X900001/events/", decision, format="json",
                     HTTP_IF_MATCH=etag).status_code == 403
    assert feed.get("/api/v1/victims/").status_code == 403  # no `victims` scope on its token
    session = APIClient()
    session.force_login(world.users["feed"])
    assert session.get("/api/v1/victims/?case=X900001").json()["results"] == []  # nor in its role
    assert feed.get("/api/v1/measures/").status_code == 403
    assert session.get("/api/v1/requests/").json()["results"] == []
    # A case in another unit does not exist for it.
    Case.objects.filter(ref="X900002").update(unit=ensure_unit("South Town"))
    assert feed.get("/api/v1/cases/X900002/").status_code == 404


def test_only_integration_accounts_with_the_scope_create_cases(world: Any, feed: APIClient) -> None:
    for client in (world.client("spo"), world.client("spo", scopes=("read", "write_events", "create_cases"))):
        response = client.post("/api/v1/cases/", {"ref": "X777005"}, format="json")
        assert response.status_code == 403, response.content
    no_scope = APIClient()
    no_scope.credentials(HTTP_AUTHORIZATION="Bearer " + create_token(world.users["feed"], ["read"])[1])
    refused = no_scope.post("/api/v1/cases/", {"ref": "X777005"}, format="json")
    assert refused.status_code == 403 and "'create_cases' scope" in refused.json()["detail"]
    assert not Case.objects.filter(ref="X777005").exists()
