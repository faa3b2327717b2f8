"""Victims' and children's records: apart from the case, with their own permission and an access log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from partner_world import REFUGE, VICTIM_PHONE, World
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import CaseEvent
from safeguard.oversight.models import Obligation
from safeguard.victims import redaction
from safeguard.victims.models import ContactDetail, SafetyContact, VictimRecord


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["police", "csc", "head", "qa", "admin", "other_pp", "victim_worker_b"])
def test_only_the_cases_practitioner_spo_and_victim_workers_open_the_records(world: World, who: str) -> None:
    client = client_for(world, who)
    for path in (f"/victims/cases/{world.case.ref}/", f"/victims/{world.victim.pk}/",
                 f"/victims/{world.victim.pk}/access/", f"/victims/cases/{world.case.ref}/export.csv"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/victims/{world.victim.pk}/details/", {"kind": "phone", "value": "1"}).status_code == 404
    assert client.post(f"/victims/details/{world.refuge.pk}/remove/").status_code == 404
    listing = client.get("/victims/")
    assert listing.status_code == 403 or "Vera Victim" not in listing.content.decode()


@pytest.mark.django_db
def test_practitioner_sees_contact_details_but_not_the_refuge(world: World) -> None:
    page = client_for(world, "pp").get(f"/victims/{world.victim.pk}/").content.decode()
    assert VICTIM_PHONE in page and "Ida Adviser" in page and "SAFETY-PLAN-TEXT" in page
    assert "Hidden Lane" not in page and redaction.NEVER_DISCLOSE in page


@pytest.mark.django_db
def test_victim_worker_sees_the_refuge_on_screen(world: World) -> None:
    client = client_for(world, "victim_worker")
    assert REFUGE in client.get(f"/victims/{world.victim.pk}/").content.decode()
    export = client.get(f"/victims/cases/{world.case.ref}/export.csv").content.decode()
    assert VICTIM_PHONE in export and "Hidden Lane" not in export and redaction.NEVER_DISCLOSE in export
    listing = client.get("/victims/").content.decode()
    assert "Vera Victim" in listing and "Nina Newpartner" in listing and "Cara Child" in listing
    assert "X200002" not in listing  # the other unit's case


@pytest.mark.django_db
def test_every_opening_is_in_the_records_access_log(world: World) -> None:
    client_for(world, "pp").get(f"/victims/{world.victim.pk}/")
    client_for(world, "victim_worker").get(f"/victims/{world.victim.pk}/")
    viewers = set(AuditEntry.objects.filter(action="victim.viewed", object_type="victim_record",
                                            object_id=str(world.victim.pk)).values_list("user__username", flat=True))
    assert viewers == {"pp", "victim_worker"}
    page = client_for(world, "spo").get(f"/victims/{world.victim.pk}/access/").content.decode()
    assert "victim.viewed" in page and "victim_worker" in page
    for entry in AuditEntry.objects.filter(object_type="victim_record"):
        assert "Hidden" not in str(entry.detail) and VICTIM_PHONE not in str(entry.detail)


@pytest.mark.django_db
def test_safety_contact_is_a_victim_contact_event_and_meets_rule_18(world: World) -> None:
    n1 = next(r for r in VictimRecord.objects.filter(case=world.case) if r.person.ref == "N1")
    due = Obligation.objects.get(case=world.case, kind="victim_safety", key__startswith="victim-safety:N1:")
    assert due.status == "due"
    response = client_for(world, "victim_worker").post(f"/victims/{n1.pk}/contacts/", {
        "by": "partner_link_worker", "safety_plan": "on", "plan": "Code word agreed", "plan_review_on": "2026-02-01"})
    assert response.status_code == 302
    contact = SafetyContact.objects.get(record=n1)
    assert contact.event.type == "victim_contact"
    assert contact.event.payload == {"on": "2026-01-05", "type": "victim_contact", "ref": "N1",
                                     "by": "partner_link_worker", "safety_plan": True}
    assert "Code word" not in str(CaseEvent.objects.filter(case=world.case).values_list("payload", flat=True))
    due.refresh_from_db()
    assert due.status == "done"


@pytest.mark.django_db
def test_details_added_and_removed(world: World) -> None:
    client = client_for(world, "victim_worker")
    response = client.post(f"/victims/{world.victim.pk}/details/", {"kind": "email", "value": "vera@example.org",
                                                                    "never_disclose": "on", "note": ""})
    assert response.status_code == 302
    detail = ContactDetail.objects.get(kind="email")
    assert detail.never_disclose and detail.added_by == world.users["victim_worker"]
    assert "vera@example.org" not in client_for(world, "pp").get(f"/victims/{world.victim.pk}/").content.decode()
    assert client.post(f"/victims/details/{detail.pk}/remove/").status_code == 302
    detail.refresh_from_db()
    assert detail.removed_at is not None


@pytest.mark.django_db
def test_children_and_partners_have_records(world: World) -> None:
    refs = sorted(VictimRecord.objects.filter(case=world.case).values_list("person__ref", flat=True))
    assert refs == ["C1", "N1", "V1"]


@pytest.mark.parametrize("text", [REFUGE, REFUGE.upper(), "refuge house 7 hidden-lane, northtown  nt1 9zz",
                                  f"She moved to {REFUGE}. Call first."])
def test_scrub_finds_the_value_however_it_is_written(text: str) -> None:
    scrubbed = redaction.scrub_values(text, [REFUGE])
    assert "hidden" not in scrubbed.lower() and redaction.NEVER_DISCLOSE in scrubbed


def test_scrub_leaves_other_text_alone() -> None:
    # The building's name alone is part of the address (issue 33): it is withheld; other text is not.
    assert redaction.scrub_values("Refuge House is full", [REFUGE]) == f"{redaction.NEVER_DISCLOSE} is full"
    assert redaction.scrub_values("The refuge is full; 9 Hidden Lane", [REFUGE]) == "The refuge is full; 9 Hidden Lane"


def test_sealed_values_go_through_show_not_scrub(world: Any = None) -> None:
    from safeguard.victims.fields import Sealed

    with pytest.raises(TypeError):
        redaction.scrub(Sealed("x"), case=None, user=None, channel="page")
    with pytest.raises(ValueError):
        redaction.scrub("x", case=None, user=None, channel="fax")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pp", "spo"])
def test_only_victim_workers_add_or_remove_a_never_disclose_detail(world: World, who: str) -> None:
    """Red team, issue 33 finding 5: the practitioner removed the victim's refuge address. The action refuses (so
    every caller does), the page says why, and nothing changes; ordinary details they still manage."""
    from safeguard.victims import actions

    audit_before = AuditEntry.objects.filter(action__startswith="victim.detail_").count()
    client = client_for(world, who)
    removing = client.post(f"/victims/details/{world.refuge.pk}/remove/")
    assert removing.status_code == 403
    assert "Only a victim-facing worker can remove a detail marked never disclose" in removing.content.decode()
    world.refuge.refresh_from_db()
    assert world.refuge.removed_at is None
    with pytest.raises(actions.VictimRecordError):
        actions.remove_detail(world.refuge, user=world.users[who])
    adding = client.post(f"/victims/{world.victim.pk}/details/", {"kind": "address", "value": "9 Other Street",
                                                                  "never_disclose": "on", "note": ""})
    assert adding.status_code == 400 and "Only a victim-facing worker can add" in adding.content.decode()
    assert not ContactDetail.objects.filter(record=world.victim, never_disclose=True, removed_at=None).exclude(
        pk=world.refuge.pk).exists()
    assert AuditEntry.objects.filter(action__startswith="victim.detail_").count() == audit_before
    page = client.get(f"/victims/{world.victim.pk}/").content.decode()
    assert f"/victims/details/{world.refuge.pk}/remove/" not in page
    # An ordinary detail: added and removed by the practitioner as before.
    assert client.post(f"/victims/{world.victim.pk}/details/", {"kind": "email", "value": "v@example.org",
                                                                "note": ""}).status_code == 302
    email = ContactDetail.objects.get(kind="email", record=world.victim)
    assert client.post(f"/victims/details/{email.pk}/remove/").status_code == 302
    # The victim's worker still removes it (audited as before).
    assert client_for(world, "victim_worker").post(f"/victims/details/{world.refuge.pk}/remove/").status_code == 302
    world.refuge.refresh_from_db()
    assert world.refuge.removed_at is not None
    assert AuditEntry.objects.filter(action="victim.detail_removed", user=world.users["victim_worker"]).exists()
