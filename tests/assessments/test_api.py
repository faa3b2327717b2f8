"""The read API for assessments: the same access as the case endpoints, refs not names, and the same checks
and tier as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from assessment_cases import DAY, HOUSEHOLD_EVENTS, SUFFICIENT, Team_, build_case, make_team
from rest_framework.test import APIClient

from safeguard.assessments import service
from safeguard.assessments.models import RiskAssessment
from safeguard.cases.models import Case

REFUGE = "Flat 2, 17 Harbour Road, Seaport SE4 1AA"


@pytest.fixture
def team(db: None) -> Team_:
    return make_team()


@pytest.fixture
def case(team: Team_) -> Case:
    return build_case("X800001", HOUSEHOLD_EVENTS, {"P2": "Amy Stone", "K1": "Lily Stone", "X1": "Jo Reed"})


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(team: Team_, case: Case) -> RiskAssessment:
    """Submitted by the PSO, waiting for the SPO; X1 left out, RoSH low despite strangulation (explained, with a
    refuge address typed into the explanation)."""
    from safeguard.victims.actions import add_detail, ensure_records

    record = next(r for r in ensure_records(case) if r.person.ref == "P2")
    add_detail(record, kind="address", value=REFUGE, never_disclose=True, user=team.victim_worker())
    draft = service.start_assessment(case, team.pso, on=DAY)
    content = {**SUFFICIENT, "rosh": "low", "rosh_rationale": "Lower than the incident suggests.",
               "people": {"P2": {"judgement": "high"}, "K1": {"judgement": "high"}},
               "explanations": {"contradiction:rosh-low-serious-harm": f"She is safe at {REFUGE} now.",
                                "contradiction:sara-high-rosh-low": "He has left the area."}}
    service.save_draft(draft, content, team.pso, on=DAY)
    problems = service.checks.problems(RiskAssessment.objects.get(pk=draft.pk).content(),
                                       service.context_for(case, DAY, by="PS1"))
    assert problems == [], problems
    return service.submit(draft, team.pso, on=DAY)


def test_list_and_detail_show_status_levels_checks_and_tier_in_refs(
        team: Team_, case: Case, submitted: RiskAssessment) -> None:
    listed = api(team.pso).get(f"/api/v1/cases/{case.ref}/assessments/")
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert row["id"] == submitted.pk and row["status"] == "awaiting_countersignature"
    detail = api(team.pso).get(f"/api/v1/cases/{case.ref}/assessments/{submitted.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body == row
    assert (body["case"], body["author"], body["version"], body["countersigned_by"], body["final_on"]) == (
        case.ref, "PS1", 3, None, None)
    assert (body["rosh"], body["sara_partner"], body["sara_others"], body["dash_yes"]) == (
        "low", "high", "medium", 12)
    assert (body["dash_threshold"], body["dash_meets_threshold"], body["assessed_on"]) == (14, False, "2024-03-15")
    assert {"code": "person:X1", "text": "X1, ex-partner and victim of the 2015 offence, is not considered",
            "rule8": True} in body["sufficiency"]
    [contradiction] = [c for c in body["contradictions"] if c["code"] == "contradiction:rosh-low-serious-harm"]
    assert "strangulation" in contradiction["text"]
    assert contradiction["explanation"] == "She is safe at [never disclose: withheld] now."
    assert body["tier"]["tier"] == "E" and body["tier"]["provisional"] and body["tier"]["label"] == "E (provisional)"
    assert [s["name"] for s in body["tier"]["steps"]] == ["MAPPA and RoSH", "Domestic abuse", "Stalking",
                                                          "Child protection"]
    assert any(line.startswith("Stalking: could not be assessed") for line in body["tier"]["explanation"])
    text = detail.content.decode()
    for secret in ("Jo Reed", "Amy Stone", "Lily Stone", "Harbour Road"):
        assert secret not in text, secret


def test_countersigned_assessment_reads_final(team: Team_, case: Case, submitted: RiskAssessment) -> None:
    service.countersign(submitted, team.spo, on=DAY)
    body = api(team.spo).get(f"/api/v1/cases/{case.ref}/assessments/{submitted.pk}/").json()
    assert (body["status"], body["countersigned_by"], body["final_on"], body["version"]) == (
        "final", "SPO1", "2024-03-15", 4)


def test_same_access_as_the_case_endpoints(team: Team_, case: Case, submitted: RiskAssessment) -> None:
    for path in (f"/api/v1/cases/{case.ref}/assessments/", f"/api/v1/cases/{case.ref}/assessments/{submitted.pk}/"):
        assert api(team.outsider).get(path).status_code == 404
        assert APIClient().get(path).status_code in {401, 403}
        assert api(team.spo).get(path).status_code == 200
    assert api(team.pso).get(f"/api/v1/cases/{case.ref}/assessments/{submitted.pk + 99}/").status_code == 404
    other = build_case("X800002", HOUSEHOLD_EVENTS)
    assert api(team.pso).get(f"/api/v1/cases/{other.ref}/assessments/{submitted.pk}/").status_code == 404
    assert api(team.pso).get(f"/api/v1/cases/{other.ref}/assessments/").json()["results"] == []


def test_the_endpoints_are_in_the_openapi_schema(db: None, client: Any) -> None:
    document = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/cases/{ref}/assessments/" in document["paths"]
    detail = document["paths"]["/api/v1/cases/{ref}/assessments/{id}/"]["get"]
    assert "404" in detail["responses"]
    fields = document["components"]["schemas"]["Assessment"]["properties"]
    assert {"status", "version", "rosh", "sara_partner", "sara_others", "dash_yes", "sufficiency",
            "contradictions", "tier"} <= set(fields)
