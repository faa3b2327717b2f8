"""Optimistic concurrency on every editable record, web and API: two edits from the same version, the
second is refused with a clear message, and nothing the first one saved is lost."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from partner_world import World
from safeguard import concurrency
from safeguard.agencies.models import AgencyRequest
from safeguard.api.tokens import create_token
from safeguard.assessments.models import RiskAssessment
from safeguard.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def signed_in(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def hidden(html: str, *names: str) -> dict[str, str]:
    found = {}
    for name in names:
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        assert match, f"no hidden {name} on the page"
        found[name] = match.group(1)
    return found


@dataclass
class Editable:
    """One kind of editable record: how to open its form, what two editors post, and what was saved."""

    open: Callable[[World, Client], tuple[str, dict[str, str]]]  # (url, hidden fields from the form)
    answers: Callable[[World, str], dict[str, str]]  # an editor's answers, labelled by a marker
    saved: Callable[[World], str]  # the saved text the marker shows up in
    refused: int  # the status of the refused second edit


def _open_draft(world: World, client: Client) -> tuple[str, dict[str, str]]:
    url = f"/agencies/requests/{world.draft.pk}/edit/"
    return url, hidden(client.get(url).content.decode(), concurrency.FIELD)


def _open_assessment(world: World, client: Client) -> tuple[str, dict[str, str]]:
    started = client.post(f"/cases/{world.case.ref}/assessments/")
    assert started.status_code == 302
    url = started["Location"]
    return url, hidden(client.get(url).content.decode(), concurrency.FIELD)


def _open_case(world: World, client: Client) -> tuple[str, dict[str, str]]:
    url = f"/cases/{world.case.ref}/record/note/"
    return url, hidden(client.get(url).content.decode(), "version", "seen_seq")


def _note(world: World, marker: str) -> dict[str, str]:
    today = date.today()
    return {"on_day": str(today.day), "on_month": str(today.month), "on_year": str(today.year), "by": "P1",
            "text": f"Note {marker}"}


def _note_saved(world: World) -> str:
    return " ".join(str(e.payload) for e in CaseEvent.objects.filter(case=world.case, type="note"))


def _form_token(html_client: Client, url: str) -> dict[str, str]:
    return hidden(html_client.get(url).content.decode(), "form_token")


EDITABLE = {
    "agency request draft": Editable(
        _open_draft,
        lambda w, m: {"agency": "police", "question": f"Question {m}", "addresses": "", "area": str(w.unit.pk)},
        lambda w: AgencyRequest.objects.get(pk=w.draft.pk).question, 409),
    "risk assessment": Editable(
        _open_assessment,
        lambda w, m: {"summary": f"Summary {m}", "abuse_note": f"Note {m}"},
        lambda w: str(RiskAssessment.objects.get(case=w.case).content()), 409),
    "case (an event recorded from a stale page)": Editable(_open_case, _note, _note_saved, 400),
}


@pytest.mark.parametrize("kind", list(EDITABLE))
def test_two_edits_from_the_same_version_the_second_is_refused_and_nothing_is_lost(world: World, kind: str) -> None:
    editable = EDITABLE[kind]
    first, second = signed_in(world, "pp"), signed_in(world, "spo")
    url, seen = editable.open(world, first)
    extra = {"form_token": _form_token(first, url)["form_token"]} if "seen_seq" in seen else {}
    saved = first.post(url, {**seen, **extra, **editable.answers(world, "FIRST-EDIT")})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert "FIRST-EDIT" in editable.saved(world)

    extra = {"form_token": _form_token(second, url)["form_token"]} if "seen_seq" in seen else {}
    refused = second.post(url, {**seen, **extra, **editable.answers(world, "SECOND-EDIT")})
    assert refused.status_code == editable.refused
    page = refused.content.decode()
    assert "There is a problem" in page
    assert "Nothing has been saved" in page or "Your changes were not saved" in page
    now = editable.saved(world)
    assert "FIRST-EDIT" in now and "SECOND-EDIT" not in now


def test_the_refusal_page_shows_the_other_persons_version_and_a_fresh_token(world: World) -> None:
    first, second = signed_in(world, "pp"), signed_in(world, "pp")
    url, seen = _open_draft(world, first)
    assert first.post(url, {**seen, "agency": "police", "question": "THEIR-VERSION", "addresses": "",
                            "area": str(world.unit.pk)}).status_code == 302
    mine = {"agency": "police", "question": "MINE", "addresses": "", "area": str(world.unit.pk)}
    refused = second.post(url, {**seen, **mine})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert concurrency.STALE_MESSAGE in page.replace("&#x27;", "'")
    assert "THEIR-VERSION" in page and "MINE" not in page
    fresh = hidden(page, concurrency.FIELD)
    assert fresh != seen
    again = second.post(url, {**fresh, **mine})
    assert again.status_code == 302
    assert AgencyRequest.objects.get(pk=world.draft.pk).question == "MINE"


def test_a_claim_is_a_conditional_update_that_refuses_a_stale_or_missing_token(world: World) -> None:
    draft = world.draft
    token = concurrency.token(draft)
    with pytest.raises(concurrency.StaleEdit):
        concurrency.claim(draft, "")
    with pytest.raises(concurrency.StaleEdit):
        concurrency.claim(draft, "not-a-token")
    draft.question = "changed behind the editor's back"
    draft.save(update_fields=["question"])
    with pytest.raises(concurrency.StaleEdit):
        concurrency.claim(draft, token)


# -- the API: the case's version is the ETag, If-Match is required and a stale one is refused ---------------
def api_client(world: World, who: str, scopes: tuple[str, ...]) -> APIClient:
    client = APIClient()
    _, secret = create_token(world.users[who], scopes, name=f"test {who}")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _event_write(world: World) -> tuple[APIClient, str, str, Callable[[str], dict[str, Any]]]:
    client = api_client(world, "pp", ("read", "write_events"))
    url = f"/api/v1/cases/{world.case.ref}/events/"
    tag = client.get(url)["ETag"]
    return client, url, tag, lambda m: {"on": date.today().isoformat(), "type": "note", "by": "P1",
                                         "text": f"Note {m}"}


def _check_return(world: World) -> tuple[APIClient, str, str, Callable[[str], dict[str, Any]]]:
    check = world.police_request.agency_check
    assert check is not None
    client = api_client(world, "police", ("partner_agency",))
    tag = client.get(f"/api/v1/checks/{check.pk}/")["ETag"]
    # A second writer changes the case in between: the check's ETag (the case's version) is then stale.
    return client, f"/api/v1/checks/{check.pk}/return/", tag, lambda m: {
        "on": date.today().isoformat(), "callouts": 1, "summary": f"Answer {m}"}


@pytest.mark.parametrize("write", [_event_write, _check_return], ids=["case event", "check return"])
def test_api_writes_need_if_match_and_a_stale_etag_is_refused_with_412(world: World, write: Any) -> None:
    client, url, tag, body = write(world)
    assert client.post(url, body("NO-IF-MATCH"), format="json").status_code == 428
    other = api_client(world, "pp", ("read", "write_events"))
    moved = other.post(f"/api/v1/cases/{world.case.ref}/events/", {
        "on": date.today().isoformat(), "type": "note", "by": "P1", "text": "FIRST-EDIT"}, format="json",
        HTTP_IF_MATCH=tag)
    assert moved.status_code == 201, moved.content
    before = CaseEvent.objects.filter(case=world.case).count()
    stale = client.post(url, body("SECOND-EDIT"), format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert stale["Content-Type"].startswith("application/problem+json")
    assert CaseEvent.objects.filter(case=world.case).count() == before
    assert "SECOND-EDIT" not in str(list(CaseEvent.objects.filter(case=world.case).values_list("payload", flat=True)))


@pytest.mark.parametrize("kind", list(EDITABLE))
def test_an_edit_without_its_token_is_refused_like_a_stale_one(world: World, kind: str) -> None:
    """Issue 33, finding 10: a hand-made POST (or an old page) without the edit token no longer overwrites."""
    editable = EDITABLE[kind]
    client = signed_in(world, "pp")
    url, _seen = editable.open(world, client)
    before = editable.saved(world)
    refused = client.post(url, editable.answers(world, "NO-TOKEN"))
    assert refused.status_code == editable.refused
    assert "There is a problem" in refused.content.decode()
    assert "NO-TOKEN" not in editable.saved(world) and editable.saved(world) == before
