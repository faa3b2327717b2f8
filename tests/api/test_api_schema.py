"""The OpenAPI document, its reference page (served from local files, no CDN), and a bounded schemathesis run
over every operation: no server errors, and every response as the schema says (status, headers, body)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safeguard.api.tokens import create_token
from safeguard.timeline.schema import EVENTS

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


def test_the_schema_is_valid_openapi_3_and_covers_the_event_vocabulary(client: Any) -> None:
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    document = response.json()
    validate_schema(document)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {"/api/v1/cases/", "/api/v1/cases/{ref}/", "/api/v1/cases/{ref}/events/", "/api/v1/obligations/",
            "/api/v1/checks/", "/api/v1/checks/{id}/return/", "/api/v1/requests/", "/api/v1/requests/{id}/",
            "/api/v1/requests/{id}/answer/", "/api/v1/victims/", "/api/v1/victims/{id}/", "/api/v1/measures/",
            "/api/v1/measures/{measure}/"} <= paths
    assert "post" in document["paths"]["/api/v1/cases/"]
    schemas = document["components"]["schemas"]
    mapping = schemas["TimelineEvent"]["discriminator"]["mapping"]
    assert set(mapping) == set(EVENTS)
    post = document["paths"]["/api/v1/cases/{ref}/events/"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TimelineEvent"}
    assert {"400", "412", "428", "429"} <= set(post["responses"])
    assert "application/problem+json" in post["responses"]["412"]["content"]
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


def test_the_reference_page_uses_only_local_assets(client: Any) -> None:
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower()
    sources = re.findall(r'src="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        b"".join(asset.streaming_content) if asset.streaming else asset.content


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """Schemathesis calls the WSGI handler itself, whose request signals close "old" connections; inside a
    test's transaction that closes the test's own connection (on PostgreSQL). Django's test client
    disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world: Any) -> dict[str, str]:
    """Who calls each operation: children's services for the partner queue, an integration account to create
    cases, the SPO (every other scope) for the rest."""
    from django.contrib.auth.models import User

    from safeguard.accounts.models import Profile

    feed = User.objects.create_user("schemathesis-feed")
    Profile.objects.create(user=feed, role="integration", unit=world.unit)
    return {
        "staff": create_token(world.users["spo"], ["read", "write_events", "partner_agency", "victims"],
                              name="schemathesis")[1],
        "partner": create_token(world.users["csc"], ["partner_agency"], name="schemathesis partner")[1],
        "integration": create_token(feed, ["read", "write_events", "create_cases"], name="schemathesis feed")[1],
    }


def _caller(case: Any) -> str:
    if case.path.startswith(("/api/v1/requests/", "/api/v1/checks/")):
        return "partner"
    return "integration" if case.path == "/api/v1/cases/" and case.method.upper() == "POST" else "staff"


def _real_id(path: str, world: Any) -> int | None:
    """A real object for `{id}` paths, so requests reach past the 404."""
    from safeguard.agencies.models import AgencyRequest
    from safeguard.practice.models import AgencyCheck
    from safeguard.victims.actions import ensure_records

    if path.startswith("/api/v1/requests/"):
        return AgencyRequest.objects.filter(case=world.other_case).values_list("pk", flat=True).first()
    if path.startswith("/api/v1/checks/"):
        return AgencyCheck.objects.filter(case=world.other_case).values_list("pk", flat=True).first()
    if path.startswith("/api/v1/victims/"):
        return ensure_records(world.case)[0].pk
    return None


# Loaded at collection (pytest-django has set Django up; generating the schema reads no data). The lazy
# `schemathesis.pytest.from_fixture` loader does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case: Any, tokens: dict[str, str], world: Any) -> None:
    auth = {"Authorization": f"Bearer {tokens[_caller(case)]}"}
    case.call_and_validate(headers=auth, checks=CHECKS)
    real = _real_id(case.path, world) if "id" in (case.path_parameters or {}) else None
    if real is not None:
        case.path_parameters = {**case.path_parameters, "id": real}
        case.headers = {**(case.headers or {}), "If-Match": "*"}
        case.call_and_validate(headers=auth, checks=CHECKS)
    if "ref" in (case.path_parameters or {}):
        # The same request on a real case (and any version), so bodies reach the timeline validator.
        case.path_parameters = {**case.path_parameters, "ref": "X900001"}
        case.headers = {**(case.headers or {}), "If-Match": "*"}
        case.call_and_validate(headers=auth, checks=CHECKS)
