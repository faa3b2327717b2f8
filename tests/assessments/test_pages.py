"""The assessment pages, through the Django test client: access, the form, submit, countersign, return, PDFs."""

from __future__ import annotations

import html
import re
from typing import Any
from unittest import mock

import pytest
from assessment_cases import DAY, HOUSEHOLD_EVENTS, Team_, build_case, make_team
from django.test import Client

from safeguard import concurrency
from safeguard.assessments.models import RiskAssessment
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case, CaseEvent


@pytest.fixture
def team(db: None) -> Team_:
    return make_team()


@pytest.fixture
def case(team: Team_) -> Case:
    return build_case("X700001", HOUSEHOLD_EVENTS, {"P2": "Amy Stone", "K1": "Lily Stone", "X1": "Jo Reed"})


@pytest.fixture(autouse=True)
def on_the_assessment_day() -> Any:
    with mock.patch("safeguard.assessments.service.today", return_value=DAY):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_edit(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Saves the edit form as a browser does: with the edit token the page carries (a post without it is refused
    like a stale edit, safeguard.concurrency)."""
    page = client.get(url).content.decode()
    found = re.search(rf'name="{concurrency.FIELD}" value="([^"]*)"', page)
    assert found is not None, "the edit page carries no edit token"
    return client.post(url, {**data, concurrency.FIELD: html.unescape(found.group(1))})


FORM = {
    "person-P2-judgement": "high", "person-P2-note": "Strangled in February",
    "person-K1-judgement": "high", "person-K1-note": "", "person-X1-judgement": "medium", "person-X1-note": "",
    "category": ["physical", "violent_threatening"], "abuse_note": "",
    "history-6": "Strangled P2 with K1 present; threats to kill.",
    "rosh": "high", "rosh_rationale": "Strangulation and threats to kill.", "sara_partner": "high",
    "sara_others": "medium", "dash_yes": "12", "dash_items": "",
    "risk-0-factor": "Strangulation", "risk-0-evidence": "Police call-out, 10 February 2024",
    "risk-1-factor": "", "risk-1-evidence": "",
    "source": ["check:11", "previous_assessments"],
    "plan-0-action": "Home visit with the police", "plan-0-owner": "PS1", "plan-0-due_on": "2024-03-22",
    "plan-0-person": "P2", "plan-1-action": "", "plan-1-owner": "", "plan-1-due_on": "", "plan-1-person": "",
    "summary": "Escalating abuse.",
}


def test_only_people_who_can_see_the_case_reach_its_assessments(team: Team_, case: Case) -> None:
    assert client_for(team.outsider).get(f"/cases/{case.ref}/assessments/").status_code == 404
    page = client_for(team.pso).get(f"/cases/{case.ref}/assessments/")
    assert page.status_code == 200
    assert b"E (provisional)" in page.content and b"Start a new assessment" in page.content


def test_practitioner_fills_in_and_submits_and_the_spo_countersigns(team: Team_, case: Case) -> None:
    pso = client_for(team.pso)
    started = pso.post(f"/cases/{case.ref}/assessments/")
    assessment = RiskAssessment.objects.get(case=case)
    assert started.status_code == 302 and started["Location"].endswith(f"/assessments/{assessment.pk}/edit/")
    form = pso.get(started["Location"])
    text = form.content.decode()
    assert "X1 (Jo Reed), ex-partner and victim of the 2015 offence" in text
    assert "K1 (Lily Stone), partner&#x27;s child aged 5, lives with them" in text
    assert "Domestic police call-out (10 February 2024)" in text and "Four domestic call-outs" in text
    assert "Controlling or coercive behaviour" in text
    done = post_edit(pso, started["Location"], {**FORM, "submit": "1"})
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "awaiting_countersignature"
    assert CaseEvent.objects.filter(case=case, type="assessed").count() == 1
    detail = client_for(team.spo).get(f"/cases/{case.ref}/assessments/{assessment.pk}/")
    assert b"Countersign" in detail.content and b"Return for changes" in detail.content
    assert b"Countersign</button>" not in pso.get(f"/cases/{case.ref}/assessments/{assessment.pk}/").content
    assert pso.post(f"/cases/{case.ref}/assessments/{assessment.pk}/countersign/").status_code == 200  # refused
    client_for(team.spo).post(f"/cases/{case.ref}/assessments/{assessment.pk}/countersign/")
    assessment.refresh_from_db()
    assert assessment.status == "final"
    changes = pso.get(f"/cases/{case.ref}/assessments/{assessment.pk}/versions/2/")
    assert "RoSH level: not recorded → High" in changes.content.decode()


def test_submitting_an_unfinished_assessment_shows_what_to_fix(team: Team_, case: Case) -> None:
    pso = client_for(team.pso)
    pso.post(f"/cases/{case.ref}/assessments/")
    assessment = RiskAssessment.objects.get(case=case)
    page = pso.post(f"/cases/{case.ref}/assessments/{assessment.pk}/submit/")
    text = page.content.decode()
    assert page.status_code == 200 and "Choose the RoSH level" in text
    assert "X1, ex-partner and victim of the 2015 offence, is not considered" in text or "X1 (Jo Reed)" in text
    assert "Police information returned on 12 March 2024 is not used" in text


def test_return_for_changes_and_documents(team: Team_, case: Case) -> None:
    pso = client_for(team.pso)
    pso.post(f"/cases/{case.ref}/assessments/")
    assessment = RiskAssessment.objects.get(case=case)
    post_edit(pso, f"/cases/{case.ref}/assessments/{assessment.pk}/edit/", {**FORM, "submit": "1"})
    spo = client_for(team.spo)
    url = f"/cases/{case.ref}/assessments/{assessment.pk}/return/"
    assert spo.post(url, {"reason": ""}).status_code == 200
    spo.post(url, {"reason": "Name the protective factors."})
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    assert client_for(team.pso).get(url).status_code == 404
    for audience in ("practitioner", "partner_agency"):
        pdf = pso.get(f"/cases/{case.ref}/assessments/{assessment.pk}/assessment.pdf?audience={audience}")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    # Returned for changes: not his plan, so his copy is refused on the page, which says why (issue 33, finding 2).
    refused = pso.get(f"/cases/{case.ref}/assessments/{assessment.pk}/assessment.pdf?audience=person_on_probation")
    assert refused.status_code == 409 and not refused.content.startswith(b"%PDF")
    assert "made only from a final, countersigned assessment: this one is returned for changes" in \
        refused.content.decode()
    assert not AuditEntry.objects.filter(action="assessment.document", detail__kind="person_on_probation").exists()
    assert pso.get(f"/cases/{case.ref}/assessments/{assessment.pk}/assessment.pdf?audience=x").status_code == 404
    marac = pso.get(f"/cases/{case.ref}/assessments/{assessment.pk}/marac-referral.pdf")
    assert marac.status_code == 200 and marac.content.startswith(b"%PDF")
    assert client_for(team.outsider).get(
        f"/cases/{case.ref}/assessments/{assessment.pk}/marac-referral.pdf").status_code == 404


def test_open_plan_actions_show_on_the_case_page_and_can_be_marked_done_there(team: Team_, case: Case) -> None:
    from safeguard.assessments.models import PlanAction
    from sign_ins import make_user

    pso = client_for(team.pso)
    pso.post(f"/cases/{case.ref}/assessments/")
    assessment = RiskAssessment.objects.get(case=case)
    post_edit(pso, f"/cases/{case.ref}/assessments/{assessment.pk}/edit/", {**FORM, "submit": "1"})
    action = PlanAction.objects.get(case=case, status="open")
    page = pso.get(f"/cases/{case.ref}/").content.decode()
    risk = page[page.index('id="risk"'):page.index('id="controls"')]
    assert "Risk management plan actions" in risk
    assert "Home visit with the police" in risk and "22 March 2024" in risk and "Due" in risk
    done_url = f"/cases/{case.ref}/assessments/plan/{action.pk}/done/"
    assert f'action="{done_url}"' in risk
    # Someone who may see the case but not record on it sees the actions without the button.
    head = make_user("head1", "head", None, case.unit)
    theirs = client_for(head).get(f"/cases/{case.ref}/").content.decode()
    assert "Home visit with the police" in theirs and done_url not in theirs
    assert client_for(head).post(done_url, {"return_to": "case"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "open"
    marked = pso.post(done_url, {"return_to": "case"})
    assert marked.status_code == 302 and marked["Location"] == f"/cases/{case.ref}/#risk"
    action.refresh_from_db()
    assert (action.status, action.done_by.code) == ("done", "PS1")
    after = pso.get(f"/cases/{case.ref}/").content.decode()
    assert "Home visit with the police" not in after and "No open actions from a risk management plan" in after
