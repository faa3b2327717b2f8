"""Who sees what through the API: visible cases only; a partner-agency token sees its queue and nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.practice.models import AgencyCheck
from sign_ins import make_user

pytestmark = pytest.mark.django_db


def refs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["ref"] for row in response.json()["results"]]


def test_each_user_lists_only_the_cases_they_may_see(world: Any) -> None:
    assert refs(world.client("pp").get("/api/v1/cases/")) == ["X900001"]
    assert refs(world.client("spo").get("/api/v1/cases/")) == ["X900001"]
    assert refs(world.client("other").get("/api/v1/cases/")) == ["X900002"]
    assert refs(world.client("qa").get("/api/v1/cases/")) == ["X900001", "X900002"]
    assert refs(world.client("admin").get("/api/v1/cases/")) == []
    for who in ("police", "csc"):  # partners: the case list does not exist for them
        assert world.client(who).get("/api/v1/cases/").status_code == 404


def test_a_case_the_user_may_not_see_does_not_exist_for_them(world: Any) -> None:
    client = world.client("other", scopes=("read",))
    for path in ("", "people/", "events/", "events/1/", "obligations/"):
        response = client.get(f"/api/v1/cases/X900001/{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/cases/X900002/").status_code == 200


def test_case_detail_people_events_and_obligations(world: Any) -> None:
    client = world.client("pp", scopes=("read",))
    case = client.get("/api/v1/cases/X900001/")
    assert case.status_code == 200
    body = case.json()
    assert body["ref"] == "X900001" and body["practitioner"] == "P1" and body["unit"] == "North City"
    assert case["ETag"] == f'"{body["version"]}"'
    assert "name" not in body
    people = client.get("/api/v1/cases/X900001/people/").json()["results"]
    assert people == [{"ref": "V1", "relationship": "ex_partner", "born": "1990-01-01", "gender": "",
                       "lives_with_case": False, "victim": True, "current_partner": False, "pregnant_since": None,
                       "child_protection": "none", "added_on": "2021-05-28"}]
    events = client.get("/api/v1/cases/X900001/events/").json()
    assert events["count"] == 6
    assert [e["type"] for e in events["results"]][:2] == ["person_added", "sentenced"]
    assert events["results"][0]["payload"]["ref"] == "V1"
    one = client.get("/api/v1/cases/X900001/events/2/").json()
    assert one["type"] == "sentenced" and one["seq"] == 2
    obligations = client.get("/api/v1/cases/X900001/obligations/").json()["results"]
    assert obligations and all(o["case"] == "X900001" for o in obligations)
    assert {o["status"] for o in obligations} <= {"due", "overdue", "done", "waived", "withdrawn"}


def test_filtering_ordering_and_pagination(world: Any) -> None:
    client = world.client("qa", scopes=("read",))
    assert refs(client.get("/api/v1/cases/?ordering=-ref")) == ["X900002", "X900001"]
    page = client.get("/api/v1/cases/?page_size=1&page=2").json()
    assert page["count"] == 2 and [r["ref"] for r in page["results"]] == ["X900002"] and page["previous"]
    events = world.client("pp").get("/api/v1/cases/X900001/events/?type=check_requested&type=check_returned")
    assert [e["type"] for e in events.json()["results"]] == ["check_requested", "check_returned"]
    events = world.client("pp").get("/api/v1/cases/X900001/events/?on_after=2021-06-14&ordering=-seq")
    assert [e["seq"] for e in events.json()["results"]] == [6, 5]
    done = world.client("pp").get("/api/v1/cases/X900001/obligations/?status=done").json()["results"]
    assert done and {o["status"] for o in done} == {"done"}
    bad = world.client("pp").get("/api/v1/cases/?concern=dire&mine=maybe")
    assert bad.status_code == 400
    assert {(e["field"], e["location"]) for e in bad.json()["errors"]} == {("concern", "query"), ("mine", "query")}


def test_the_obligation_queue_holds_open_obligations_on_visible_cases(world: Any) -> None:
    mine = world.client("pp", scopes=("read",)).get("/api/v1/obligations/?mine=true").json()["results"]
    assert mine and {o["case"] for o in mine} == {"X900001"}
    assert {o["status"] for o in mine} <= {"due", "overdue"}
    others = world.client("other").get("/api/v1/obligations/").json()["results"]
    assert {o["case"] for o in others} == {"X900002"}
    one = mine[0]["id"]
    assert world.client("pp").get(f"/api/v1/obligations/{one}/").status_code == 200
    assert world.client("other").get(f"/api/v1/obligations/{one}/").status_code == 404


def test_a_partner_agency_token_sees_only_its_agencys_queue(world: Any) -> None:
    police = world.client("police", scopes=("partner_agency",))
    for path in ("/api/v1/cases/", "/api/v1/cases/X900001/", "/api/v1/obligations/", "/api/v1/cases/X900001/events/"):
        response = police.get(path)
        assert response.status_code == 404, path  # nothing outside the queue exists for a partner
        assert response["Content-Type"] == "application/problem+json"
    queue = police.get("/api/v1/checks/").json()["results"]
    assert [(c["case"], c["agency"], c["status"]) for c in queue] == [("X900001", "police", "returned")]
    assert set(queue[0]) == {"id", "case", "agency", "requested_on", "returned_on", "status", "about"}
    csc = world.client("csc", scopes=("partner_agency",)).get("/api/v1/checks/?status=open").json()["results"]
    assert [(c["case"], c["agency"], c["status"]) for c in csc] == [("X900002", "childrens_services", "open")]
    # Even with every scope, a partner user sees no case records; and staff see no partner queue.
    everything = world.client("police", scopes=("read", "partner_agency"))
    assert everything.get("/api/v1/cases/").status_code == 404
    assert everything.get("/api/v1/cases/X900001/").status_code == 404
    assert world.client("pp").get("/api/v1/checks/").json()["results"] == []
    # A check in another delivery unit's area is not in the queue.
    check = AgencyCheck.objects.get(case=world.case)
    assert police.get(f"/api/v1/checks/{check.pk}/").status_code == 200
    from safeguard.actions import ensure_unit

    world.users["police"].profile.unit = ensure_unit("Elsewhere")
    world.users["police"].profile.save()
    assert police.get(f"/api/v1/checks/{check.pk}/").status_code == 404


def test_a_partner_agency_answers_a_check_through_the_api(world: Any) -> None:
    check = AgencyCheck.objects.get(case=world.other_case)
    csc = world.client("csc", scopes=("partner_agency",))
    read = csc.get(f"/api/v1/checks/{check.pk}/")
    assert read.json()["status"] == "open"
    answer = {"on": "2021-06-10", "known_to_childrens_services": True, "summary": "Known since 2019"}
    assert csc.post(f"/api/v1/checks/{check.pk}/return/", answer, format="json").status_code == 428
    done = csc.post(f"/api/v1/checks/{check.pk}/return/", answer, format="json", HTTP_IF_MATCH=read["ETag"])
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "returned" and done.json()["returned_on"] == "2021-06-10"
    event = world.other_case.events.order_by("-seq").first()
    assert event.type == "check_returned" and event.source == "api" and event.recorded_by == world.users["csc"]
    again = csc.post(f"/api/v1/checks/{check.pk}/return/", answer, format="json", HTTP_IF_MATCH=done["ETag"])
    assert again.status_code == 409
    # A read-only token cannot answer; the police cannot answer children's services' requests.
    assert world.client("csc", scopes=("read",)).post(f"/api/v1/checks/{check.pk}/return/", answer,
                                                       format="json").status_code == 403
    assert world.client("police", scopes=("partner_agency",)).get(f"/api/v1/checks/{check.pk}/").status_code == 404


def test_unauthenticated_requests_get_401_with_a_bearer_challenge(world: Any) -> None:
    response = world.client().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_session_writes_need_the_csrf_token(world: Any) -> None:
    client = world.client("pp", csrf=True)
    version = client.get("/api/v1/cases/X900001/")["ETag"]
    event = {"on": "2021-06-20", "type": "contact", "kind": "office", "outcome": "attended", "by": "P1"}
    refused = client.post("/api/v1/cases/X900001/events/", event, format="json", HTTP_IF_MATCH=version)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/api/v1/cases/X900001/")  # any page sets the CSRF cookie in the real app; here, fetch it
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    ok = client.post("/api/v1/cases/X900001/events/", event, format="json", HTTP_IF_MATCH=version,
                     HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret))
    assert ok.status_code == 201, ok.content


def test_never_disclose_details_are_withheld_from_event_payloads(world: Any) -> None:
    """A refuge address typed into a note never leaves the service through the API."""
    from safeguard.actions import record_event
    from safeguard.victims.actions import add_detail, ensure_records

    [record] = [r for r in ensure_records(world.case) if r.person.ref == "V1"]
    worker = make_user("vw", "victim_worker", None, world.unit)  # only they add never-disclose details
    add_detail(record, kind="address", value="4 Haven Close, Sheffield", never_disclose=True, user=worker)
    record_event(world.case, {"on": "2021-06-20", "type": "note", "by": "P1",
                              "text": "V1 has moved to 4 haven close SHEFFIELD with the children"})
    events = world.client("pp", scopes=("read",)).get("/api/v1/cases/X900001/events/?type=note").json()["results"]
    text = events[0]["payload"]["text"]
    assert "haven" not in text.lower() and "[never disclose: withheld]" in text and text.startswith("V1 has moved")


def test_reading_a_case_through_the_api_joins_its_access_log(world: Any) -> None:
    from safeguard.audit.models import AuditEntry

    world.client("pp", scopes=("read",)).get("/api/v1/cases/X900001/events/")
    entry = AuditEntry.objects.filter(action="case.viewed", case_ref="X900001").last()
    assert entry is not None and entry.user == world.users["pp"] and entry.detail["source"] == "api"
