"""The partner-agency request workflow through the API: the queue (own agency and area only), a request showing
only what the agency needs, the structured answer through agencies.actions, and 404 for everything else."""

from __future__ import annotations

from typing import Any

import pytest
from api_routes import api_paths

from safeguard.actions import ensure_unit
from safeguard.agencies import actions as agency_actions
from safeguard.agencies.models import AgencyRequest
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import LinkedPerson
from sign_ins import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world: Any) -> AgencyRequest:
    """A request to children's services about V1 on X900001, with an address and a question."""
    case = world.case
    case.name = "Sam Sample"
    case.save(update_fields=["name"])
    person = LinkedPerson.objects.get(case=case, ref="V1")
    person.name = "Alex Example"
    person.save(update_fields=["name"])
    draft = agency_actions.draft_request(case, agency="childrens_services", question="Are the children known?",
                                         about=[person], addresses="12 Acacia Road, Northtown\n\n3 Elm Row",
                                         user=world.users["pp"])
    return agency_actions.send_request(draft, user=world.users["pp"])


def test_the_queue_holds_only_the_agencys_requests_for_its_area(world: Any, sent: AgencyRequest) -> None:
    csc = world.client("csc", scopes=("partner_agency",))
    rows = csc.get("/api/v1/requests/").json()["results"]
    assert {r["ref"] for r in rows} == {sent.ref, AgencyRequest.objects.get(case=world.other_case).ref}
    assert set(rows[0]) == {"id", "ref", "agency", "status", "sent_on", "answer_by", "chased_on", "escalated_on",
                            "returned_on"}
    assert all(r["agency"] == "childrens_services" for r in rows)
    police = world.client("police").get("/api/v1/requests/").json()["results"]
    assert [r["agency"] for r in police] == ["police"]
    assert world.client("police").get(f"/api/v1/requests/{sent.pk}/").status_code == 404
    # Staff have no partner queue; a draft is in nobody's queue.
    assert world.client("pp").get("/api/v1/requests/").json()["results"] == []
    draft = agency_actions.draft_request(world.case, agency="childrens_services", question="Draft", about=[],
                                         user=world.users["pp"])
    assert csc.get(f"/api/v1/requests/{draft.pk}/").status_code == 404
    # Another area's partner user sees none of it.
    world.users["csc"].profile.unit = ensure_unit("Elsewhere")
    world.users["csc"].profile.save()
    assert csc.get("/api/v1/requests/").json()["results"] == []
    assert csc.get(f"/api/v1/requests/{sent.pk}/").status_code == 404


def test_a_request_shows_only_what_the_agency_needs(world: Any, sent: AgencyRequest) -> None:
    csc = world.client("csc", scopes=("partner_agency",))
    response = csc.get(f"/api/v1/requests/{sent.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == {"name": "Sam Sample", "born": "1988-04-02"}
    assert body["people"] == [{"name": "Alex Example", "relationship": "ex_partner", "born": "1990-01-01"}]
    assert body["addresses"] == ["12 Acacia Road, Northtown", "3 Elm Row"]
    assert body["question"] == "Are the children known?"
    assert body["status"] == "sent" and body["answer"] is None and body["answer_by"]
    # Nothing else about the case: not its ref, concern, risk levels or events.
    text = response.content.decode()
    for absent in ("X900001", "concern", "rosh", "assault", "P1"):
        assert absent not in text, absent
    entry = AuditEntry.objects.filter(action="agency_request.viewed", object_id=str(sent.pk)).last()
    assert entry is not None and entry.user == world.users["csc"] and entry.detail["source"] == "api"
    again = csc.get(f"/api/v1/requests/{sent.pk}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"] and not again.content


def test_never_disclose_values_are_withheld_from_a_request(world: Any, sent: AgencyRequest) -> None:
    from safeguard.victims.actions import add_detail, ensure_records

    [record] = [r for r in ensure_records(world.case) if r.person.ref == "V1"]
    worker = make_user("vw", "victim_worker", None, world.unit)  # only they add never-disclose details
    add_detail(record, kind="address", value="3 Elm Row", never_disclose=True, user=worker)
    body = world.client("csc").get(f"/api/v1/requests/{sent.pk}/").content.decode()
    assert "Elm Row" not in body and "[never disclose: withheld]" in body


def test_an_agency_answers_with_structured_fields(world: Any, sent: AgencyRequest) -> None:
    csc = world.client("csc", scopes=("partner_agency",))
    answer = {"callout_dates": ["2024-02-01", "2023-11-30"], "children_known": True,
              "child_protection": "child_protection_plan", "other_information": "Social worker: duty team",
              "summary": "Both children are on a child protection plan"}
    response = csc.post(f"/api/v1/requests/{sent.pk}/answer/", answer, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "returned" and body["returned_on"]
    assert body["answer"] == {"callouts": 2, "callout_dates": ["2023-11-30", "2024-02-01"], "children_known": True,
                              "child_protection": "child_protection_plan",
                              "other_information": "Social worker: duty team",
                              "summary": "Both children are on a child protection plan"}
    sent.refresh_from_db()
    assert sent.status == "returned" and sent.answered_by == world.users["csc"] and sent.callouts == 2
    event = world.case.events.order_by("-seq").first()
    assert event.type == "check_returned" and event.payload["agency"] == "childrens_services"
    assert event.payload["known_to_childrens_services"] is True and event.recorded_by == world.users["csc"]
    again = csc.post(f"/api/v1/requests/{sent.pk}/answer/", answer, format="json")
    assert again.status_code == 409 and "already been answered" in again.json()["detail"]


def test_a_bad_answer_says_which_field_and_changes_nothing(world: Any, sent: AgencyRequest) -> None:
    csc = world.client("csc", scopes=("partner_agency",))
    version = world.case.version
    response = csc.post(f"/api/v1/requests/{sent.pk}/answer/",
                        {"child_protection": "unknown-status", "callout_dates": ["31/02/2024"], "summary": ""},
                        format="json")
    assert response.status_code == 400
    fields = {e["field"].split(".")[0].split("[")[0] for e in response.json()["errors"]}
    assert fields >= {"child_protection", "callout_dates", "summary"}, response.json()["errors"]
    sent.refresh_from_db()
    world.case.refresh_from_db()
    assert sent.status == "sent" and world.case.version == version
    # A read-only token may not answer.
    assert world.client("csc", scopes=("read",)).post(f"/api/v1/requests/{sent.pk}/answer/", {"summary": "x"},
                                                       format="json").status_code == 403


@pytest.mark.parametrize("token", [False, True], ids=["session", "token"])
def test_a_partner_gets_404_on_every_api_route_outside_its_queue(world: Any, token: bool) -> None:
    """Walks every route the API defines, not a hand-picked few."""
    police = world.client("police", scopes=("read", "write_events", "partner_agency", "victims", "create_cases")
                          if token else ())
    paths = api_paths(world)
    assert len(paths) >= 17
    for path, partner_facing in paths:
        for method in ("get", "post"):
            response = getattr(police, method)(path, {}, format="json")
            if partner_facing:
                assert response.status_code != 404 or method == "post", (method, path)
            else:
                assert response.status_code == 404, (method, path, response.status_code)
                assert response["Content-Type"] == "application/problem+json"
