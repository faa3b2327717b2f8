"""Issue 33: a practitioner who types a never-disclose address (or a part of it) into free text is warned before
anything is saved, and what is saved is the text with it taken out. The partner world's refuge is "Refuge House,
7 Hidden Lane, Northtown NT1 9ZZ"; the practitioner and SPO are not entitled to it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from partner_world import START, World
from safeguard.agencies.models import AgencyRequest
from safeguard.victims.redaction import NEVER_DISCLOSE, ON_ENTRY
from urlwalk import squeeze

pytestmark = pytest.mark.django_db
WARNING = "This text contains an address that must never be disclosed"


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def hidden_fields(html: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # type: ignore[union-attr]
            for name in ("form_token", "version", "seen_seq")}


def day_fields(day: date) -> dict[str, str]:
    return {"on_day": str(day.day), "on_month": str(day.month), "on_year": str(day.year)}


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no textarea {name}"
    return found.group(1).strip()


def test_the_warning_says_what_will_be_stored() -> None:
    assert ON_ENTRY.startswith(WARNING) and NEVER_DISCLOSE in ON_ENTRY


def test_a_case_note_with_the_postcode_is_refused_then_saved_redacted(world: World) -> None:
    pp = client_for(world, "pp")
    url = f"/cases/{world.case.ref}/record/note/"
    form = hidden_fields(pp.get(url).content.decode())
    before = world.case.events.count()
    typed = "Vera rang from nt1 9zz, near 7 hidden ln."
    response = pp.post(url, {**form, **day_fields(START), "by": "P1", "text": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert WARNING in page
    assert world.case.events.count() == before, "nothing is saved with the warning"
    shown = textarea(page, "text")
    assert "nt19zz" not in squeeze(shown) and "7hiddenln" not in squeeze(shown)
    assert "Vera rang from" in shown
    again = pp.post(url, {**form, **day_fields(START), "by": "P1", "text": shown.replace("&#x27;", "'")
                          .replace("&quot;", '"').replace("&amp;", "&")})
    assert again.status_code == 302
    note = world.case.events.order_by("-seq").first()
    assert note is not None and note.type == "note"
    assert note.payload["text"].startswith("Vera rang from " + NEVER_DISCLOSE)
    assert "nt19zz" not in squeeze(note.payload["text"])


def test_a_clean_note_is_saved_at_once(world: World) -> None:
    pp = client_for(world, "pp")
    url = f"/cases/{world.case.ref}/record/note/"
    form = hidden_fields(pp.get(url).content.decode())
    response = pp.post(url, {**form, **day_fields(START), "by": "P1", "text": "Vera rang; 9 Hidden Lane is his"})
    assert response.status_code == 302


def test_an_assessment_summary_with_the_street_is_refused_and_not_saved(world: World) -> None:
    from safeguard.assessments import service

    world.case.refresh_from_db()
    assessment = service.start_assessment(world.case, world.users["pp"], on=START)
    versions = assessment.versions.count()
    spo = client_for(world, "spo")
    url = f"/cases/{world.case.ref}/assessments/{assessment.pk}/edit/"
    response = spo.post(url, {"summary": "She is at 7, Hidden Lane (Refuge Hse).", "rosh": "medium"})
    page = response.content.decode()
    assert response.status_code == 400
    assert WARNING in page
    assert assessment.versions.count() == versions
    shown = textarea(page, "summary")
    assert NEVER_DISCLOSE in shown and "hiddenlane" not in squeeze(shown) and "refugehse" not in squeeze(shown)


def test_a_request_question_with_the_building_is_refused(world: World) -> None:
    pp = client_for(world, "pp")
    count = AgencyRequest.objects.count()
    response = pp.post(f"/agencies/cases/{world.case.ref}/requests/new/", {
        "agency": "police", "area": str(world.unit.pk), "question": "Any call-outs at REFUGE HOUSE?"})
    page = response.content.decode()
    assert WARNING in page
    assert AgencyRequest.objects.count() == count
    assert "refugehouse" not in squeeze(textarea(page, "question"))


def test_the_draft_edit_page_shows_a_stored_question_scrubbed(world: World) -> None:
    AgencyRequest.objects.filter(pk=world.draft.pk).update(question="Call-outs at nt1 9zz?")
    page = client_for(world, "pp").get(f"/agencies/requests/{world.draft.pk}/edit/").content.decode()
    assert "nt19zz" not in squeeze(page)
    assert NEVER_DISCLOSE in page
