"""Marking an event as entered in error from the case page (issue 33, finding 3): the case's SPO only, with a
reason and a confirmation; the event stays on the timeline struck through, with who, when and why; a case locked
by a far-future event can be recorded on again."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from test_record import day_fields, open_form
from web_scenarios import PASSWORD, Org, legacy_far_future_event

from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case, CaseEventVoid

pytestmark = pytest.mark.django_db


def test_the_spo_voids_a_far_future_event_and_the_case_can_be_recorded_on_again(mo: Client, priya: Client,
                                                                              settled: Case) -> None:
    bad = legacy_far_future_event(settled)
    page = mo.get("/cases/X100002/")
    assert f'href="/cases/X100002/events/{bad.seq}/void/"' in page.content.decode()
    assert "/void/" not in priya.get("/cases/X100002/").content.decode()  # practitioners see no such action
    # Locked: the form cannot take a date (on or after 2099, and not after today).
    locked = priya.post("/cases/X100002/record/note/", {**open_form(priya, "X100002", "note"),
                                                        **day_fields(date.today()), "by": "P1", "text": "Seen"})
    assert locked.status_code == 400
    confirm = mo.get(f"/cases/X100002/events/{bad.seq}/void/")
    assert confirm.status_code == 200 and "Why was this event entered in error?" in confirm.content.decode()
    version = re.search(r'name="version" value="(\d+)"', confirm.content.decode()).group(1)  # type: ignore[union-attr]
    done = mo.post(f"/cases/X100002/events/{bad.seq}/void/", {"reason": "Wrong year typed", "version": version})
    assert done.status_code == 302 and done["Location"].endswith(f"?timeline=all#event-{bad.seq}")
    timeline = mo.get(done["Location"]).content.decode()
    item = timeline[timeline.index(f'id="event-{bad.seq}"'):][:1500]  # this event's item
    assert "<s>" in item and "Entered in error" in item
    assert "Marked as entered in error by Mo Khan on" in item and "Wrong year typed" in item
    recorded = priya.post("/cases/X100002/record/note/", {**open_form(priya, "X100002", "note"),
                                                          **day_fields(date.today()), "by": "P1", "text": "Seen"})
    assert recorded.status_code == 302
    assert settled.events.filter(type="note", on=date.today()).exists()


def test_a_reason_is_required_and_nothing_is_written_without_one(mo: Client, settled: Case) -> None:
    seq = settled.events.count()
    before = AuditEntry.objects.count()
    refused = mo.post(f"/cases/X100002/events/{seq}/void/", {"reason": "  "})
    assert refused.status_code == 400
    assert "Give the reason the event was entered in error" in refused.content.decode()
    assert not CaseEventVoid.objects.exists()
    assert AuditEntry.objects.filter(action="event.voided").count() == 0
    assert AuditEntry.objects.count() >= before


def test_only_the_spo_may_open_or_post_the_void_page(org: Org, priya: Client, mo: Client, settled: Case) -> None:
    seq = settled.events.count()
    assert priya.get(f"/cases/X100002/events/{seq}/void/").status_code == 403
    assert priya.post(f"/cases/X100002/events/{seq}/void/", {"reason": "mine"}).status_code == 403
    outsider = Client()
    assert outsider.login(username=org.outsider.username, password=PASSWORD)
    assert outsider.get(f"/cases/X100002/events/{seq}/void/").status_code == 404
    assert mo.get("/cases/X100002/events/999/void/").status_code == 404
    assert not CaseEventVoid.objects.exists()
