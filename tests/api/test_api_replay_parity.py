"""The key test of issue 10: posting a timeline's events one by one through the API, each on its own day (as a
practitioner would have recorded it), produces the same obligations and concern at every checkpoint as
`safeguard replay` of that timeline."""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from safeguard.accounts.models import Profile
from safeguard.actions import create_case, ensure_staff, ensure_unit
from safeguard.api.tokens import create_token
from safeguard.cases.models import Case
from safeguard.oversight.sweep import sweep
from safeguard.timeline.replay import replay_timeline
from safeguard.timeline.validate import Timeline, load_file, parse_on, validate_document
from safeguard.workforce.models import Staff, Team

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CORPUS = sorted((Path(__file__).parent.parent / "replay").glob("*.json"))
FIELDS = ("kind", "status", "due", "opened", "rule", "reason")


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)


def api_client_for(timeline: Timeline) -> tuple[APIClient, Case]:
    """The case (created as replay creates it) and an SPO's token whose team holds every practitioner named."""
    unit = ensure_unit(timeline.case.get("pdu") or "Replay")
    team = Team.objects.create(name="Replay team", unit=unit)
    for member in timeline.staff:
        ensure_staff(member)
    Staff.objects.update(team=team)
    user = User.objects.create_user("spo-integration")
    Profile.objects.create(user=user, role="spo", unit=unit)
    spo = Staff.objects.create(code="API-SPO", grade="SPO", team=team, user=user)
    info = timeline.case
    case = create_case(info["ref"], unit, born=date.fromisoformat(info["born"]) if info.get("born") else None,
                       gender=info.get("gender") or "")
    Case.objects.filter(pk=case.pk).update(practitioner=spo)  # visible to the SPO before the first allocation
    _, secret = create_token(user, ["read", "write_events"], name="parity test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, case


def all_pages(client: APIClient, url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


def listed(rows: list[dict[str, Any]], day: date, previous: date | None) -> list[tuple[Any, ...]]:
    """What replay lists at a checkpoint: open obligations, and those closed since the previous checkpoint."""
    out = []
    for o in rows:
        if o["status"] == "withdrawn":
            continue
        if o["status"] in {"done", "waived"}:
            closed = date.fromisoformat(o["closed_on"])
            if closed > day or (previous is not None and closed <= previous):
                continue
        out.append(tuple(o[f] for f in FIELDS))
    return sorted(out)


def through_the_api(timeline: Timeline) -> dict[str, Any]:
    client, case = api_client_for(timeline)
    url = f"/api/v1/cases/{case.ref}/"
    pending = list(timeline.events)
    checkpoints = []
    previous: date | None = None
    for checkpoint in sorted(timeline.checkpoints):
        while pending and parse_on(pending[0]["on"]) <= checkpoint:
            event = pending.pop(0)
            with time_machine.travel(noon(parse_on(event["on"])), tick=False):
                etag = client.get(url)["ETag"]
                response = client.post(f"{url}events/", event, format="json", HTTP_IF_MATCH=etag)
                assert response.status_code == 201, (event, response.content)
        with time_machine.travel(noon(checkpoint), tick=False):
            sweep()  # the daily sweep, as the live system runs it: time passes without events
            concern = client.get(url).json()["concern"]
            rows = all_pages(client, f"{url}obligations/?page_size=200")
        checkpoints.append({"on": checkpoint.isoformat(), "concern": concern,
                            "obligations": listed(rows, checkpoint, previous)})
        previous = checkpoint
    return {"case": case.ref, "checkpoints": checkpoints}


def replayed(timeline: Timeline) -> dict[str, Any]:
    result = replay_timeline(timeline)
    for checkpoint in result["checkpoints"]:
        checkpoint["obligations"] = sorted(tuple(o[f] for f in FIELDS) for o in checkpoint["obligations"])
    return result


def test_the_base_timeline_through_the_api_matches_replay(timeline_doc: dict[str, Any]) -> None:
    timeline = validate_document(copy.deepcopy(timeline_doc), "base.json")
    expected = replayed(timeline)
    assert any(c["obligations"] for c in expected["checkpoints"])
    assert through_the_api(timeline) == expected


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_each_corpus_timeline_through_the_api_matches_replay(path: Path) -> None:
    timeline = load_file(path)
    expected = replayed(timeline)  # first: replay rolls back everything it wrote
    assert through_the_api(timeline) == expected
