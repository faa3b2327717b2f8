"""Draft, submit, countersign (policy rule 9) and return for changes, with every version kept."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from assessment_cases import DAY, HOUSEHOLD_EVENTS, NORFOLK_EVENTS, SUFFICIENT, Team_, build_case, make_team

from safeguard.assessments import service
from safeguard.assessments.diff import diff_contents
from safeguard.assessments.models import AssessmentVersion, PlanAction, RiskAssessment
from safeguard.audit.appendonly import AppendOnlyError
from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.models import Obligation


@pytest.fixture
def team(db: None) -> Team_:
    return make_team()


@pytest.fixture
def household(team: Team_) -> Case:
    return build_case("X500001", HOUSEHOLD_EVENTS, {"P2": "Amy Stone", "K1": "Lily Stone", "X1": "Jo Reed"})


def test_pso_assessment_on_a_case_with_children_is_not_final_until_an_spo_countersigns(
        team: Team_, household: Case) -> None:
    assessment = service.start_assessment(household, team.pso, on=DAY)
    service.save_draft(assessment, SUFFICIENT, team.pso, on=DAY)
    assessment = service.submit(assessment, team.pso, on=DAY)
    assert assessment.status == "awaiting_countersignature" and assessment.countersignature_required
    assert assessment.final_on is None
    assessed = CaseEvent.objects.get(case=household, type="assessed")
    assert assessed.payload["by"] == "PS1" and assessed.payload["rosh"] == "high"
    assert sorted(assessed.payload["victims_considered"]) == ["K1", "P2", "X1"]
    obligation = Obligation.objects.get(case=household, key=f"countersign-inexperienced:{assessed.seq}")
    assert obligation.status in {"due", "overdue"}
    # Nobody else makes it final: not the author, not a PO, not an SPO of another team's case.
    for user in (team.pso, team.po, team.outsider):
        with pytest.raises(service.AssessmentError):
            service.countersign(assessment, user, on=DAY)
    assessment = service.countersign(assessment, team.spo, on=DAY)
    assert (assessment.status, assessment.final_on, assessment.countersigned_by.code) == ("final", DAY, "SPO1")
    signed = CaseEvent.objects.get(case=household, type="countersigned")
    assert signed.payload == {"on": "2024-03-15", "type": "countersigned", "by": "SPO1"}
    obligation.refresh_from_db()
    assert obligation.status == "done"
    assert [v.change for v in assessment.versions.order_by("number")] == [
        "started", "saved", "submitted", "countersigned"]


def test_experienced_trained_po_assessment_is_final_at_once(team: Team_) -> None:
    events = copy.deepcopy(NORFOLK_EVENTS)
    events[-1]["practitioner"] = "PO1"
    case = build_case("X500002", events)
    assessment = service.start_assessment(case, team.po, on=date(2023, 1, 30))
    service.save_draft(assessment, {"rosh": "high", "rosh_rationale": "Axe threats.", "sara_partner": "high",
                                    "sara_others": "medium", "people": {"EX1": {"judgement": "high"},
                                                                        "CH1": {"judgement": "medium"}}},
                       team.po, on=date(2023, 1, 30))
    assessment = service.submit(assessment, team.po, on=date(2023, 1, 30))
    assert (assessment.status, assessment.countersignature_required) == ("final", False)


def test_newly_qualified_untrained_po_on_the_norfolk_case_needs_a_countersignature(team: Team_) -> None:
    case = build_case("X500003", NORFOLK_EVENTS)
    assessment = service.start_assessment(case, team.new_po, on=date(2023, 1, 30))
    service.save_draft(assessment, {"rosh": "medium", "rosh_rationale": "Drink.", "sara_partner": "low",
                                    "sara_others": "low"}, team.new_po, on=date(2023, 1, 30))
    assessment = service.submit(assessment, team.new_po, on=date(2023, 1, 30))
    assert assessment.status == "awaiting_countersignature"


def test_return_for_changes_needs_a_reason_keeps_every_version_and_resubmits(team: Team_, household: Case) -> None:
    thin = {"rosh": "medium", "rosh_rationale": "First view.", "sara_partner": "medium", "sara_others": "low",
            "people": {"P2": {"judgement": "medium"}}, "summary": "Arguments with partner.",
            "explanations": {"contradiction:household-children": "K1 after the children's services check."},
            "plan": [{"action": "Office appointment weekly", "owner": "PS1", "due_on": "2024-03-22"}]}
    assessment = service.start_assessment(household, team.pso, on=DAY)
    service.save_draft(assessment, thin, team.pso, on=DAY)
    assert service.save_draft(assessment, thin, team.pso, on=DAY) is None  # nothing changed: no new version
    assessment = service.submit(assessment, team.pso, on=DAY)
    assert PlanAction.objects.filter(case=household, status="open").count() == 1
    with pytest.raises(service.AssessmentError):
        service.return_for_changes(assessment, team.spo, "  ", on=DAY)
    assessment = service.return_for_changes(
        assessment, team.spo, "K1 and X1 are not considered; the police information is not used.", on=DAY)
    assert assessment.status == "returned"
    note = CaseEvent.objects.get(case=household, type="note")
    assert note.payload["text"].startswith("Risk assessment returned for changes: K1 and X1")
    with pytest.raises(service.AssessmentError):
        service.countersign(assessment, team.spo, on=DAY)  # it is back with the practitioner
    service.save_draft(assessment, SUFFICIENT, team.pso, on=DAY)
    # Resubmitted: the RoSH rationale is judged against the level before the first submission.
    assessment = service.submit(assessment, team.pso, on=DAY)
    assert assessment.rosh_in_force == "" and assessment.status == "awaiting_countersignature"
    assert CaseEvent.objects.filter(case=household, type="assessed").count() == 2
    assert set(PlanAction.objects.filter(case=household).values_list("status", flat=True)) == {"open", "superseded"}
    assert PlanAction.objects.filter(case=household, status="open").count() == 2
    assessment = service.countersign(assessment, team.spo, on=DAY)
    versions = list(assessment.versions.order_by("number"))
    assert [v.change for v in versions] == ["started", "saved", "submitted", "returned", "saved", "submitted",
                                            "countersigned"]
    assert versions[3].reason.startswith("K1 and X1 are not considered")
    lines = diff_contents(versions[2].content, versions[5].content)
    assert "RoSH level: Medium → High" in lines
    assert "K1: not recorded → High risk to this person" in lines
    # Versions are immutable.
    with pytest.raises(AppendOnlyError):
        versions[0].save()
    with pytest.raises(AppendOnlyError):
        AssessmentVersion.objects.filter(assessment=assessment).update(reason="x")
    with pytest.raises(AppendOnlyError):
        versions[0].delete()


def test_submission_refused_lists_what_to_fix_and_records_nothing(team: Team_, household: Case) -> None:
    assessment = service.start_assessment(household, team.pso, on=DAY)
    service.save_draft(assessment, {"rosh": "low", "sara_partner": "high", "sara_others": "low"}, team.pso, on=DAY)
    with pytest.raises(service.SubmissionRefused) as refused:
        service.submit(assessment, team.pso, on=DAY)
    assert "Give the reason for the RoSH level: it changes from not set to low" in refused.value.problems
    assert any("SARA is high for partners, but RoSH is low" in p for p in refused.value.problems)
    assert not CaseEvent.objects.filter(case=household, type="assessed").exists()
    assert RiskAssessment.objects.get(pk=assessment.pk).status == "draft"


def test_only_people_who_may_record_on_the_case_start_or_change_an_assessment(team: Team_, household: Case) -> None:
    with pytest.raises(service.AssessmentError):
        service.start_assessment(household, team.outsider, on=DAY)
    assessment = service.start_assessment(household, team.pso, on=DAY)
    with pytest.raises(service.AssessmentError):
        service.start_assessment(household, team.pso, on=DAY)  # one in progress at a time
    with pytest.raises(service.AssessmentError):
        service.save_draft(assessment, {"rosh": "low"}, team.outsider, on=DAY)


def test_plan_actions_are_shown_as_obligations_and_can_be_done(team: Team_, household: Case) -> None:
    assessment = service.start_assessment(household, team.pso, on=DAY)
    service.save_draft(assessment, SUFFICIENT, team.pso, on=DAY)
    service.submit(assessment, team.pso, on=DAY)
    rows = service.plan_obligations(household, date(2024, 3, 21))
    assert [(r["kind"], r["status"], r["due"]) for r in rows] == [
        ("risk_plan_action", "overdue", date(2024, 3, 20)), ("risk_plan_action", "due", date(2024, 3, 22))]
    assert rows[0]["reason"] == "Risk management plan: Children's services check on K1 (PS1)"
    service.complete_plan_action(rows[0]["action"], team.pso, "Requested", on=date(2024, 3, 21))
    assert len(service.plan_obligations(household, date(2024, 3, 21))) == 1


def test_a_new_assessment_starts_from_the_last_final_one(team: Team_, household: Case) -> None:
    first = service.start_assessment(household, team.pso, on=DAY)
    service.save_draft(first, SUFFICIENT, team.pso, on=DAY)
    service.countersign(service.submit(first, team.pso, on=DAY), team.spo, on=DAY)
    second = service.start_assessment(household, team.pso, on=date(2024, 4, 1))
    content = second.content()
    assert {ref: e["judgement"] for ref, e in content["people"].items()} == {"P2": "high", "K1": "high", "X1": "medium"}
    assert content["rosh"] == "high"
    assert content["rosh_rationale"] == "" and content["explanations"] == {}
    assert len(content["plan"]) == 2


def test_norfolk_thin_assessment_is_recorded_but_its_gaps_keep_the_assessment_obligation_open(team: Team_) -> None:
    """The inspection case: the thin paperwork leaves out the former partner, the child and the history. It can
    be submitted and countersigned, but it stays visibly insufficient: the engine's risk_assessment obligation
    stays open until a reassessment considers them."""
    from assessment_cases import NORFOLK_THIN

    day = date(2023, 1, 30)
    case = build_case("X500009", NORFOLK_EVENTS)
    thin = service.start_assessment(case, team.new_po, on=day)
    service.save_draft(thin, NORFOLK_THIN, team.new_po, on=day)
    thin = service.countersign(service.submit(thin, team.new_po, on=day), team.spo, on=day)
    gaps = {f.code: f.text for f in service.checks.sufficiency(thin.content(), service.document_context(thin))}
    assert gaps["person:EX1"] == "EX1, ex-partner and a known victim, is not considered"
    assert gaps["person:CH1"] == "CH1, child aged 8, is not considered"
    assert "Assault on his former partner in front of their child" in gaps["history"]
    open_kinds = set(Obligation.objects.filter(case=case, status__in=["due", "overdue"]).values_list("kind", flat=True))
    assert "risk_assessment" in open_kinds
    again = service.start_assessment(case, team.new_po, on=day)
    service.save_draft(again, {
        **NORFOLK_THIN, "rosh": "high", "rosh_rationale": "Violence to a former partner in front of their child.",
        "sara_partner": "high", "sara_others": "medium",
        "people": {"EX1": {"judgement": "high"}, "CH1": {"judgement": "medium"}},
        "history": {"seq:0": "Assaulted his former partner in front of their child.",
                    "seq:1": "Threatened neighbours with an axe while drunk."},
        "sources": ["previous_assessments"]}, team.new_po, on=day)
    again = service.submit(again, team.new_po, on=day)
    assert again.status == "awaiting_countersignature"
    still_open = Obligation.objects.filter(case=case, kind="risk_assessment", status__in=["due", "overdue"])
    assert not still_open.exists(), list(still_open.values_list("reason", flat=True))
