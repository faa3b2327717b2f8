"""Fuzzing the timeline importer (hypothesis): generated and mutated timeline documents never end in an
unhandled exception or a partial write. The CLI exits 0 (imported) or 2 (refused, with a message); the API
answers 2xx or a 4xx problem document, never a 500; a refused import leaves every row count as it was.
Bounded: max_examples keeps each test well under a minute."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from safeguard.accounts.models import Profile
from safeguard.api.tokens import create_token
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case, CaseEvent, LinkedPerson
from safeguard.cli import main
from safeguard.oversight.models import Obligation
from safeguard.workforce.models import DeliveryUnit, Region, Staff

pytestmark = pytest.mark.django_db(transaction=False)

BASE: dict[str, Any] = {
    "format": "safeguard-timeline/1",
    "case": {"ref": "X900001", "born": "1988-04-02", "gender": "male", "pdu": "North City"},
    "staff": [{"ref": "P1", "grade": "PSO", "qualified_on": None, "da_trained": False}],
    "events": [
        {"on": "2021-05-28", "type": "person_added", "ref": "V1", "relationship": "ex_partner", "victim": True,
         "born": "1990-01-01"},
        {"on": "2021-06-01", "type": "sentenced", "order": "community_order", "months": 24,
         "requirements": [{"type": "rar", "days": 20}],
         "offence": {"description": "assault by beating", "victims": ["V1"], "domestic": True}},
        {"on": "2021-06-02", "type": "allocated", "practitioner": "P1"},
        {"on": "2021-06-03T10:15:00", "type": "check_requested", "agency": "police"},
        {"on": "2021-06-15", "type": "registered", "code": "ADVP"},
    ],
}
MODELS = (Case, CaseEvent, LinkedPerson, Obligation, AuditEntry, Staff, DeliveryUnit)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=30), st.sampled_from(["", "2021-13-40", "2021-06-02", "X900001", "V1", "P1",
                                                           "=1+1", "\x00", "9" * 400, "2021-06-03T25:00:00"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                           max_leaves=12)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    """The base timeline with a few mutations: a value replaced, a key removed or added, an event duplicated
    or moved; or, now and then, any JSON value at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    doc = copy.deepcopy(BASE)
    doc["case"]["ref"] = f"X{draw(st.integers(100000, 999999))}"
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "add", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "remove":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return doc


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(doc=mutated_documents())
def test_the_cli_import_never_crashes_and_a_refused_import_writes_nothing(
        doc: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps(doc))
    before = counts()
    code = main(["import", str(path)])  # any exception fails the test
    out = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert out.err.strip(), "a refusal says why"
        assert counts() == before, "a refused import wrote something"
    else:
        assert counts()["Case"] == before["Case"] + 1


def test_a_file_that_is_not_json_or_not_utf8_is_refused_with_where(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for content in (b"{\"format\": ", b"\xff\xfe\x00", b"[]"):
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        before = counts()
        assert main(["import", str(path)]) == 2
        assert "bad.json" in capsys.readouterr().err and counts() == before


@pytest.fixture
def integration(db: None) -> APIClient:
    region = Region.objects.create(name="North")
    unit = DeliveryUnit.objects.create(name="North City", region=region)
    user = User.objects.create_user("feed", email="feed@probation.example")
    Profile.objects.create(user=user, role="integration", unit=unit)
    client = APIClient()
    _, secret = create_token(user, ("read", "create_cases", "write_events"), name="fuzz")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(doc=mutated_documents())
def test_the_api_import_path_never_answers_500_and_a_refusal_writes_nothing(doc: Any, integration: APIClient) -> None:
    body = doc.get("case") if isinstance(doc, dict) and isinstance(doc.get("case"), dict) else doc
    before = counts()
    created = integration.post("/api/v1/cases/", body, format="json")
    assert created.status_code < 500, created.content
    if created.status_code >= 400:
        assert created["Content-Type"].startswith("application/problem+json")
        assert counts() == before
        return
    ref = created.json()["ref"]
    tag = created["ETag"]
    events = doc.get("events") if isinstance(doc, dict) and isinstance(doc.get("events"), list) else [doc]
    for event in events[:4]:
        before = counts()
        sent = integration.post(f"/api/v1/cases/{ref}/events/", event, format="json", HTTP_IF_MATCH=tag)
        assert sent.status_code < 500, sent.content
        if sent.status_code >= 400:
            assert sent["Content-Type"].startswith("application/problem+json")
            assert counts() == before
        else:
            tag = sent["ETag"]
