"""A refuge address marked never disclose appears nowhere it should not: every URL the project defines is
walked (GET, every parameter filled with real ids and refs) as every role, and the rendered output (pages,
CSV exports, PDFs as extracted text, API JSON) is searched for it. Only a victim-facing worker in the case's
unit sees it, on the victim's record page, and never in an export, PDF or API response."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from partner_world import REFUGE, World
from safeguard.agencies.models import AgencyRequest, BreachReport, DisclosureConsideration, MaracAction, MaracReferral
from safeguard.cases.models import Case, CaseEvent, Control
from safeguard.practice.models import AgencyCheck
from safeguard.victims.models import ContactDetail, SupportWorker, VictimRecord
from urlwalk import all_routes, body_text, squeeze

# Every kind of object that holds or leads to victims' details (the partner-agency walk in
# tests/agencies/test_access_walk.py also tries every obligation id, and searches for the address too).
ID_MODELS = (AgencyRequest, AgencyCheck, BreachReport, DisclosureConsideration, MaracAction, MaracReferral, Control,
             VictimRecord, ContactDetail, SupportWorker)
NOT_ENTITLED = ("pp", "spo", "other_pp", "head", "qa", "admin", "victim_worker_b", "police", "csc")
HIDDEN = [squeeze(REFUGE), squeeze("Hidden Lane"), squeeze("NT1 9ZZ")]


def candidates() -> dict[str, list[str]]:
    ids = sorted({pk for model in ID_MODELS for pk in model.objects.values_list("pk", flat=True)})
    refs = [c.ref for c in Case.objects.all()]
    seqs = sorted(set(CaseEvent.objects.values_list("seq", flat=True)))[:3]
    return {"ref": refs, "str": refs, "int": [str(i) for i in ids], "seq": [str(s) for s in seqs],
            "number": ["1"], "event_type": ["note", "victim_contact"], "slug": ["note"]}


def walk(client: Client) -> list[tuple[str, str, int, str, str]]:
    """(route name, path, status, content type, searchable text) for a GET of every URL."""
    found = []
    values = candidates()
    for route in all_routes():
        for path, _ in route.fill(values):
            response = client.get(path)
            kind = response.get("Content-Type", "")
            text = squeeze(body_text(response)) if response.status_code == 200 else ""
            found.append((route.name, path, response.status_code, kind, text))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("who", NOT_ENTITLED)
def test_never_disclose_address_is_on_no_page_export_pdf_or_api_response(world: World, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    results = walk(client)
    leaks = [f"{status} {path} ({kind})" for name, path, status, kind, text in results
             if any(h in text for h in HIDDEN)]
    assert not leaks, "\n".join(leaks)
    errors = [f"{status} {path}" for _, path, status, _, _ in results if status >= 500]
    assert not errors, "\n".join(errors)
    if who in {"pp", "spo"}:  # they do open the victim's record, the exports and the MARAC pack: all without it
        rendered = {name for name, _, status, _, _ in results if status == 200}
        assert {"victims:record", "victims:case-export", "agencies:marac-pack", "agencies:requests-csv",
                "agencies:request", "case"} <= rendered, rendered


@pytest.mark.django_db
def test_victim_worker_sees_it_on_the_record_page_only(world: World) -> None:
    client = Client()
    client.force_login(world.users["victim_worker"])
    results = walk(client)
    shown = {(name, kind.split(";")[0]) for name, _, _, kind, text in results if any(h in text for h in HIDDEN)}
    assert shown == {("victims:record", "text/html")}, shown
    exports = [path for name, path, status, kind, _ in results if status == 200 and not kind.startswith("text/html")]
    assert any(p.endswith("export.csv") for p in exports), exports


@pytest.mark.django_db
def test_no_email_carries_it(world: World) -> None:
    """The world sent requests, reported a breach: the emails hold references only."""
    assert mail.outbox
    for message in mail.outbox:
        text = squeeze(message.subject + message.body)
        assert not any(h in text for h in HIDDEN)
        assert "vera" not in text and "adamnorthcase" not in text


@pytest.mark.django_db
def test_event_log_holds_no_never_disclose_text(world: World) -> None:
    """Free text that mentioned the refuge (a MARAC reason) reached the case's event log without it. A note and
    information received typed straight onto the case keep their words in the log (it is the record); every
    renderer withholds it (tests/victims/test_free_text.py)."""
    for event in CaseEvent.objects.filter(case=world.case).exclude(type__in=["note", "information_received"]):
        assert not any(h in squeeze(str(event.payload)) for h in HIDDEN), event.type
    assert any("neverdisclosewithheld" in squeeze(str(e.payload))
               for e in CaseEvent.objects.filter(case=world.case, type="marac_referred"))
