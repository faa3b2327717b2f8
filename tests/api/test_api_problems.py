"""Every API error is an RFC 9457 problem document of one shape, whatever went wrong."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.api import views

pytestmark = pytest.mark.django_db

KEYS = {"type", "title", "status", "detail", "instance", "errors"}


def assert_problem(response: Any, status: int, path: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] == status and body["instance"] == path and body["title"] and body["detail"]
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"field", "location", "message"}
    return body


def test_not_found_anywhere_under_the_api(world: Any) -> None:
    client = world.client("pp", scopes=("read",))
    assert_problem(client.get("/api/v1/nothing-here/"), 404, "/api/v1/nothing-here/")
    assert_problem(client.get("/api/v2/cases/"), 404, "/api/v2/cases/")
    assert_problem(client.get("/api/v1/cases/NOPE/"), 404, "/api/v1/cases/NOPE/")
    assert_problem(client.get("/api/v1/cases/X900001/events/99/"), 404, "/api/v1/cases/X900001/events/99/")
    assert_problem(client.get("/api/v1/cases/?page=9"), 404, "/api/v1/cases/")


def test_unauthenticated_forbidden_and_method_not_allowed(world: Any) -> None:
    body = assert_problem(world.client().get("/api/v1/obligations/"), 401, "/api/v1/obligations/")
    assert body["type"] == "about:blank" and body["title"] == "Unauthorized"
    bad = world.client()
    bad.credentials(HTTP_AUTHORIZATION="Bearer sgt_not-a-real-token")
    assert_problem(bad.get("/api/v1/cases/"), 401, "/api/v1/cases/")
    assert_problem(world.client("pp", scopes=("read",)).post("/api/v1/cases/X900001/events/", {}, format="json"),
                   403, "/api/v1/cases/X900001/events/")  # a scope the token lacks
    # A partner agency: the route does not exist for them.
    assert_problem(world.client("police", scopes=("partner_agency",)).get("/api/v1/cases/"), 404, "/api/v1/cases/")
    body = assert_problem(world.client("pp", scopes=("read",)).delete("/api/v1/cases/X900001/"), 405,
                          "/api/v1/cases/X900001/")
    assert "DELETE" in body["detail"]


def test_not_acceptable_and_unsupported_media_type(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    assert_problem(client.get("/api/v1/cases/", HTTP_ACCEPT="text/html"), 406, "/api/v1/cases/")
    assert_problem(client.post("/api/v1/cases/X900001/events/", "x", content_type="text/plain", HTTP_IF_MATCH="*"),
                   415, "/api/v1/cases/X900001/events/")


def test_validation_problems_list_each_field(world: Any) -> None:
    body = assert_problem(world.client("pp").get("/api/v1/obligations/?kind=nap&due_before=soon"), 400,
                          "/api/v1/obligations/")
    assert body["type"] == "urn:safeguard:problem:validation"
    assert {(e["field"], e["location"]) for e in body["errors"]} == {("kind", "query"), ("due_before", "query")}


def test_rate_limited_requests_get_429_with_retry_after(world: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute", "write": "1/minute"}}
    client = world.client("pp", scopes=("read",))
    for _ in range(3):
        assert client.get("/api/v1/cases/").status_code == 200
    body = assert_problem(client.get("/api/v1/cases/"), 429, "/api/v1/cases/")
    assert body["title"] == "Too Many Requests"
    assert int(client.get("/api/v1/cases/")["Retry-After"]) > 0
    anonymous = world.client()  # anonymous callers reach only the schema and its reference page
    for _ in range(2):
        assert anonymous.get("/api/v1/schema/").status_code == 200
    assert_problem(anonymous.get("/api/v1/schema/"), 429, "/api/v1/schema/")


def test_unexpected_errors_are_500_problems_without_details(world: Any, monkeypatch: Any) -> None:
    def broken(self: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views.CaseList, "get_queryset", broken)
    body = assert_problem(world.client("pp", scopes=("read",)).get("/api/v1/cases/"), 500, "/api/v1/cases/")
    assert "secret" not in body["detail"]
