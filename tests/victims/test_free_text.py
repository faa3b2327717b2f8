"""Free text is where a refuge address leaks: someone types it into a note, a partner agency's answer or a
breach report. The world (tests/partner_world.py) has it typed into a case note, information received and a
breach description; here a children's social care answer carries it too ("other information" and the
summary). Every URL the project defines is walked as each role, and every rendered page, export, PDF and API
response is searched for it. Only a victim-facing worker in the case's unit may see it, and only on screen."""

from __future__ import annotations

import pytest
from django.test import Client

from partner_world import REFUGE, World
from safeguard.agencies import actions
from safeguard.agencies.models import AgencyRequest, BreachReport, MaracAction, MaracReferral
from safeguard.cases.models import Case, CaseEvent
from safeguard.practice.models import AgencyCheck
from safeguard.victims.models import ContactDetail, VictimRecord
from safeguard.victims.redaction import NEVER_DISCLOSE
from urlwalk import all_routes, body_text, squeeze

HIDDEN = squeeze("7 Hidden Lane")
ID_MODELS = (AgencyRequest, AgencyCheck, BreachReport, MaracAction, MaracReferral, VictimRecord, ContactDetail)


@pytest.fixture
def answered(world: World) -> World:
    actions.answer_request(world.csc_request, actions.Answer(
        callouts=None, callout_dates=[], children_known=True, child_protection="child_in_need",
        other_information=f"Mother and child moved to {REFUGE}", summary=f"Known; now at {REFUGE.upper()}"),
        user=world.users["csc"])
    return world


def _walk(client: Client) -> list[tuple[str, int, str, str]]:
    ids = sorted({str(pk) for model in ID_MODELS for pk in model.objects.values_list("pk", flat=True)})
    refs = [c.ref for c in Case.objects.all()]
    seqs = [str(s) for s in sorted(set(CaseEvent.objects.values_list("seq", flat=True)))[-3:]]
    values = {"ref": refs, "str": refs, "int": ids, "seq": seqs, "number": ["1"], "event_type": ["note"],
              "slug": ["note"]}
    found = []
    for route in all_routes():
        for path, _ in route.fill(values):
            response = client.get(path)
            kind = response.get("Content-Type", "")
            found.append((path, response.status_code, kind,
                          squeeze(body_text(response)) if response.status_code == 200 else ""))
    return found


def _channel(path: str, kind: str) -> str:
    if kind.startswith("application/pdf"):
        return "pdf"
    if path.startswith("/api/") or kind.startswith("application/json"):
        return "api"
    if "csv" in kind or "spreadsheet" in kind or path.endswith((".csv", ".xlsx")):
        return "export"
    return "page"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pp", "spo", "csc", "victim_worker_b"])
def test_free_text_never_shows_the_refuge_to_roles_not_entitled(answered: World, who: str) -> None:
    client = Client()
    client.force_login(answered.users[who])
    results = _walk(client)
    leaks = [f"{status} {path} ({kind})" for path, status, kind, text in results if HIDDEN in text]
    assert not leaks, "\n".join(leaks)
    assert not [path for path, status, _, _ in results if status >= 500]


@pytest.mark.django_db
def test_the_practitioner_sees_the_note_with_the_address_withheld(answered: World) -> None:
    client = Client()
    client.force_login(answered.users["pp"])
    page = client.get(f"/cases/{answered.case.ref}/?timeline=all").content.decode()
    assert "Vera rang: she is staying at " + NEVER_DISCLOSE in page
    assert "New address given: " + NEVER_DISCLOSE in page
    api = client.get(f"/api/v1/cases/{answered.case.ref}/events/")
    if api.status_code == 200:  # the API's event payloads: the same text, withheld
        assert squeeze(NEVER_DISCLOSE) in squeeze(api.content.decode()) and HIDDEN not in squeeze(
            api.content.decode())


@pytest.mark.django_db
def test_the_entitled_victim_worker_sees_it_on_screen_only(answered: World) -> None:
    client = Client()
    client.force_login(answered.users["victim_worker"])
    results = _walk(client)
    outside_pages = [f"{status} {path} ({kind})" for path, status, kind, text in results
                     if HIDDEN in text and _channel(path, kind) != "page"]
    assert not outside_pages, "\n".join(outside_pages)
    assert any(HIDDEN in text for path, status, kind, text in results if path.startswith("/victims/"))
