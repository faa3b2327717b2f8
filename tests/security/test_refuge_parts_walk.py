"""Issue 33, findings 1 and 2: parts and rewordings of a never-disclose refuge address typed into free text (an
assessment's person note, summary and evidence, a draft request's question, a case note, a MARAC referral's
reasons, a partner agency's answer) never reach anyone not entitled to the address. Every route the URL resolver
knows is walked as each role (pages, version "what changed" pages, draft request edit pages, PDFs, exports, API
responses), then the assessment's copies for each audience and the subject-access export are read. The words are
searched for squeezed (lower case, letters and digits only), so markup and spacing cannot hide them.

The address is the partner world's: "Refuge House, 7 Hidden Lane, Northtown NT1 9ZZ"."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from matrix_walk import path_for
from secworld import PLAYERS, SecurityWorld

from partner_world import START
from safeguard.actions import record_event
from safeguard.agencies import actions as agency_actions
from safeguard.agencies.models import AgencyRequest, MaracReferral
from safeguard.assessments import service as assessments
from safeguard.assessments.documents import Audience
from safeguard.retention import subject_access
from urlwalk import all_routes, body_text, squeeze

# What must never be found, squeezed: each identifying part of the address.
PARTS = ("7hiddenlane", "7hiddenln", "nt19zz", "refugehouse", "refugehse")
# The parts as a practitioner might type them (the matcher's own hypothesis tests generate many more:
# tests/victims/test_address_match.py); each is planted in one kind of free text, two or three to a text.
REWORDINGS = ["7 Hidden Lane", "7 hidden ln.", "7, HIDDEN LANE", "7 Hidden\nLane", "NT1 9ZZ", "nt19zz", "NT1-9ZZ",
              "nt1  9zz", "Refuge House", "refuge hse", "REFUGE HOUSE", "refuge house 7 hidden ln northtown nt1 9zz",
              "Refuge House,\n7 Hidden Lane,\nNT1 9ZZ"]
NOT_ENTITLED = [role for role in PLAYERS if role != "victim_worker"] + ["integration"]
SLOTS = 9


def plant(world: SecurityWorld) -> None:
    """Type the rewordings into every kind of free text the red team used, stored as typed (older records, the
    API): an assessment's person notes, summary and evidence, a draft request's and a sent request's question
    (the police's queue), a MARAC referral's reasons, a case note, and a children's services answer."""
    texts = [" and ".join(REWORDINGS[k::SLOTS]) for k in range(SLOTS)]
    p = world.partner
    pp = p.users["pp"]
    content = world.assessment.content()
    content["people"] = {"V1": {"judgement": "", "note": f"Staying at {texts[0]}"},
                         "C1": {"judgement": "", "note": f"School near {texts[1]}"}}
    content["summary"] = f"Victim now at {texts[2]}; see above"
    content["risk_factors"] = [{"factor": "Pursuit", "evidence": f"Seen outside {texts[3]}"}]
    assessments.save_draft(world.assessment, content, pp, on=START)
    AgencyRequest.objects.filter(pk=p.draft.pk).update(question=f"Any call-outs to {texts[4]}?")
    AgencyRequest.objects.filter(pk=p.police_request.pk).update(question=f"Call-outs at {texts[5]} or {texts[6]}?")
    MaracReferral.objects.filter(pk=p.marac.pk).update(judgement_reasons=f"She fled to {texts[5]}")
    record_event(p.case, {"on": START.isoformat(), "type": "note", "by": "P1", "text": f"Vera rang from {texts[6]}"})
    agency_actions.answer_request(p.csc_request, agency_actions.Answer(
        callouts=None, callout_dates=[], children_known=True, child_protection="child_in_need",
        other_information=f"Mother moved to {texts[7]}", summary=f"Known; now at {texts[8]}"), user=p.users["csc"])


def leaks(text: str) -> list[str]:
    squeezed = squeeze(text)
    return [part for part in PARTS if part in squeezed]


def walk(client: Client, world: SecurityWorld) -> list[str]:
    """Every route (as matrix_walk fills it), and every version ("What changed") page of the planted assessment."""
    found = []
    case, assessment = world.partner.case.ref, world.assessment
    versions = [f"/cases/{case}/assessments/{assessment.pk}/versions/{v.number}/" for v in assessment.versions.all()]
    for path in [path_for(route, world) for route in all_routes()] + versions:
        response = client.get(path)
        assert response.status_code < 500, f"{response.status_code} {path}"
        if response.status_code == 200:
            found += [f"{path}: {part}" for part in leaks(body_text(response))]
    return found


def sign_in(world: SecurityWorld, role: str) -> Client:
    client = Client()
    client.force_login(world.player(role))  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_ENTITLED)
def test_no_part_of_the_refuge_address_reaches_a_role_not_entitled(sworld: SecurityWorld, role: str) -> None:
    plant(sworld)
    found = walk(sign_in(sworld, role), sworld)
    assert not found, "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize("audience", [a for a in Audience])
def test_no_part_reaches_an_assessment_copy(sworld: SecurityWorld, audience: Audience) -> None:
    plant(sworld)
    client = sign_in(sworld, "practitioner")
    case, pk = sworld.partner.case.ref, sworld.assessment.pk
    path = f"/cases/{case}/assessments/{pk}/assessment.pdf?audience={audience.value}"
    response = client.get(path)
    # His copy is made only from a countersigned final assessment (tests/assessments/test_documents.py covers what
    # it holds); for this draft the page refuses it, and the refusal must not leak either.
    refused = audience is Audience.PERSON_ON_PROBATION
    assert response.status_code == (409 if refused else 200), path
    assert not leaks(body_text(response))


@pytest.mark.django_db
def test_no_part_reaches_the_subject_access_export(sworld: SecurityWorld, tmp_path: Path) -> None:
    plant(sworld)
    out = tmp_path / "sar.zip"
    subject_access.export(sworld.partner.case, out)
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        found = {name: leaks(archive.read(name).decode()) for name in archive.namelist()}
    assert not any(found.values()), found


def test_the_plants_are_found_when_present() -> None:
    """The search itself works: every rewording is seen as a leak before redaction."""
    samples = ["7 hidden ln.", "NT1-9ZZ", "refuge hse", "Refuge House,\n7 Hidden Lane"]
    assert all(leaks(f"at {s} now") for s in samples)
