"""Request limits (issue 33, finding 8): a body over limits.BODY_MAX is 413, JSON nested deeper than
limits.JSON_DEPTH_MAX is 400, free text over limits.TEXT_MAX is 400 naming the field; never a 500. The API
answers with its problem document, the web with a plain GOV.UK page."""

from __future__ import annotations

from typing import Any

import pytest
from test_api_events import CONTACT, URL, etag_of
from test_api_problems import assert_problem

from safeguard.cases.models import CaseEvent
from safeguard.limits import BODY_MAX

pytestmark = pytest.mark.django_db

FIVE_MB = b'{"text": "' + b"x" * (5 * 1024 * 1024) + b'"}'


def test_a_body_over_the_limit_is_413_with_a_problem_document(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    body = assert_problem(client.post(URL, FIVE_MB, content_type="application/json", HTTP_IF_MATCH=etag_of(client)),
                          413, URL)
    assert body["title"] == "Request Entity Too Large" and f"{BODY_MAX // 1024:,} KB" in body["detail"]
    assert CaseEvent.objects.filter(case=world.case).count() == 6


def test_a_body_over_the_limit_on_the_web_is_a_plain_413_page(world: Any) -> None:
    response = world.client("pp").post("/cases/X900001/record/contact/", FIVE_MB,
                                       content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b'<h1 class="govuk-heading-l">Too much was sent</h1>' in response.content


def test_deeply_nested_json_is_400_not_500(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    deep = "[" * 5000 + "]" * 5000
    body = assert_problem(client.post(URL, deep, content_type="application/json", HTTP_IF_MATCH=etag_of(client)),
                          400, URL)
    assert "nested more than 32 deep" in body["detail"]
    assert CaseEvent.objects.filter(case=world.case).count() == 6


def test_json_within_the_depth_limit_is_still_read(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    response = client.post(URL, CONTACT, format="json", HTTP_IF_MATCH=etag_of(client))
    assert response.status_code == 201, response.content


def test_free_text_over_the_limit_is_400_naming_the_field(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    note = {"on": "2021-06-20", "type": "note", "by": "P1", "text": "x" * 10_001}
    body = assert_problem(client.post(URL, note, format="json", HTTP_IF_MATCH=etag_of(client)), 400, URL)
    assert body["errors"][0]["field"] == "text"
    assert "at most 10,000 characters" in body["errors"][0]["message"]
    assert CaseEvent.objects.filter(case=world.case).count() == 6

