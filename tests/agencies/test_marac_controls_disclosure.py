"""MARAC referral and hearing, MAPPA, external controls and breach reports, Clare's Law."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.test import Client

from partner_world import VICTIM_PHONE, World
from safeguard.agencies import actions
from safeguard.agencies.models import BreachReport, DisclosureConsideration, MaracAction, MaracReferral
from safeguard.cases.models import Case, CaseEvent, ControlBreach, Registration
from safeguard.oversight.models import Obligation
from urlwalk import pdf_text


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


@pytest.mark.django_db
def test_marac_referral_records_criteria_and_meets_rule_17(world: World) -> None:
    referral = world.marac
    assert referral.criteria() == ["visible high risk (DASH 16 yes answers)", "professional judgement"]
    event = referral.referred_event
    assert event.type == "marac_referred" and "visible high risk" in event.payload["reason"]
    assert not Obligation.objects.filter(case=world.case, kind="marac_referral", status__in=["due", "overdue"])
    assert Obligation.objects.filter(case=world.case, kind="marac_referral", status="done").exists()
    assert referral.heard_event is not None and referral.heard_event.type == "marac_heard"
    assert Registration.objects.filter(case=world.case, code="IMAR", deregistered_on=None).exists()
    assert referral.imar_event is not None
    assert MaracAction.objects.filter(referral=referral).count() == 2


@pytest.mark.django_db
def test_marac_refuses_without_criteria_or_reasons(world: World) -> None:
    with pytest.raises(actions.AgencyError, match="No MARAC criterion"):
        actions.refer_to_marac(world.case, dash_yes=9, escalation=False, incidents=0, judgement=False, reasons="",
                               user=world.users["pp"])
    with pytest.raises(actions.AgencyError, match="reasons"):
        actions.refer_to_marac(world.case, dash_yes=None, escalation=False, incidents=0, judgement=True,
                               reasons=" ", user=world.users["pp"])
    response = client_for(world, "pp").post(f"/agencies/cases/{world.case.ref}/marac/new/", {"dash_yes": "3"})
    assert response.status_code == 400 and MaracReferral.objects.count() == 1


@pytest.mark.django_db
def test_overdue_probation_marac_action_is_reminded_once(world: World) -> None:
    mail.outbox.clear()
    assert actions.remind_marac_actions(date(2026, 1, 12)) == 1
    assert actions.remind_marac_actions(date(2026, 1, 13)) == 0
    assert mail.outbox[0].to == ["pp@example.gov.uk", "spo@example.gov.uk"]
    action = MaracAction.objects.get(owner="probation")
    assert client_for(world, "pp").post(f"/agencies/marac/actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.done_on is not None


@pytest.mark.django_db
def test_referral_pack_pdf_has_the_criteria_and_no_contact_details(world: World) -> None:
    response = client_for(world, "pp").get(f"/agencies/marac/{world.marac.pk}/pack.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "visible high risk" in text and "Vera Victim" in text and world.case.ref in text
    assert VICTIM_PHONE not in text and "Hidden Lane" not in text


@pytest.mark.django_db
def test_mappa_page_records_category_level_and_register(world: World) -> None:
    Registration.objects.filter(case=world.case, code="MAPP").update(deregistered_on=date(2026, 1, 5))
    response = client_for(world, "spo").post(f"/agencies/cases/{world.case.ref}/mappa/",
                                             {"category": "2", "level": "3", "register": "on"})
    assert response.status_code == 302
    event = CaseEvent.objects.filter(case=world.case, type="mappa").order_by("-seq").first()
    assert event is not None and event.payload["category"] == 2 and event.payload["level"] == 3
    assert Registration.objects.filter(case=world.case, code="MAPP", deregistered_on=None).exists()


@pytest.mark.django_db
def test_control_with_terms_protected_people_and_end_date(world: World) -> None:
    control = world.control
    assert control.until == date(2027, 1, 1) and [p.ref for p in control.protects.all()] == ["V1"]
    page = client_for(world, "pp").get(f"/agencies/controls/{control.pk}/").content.decode()
    assert "SECRET-TERMS-OF-ORDER" in page and "North Crown Court" in page
    assert Obligation.objects.filter(case=world.case, kind="control_check", rule="control-check").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["police", "csc", "victim_worker", "pp", "head"])
def test_anyone_can_report_a_breach_and_it_escalates_at_once(world: World, who: str) -> None:
    case = world.case
    mail.outbox.clear()
    data = {"control": "restraining_order", "occurred_on": "2026-01-04", "reported_by": "victim",
            "description": "He came to her door"}
    if who == "police":
        data["request"] = str(world.police_request.pk)  # from their queue, without knowing the case reference
    else:
        data["case_ref"] = case.ref
    with time_machine.travel("2026-01-06 09:00", tick=False):
        response = client_for(world, who).post("/agencies/breach/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    report = BreachReport.objects.order_by("-id").first()
    assert report is not None and report.ref in page and case.ref not in page
    assert report.event.type == "control_breached" and report.event.payload["reported_by"] == "victim"
    assert report.reporter == world.users[who] and report.description.unseal() == "He came to her door"
    assert ControlBreach.objects.filter(case=case).count() == 2
    assert Case.objects.get(pk=case.pk).concern == "immediate"
    assert Obligation.objects.filter(case=case, kind="enforcement_decision", rule="breach-response",
                                     status__in=["due", "overdue"], immediate=True).exists()
    assert [m.to for m in mail.outbox] == [["pp@example.gov.uk", "spo@example.gov.uk"]]
    assert "He came" not in mail.outbox[0].body and "URGENT" in mail.outbox[0].subject


@pytest.mark.django_db
def test_breach_report_cannot_find_cases_outside_the_reporters_reach(world: World) -> None:
    before = BreachReport.objects.count()
    data = {"occurred_on": "2026-01-04", "reported_by": "police", "description": "x", "case_ref": world.other_case.ref}
    for who in ("police", "victim_worker", "pp"):  # the other area's case
        response = client_for(world, who).post("/agencies/breach/", data)
        assert response.status_code == 400 and "cannot find a case" in response.content.decode()
    data["case_ref"] = "NO-SUCH-CASE"
    assert client_for(world, "police_b").post("/agencies/breach/", data).status_code == 400
    data.pop("case_ref")
    data["request"] = str(world.police_request.pk)  # another area's request: not theirs
    assert client_for(world, "police_b").post("/agencies/breach/", data).status_code == 400
    assert BreachReport.objects.count() == before


@pytest.mark.django_db
def test_clares_law_disclosure_is_considered_decided_and_disclosed(world: World) -> None:
    item = world.consideration
    assert item.person.ref == "N1" and item.stage == "To consider"
    obligation = Obligation.objects.get(case=world.case, kind="disclosure_consideration")
    assert obligation.status == "due"
    client = client_for(world, "pp")
    response = client.post(f"/agencies/disclosure/{item.pk}/", {"step": "consider", "police_consulted": "yes",
                                                                "considerations": "History of strangulation",
                                                                "decision": "disclose", "reasons": ""})
    assert response.status_code == 400  # a decision needs reasons
    client.post(f"/agencies/disclosure/{item.pk}/", {"step": "consider", "police_consulted": "yes",
                                                     "considerations": "History of strangulation",
                                                     "decision": "disclose", "reasons": "Risk to her"})
    assert client.post(f"/agencies/disclosure/{item.pk}/", {"step": "disclosed",
                                                            "scheme": "right_to_know"}).status_code == 302
    item.refresh_from_db()
    obligation.refresh_from_db()
    assert item.outcome == "disclosed" and item.outcome_event.type == "disclosure"
    assert item.outcome_event.payload == {"on": "2026-01-05", "type": "disclosure", "scheme": "right_to_know",
                                          "to": "N1"}
    assert obligation.status == "done" and item.police_consulted is True


@pytest.mark.django_db
def test_clares_law_not_disclosing_needs_the_spo(world: World) -> None:
    item = world.consideration
    actions.consider(item, police_consulted=True, considerations="", decision="not_disclose",
                     reasons="She already knows: disclosed by police last year", user=world.users["pp"])
    assert client_for(world, "pp").post(f"/agencies/disclosure/{item.pk}/",
                                        {"step": "not_disclosed"}).status_code == 403
    assert client_for(world, "spo").post(f"/agencies/disclosure/{item.pk}/",
                                         {"step": "not_disclosed"}).status_code == 302
    item.refresh_from_db()
    assert item.outcome == "manager_decision"
    assert item.outcome_event.payload["about"] == "disclosure_consideration"
    assert item.outcome_event.payload["by"] == "S1"
    assert Obligation.objects.get(case=world.case, kind="disclosure_consideration").status == "waived"


@pytest.mark.django_db
def test_each_new_partner_gets_one_consideration(world: World) -> None:
    from safeguard.actions import record_event

    record_event(world.case, {"on": "2026-01-05", "type": "relationship_ended", "ref": "N1"})
    record_event(world.case, {"on": "2026-01-05", "type": "relationship_started", "ref": "N1"})
    assert DisclosureConsideration.objects.filter(case=world.case).count() == 2
    assert len(actions.sync_considerations(world.case)) == 2
