"""What partner-agency work sets going on the case: a children's social care answer records the children's
protection status as `child_protection` events; MARAC actions sit in the case's "What needs doing" and go
overdue; a move to another area drafts the new area's checks once; reporting a breach by case reference is
rate-limited, audited and answers the same whether or not the reference exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from partner_world import REFUGE, World
from safeguard.actions import record_event
from safeguard.agencies import actions, throttle
from safeguard.agencies.models import AgencyRequest, BreachReport, MaracAction
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import CaseEvent, LinkedPerson


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _answer(status: str, children_known: bool | None = True) -> actions.Answer:
    return actions.Answer(callouts=None, callout_dates=[], children_known=children_known, child_protection=status,
                          other_information="", summary="Known to us")


# -- item: child protection status -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_childrens_services_answer_records_each_childs_protection_status(world: World) -> None:
    actions.answer_request(world.csc_request, _answer("child_protection_plan"), user=world.users["csc"])
    events = list(CaseEvent.objects.filter(case=world.case, type="child_protection"))
    assert [(e.payload["ref"], e.payload["status"]) for e in events] == [("C1", "child_protection_plan")]
    assert events[0].recorded_by == world.users["csc"]
    assert LinkedPerson.objects.get(case=world.case, ref="C1").child_protection == "child_protection_plan"


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["not_known", "none"])
def test_no_event_when_the_status_is_not_known_or_unchanged(world: World, status: str) -> None:
    # "none" is what the record already says about C1: recording it again would be a change that is not one.
    actions.answer_request(world.csc_request, _answer(status, children_known=False), user=world.users["csc"])
    assert not CaseEvent.objects.filter(case=world.case, type="child_protection").exists()


@pytest.mark.django_db
def test_police_answers_record_no_child_protection_status(world: World) -> None:
    actions.answer_request(world.police_request, _answer("looked_after"), user=world.users["police"])
    assert not CaseEvent.objects.filter(case=world.case, type="child_protection").exists()


# -- item: MARAC actions as obligations on the case page ---------------------------------------------------------
@pytest.mark.django_db
def test_marac_actions_show_in_what_needs_doing_and_go_overdue(world: World) -> None:
    home_visit = MaracAction.objects.get(referral=world.marac, text="Home visit with police")
    with time_machine.travel("2026-01-08 09:00", tick=False):
        rows = actions.marac_obligations(world.case)
        assert [(r["action"].text, r["status"]) for r in rows] == [("Home visit with police", "due"),
                                                                  ("Police marker on the refuge", "due")]
    with time_machine.travel("2026-01-12 09:00", tick=False):
        assert actions.marac_obligations(world.case)[0]["status"] == "overdue"
        page = client_for(world, "pp").get(f"/cases/{world.case.ref}/").content.decode()
    section = page[page.index('id="obligations"'):page.index("</section>", page.index('id="obligations"'))]
    assert 'data-testid="marac-actions"' in section and "Home visit with police" in section
    assert re.search(r'data-kind="marac_action" data-status="overdue"', section)
    response = client_for(world, "pp").post(f"/agencies/marac/actions/{home_visit.pk}/done/", {"return_to": "case"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{world.case.ref}/"
    home_visit.refresh_from_db()
    assert home_visit.done_on is not None
    assert [r["action"].text for r in actions.marac_obligations(world.case)] == ["Police marker on the refuge"]


@pytest.mark.django_db
def test_the_spo_sees_probations_overdue_marac_actions_on_the_team_page(world: World) -> None:
    with time_machine.travel("2026-01-08 09:00", tick=False):
        page = client_for(world, "spo").get("/team/").content.decode()
        assert "No plan or MARAC actions are overdue." in page
    with time_machine.travel("2026-01-12 09:00", tick=False):
        page = client_for(world, "spo").get("/team/").content.decode()
    start = page.index('data-testid="overdue-actions"')
    table = page[start:page.index("</table>", start)]
    # Only probation's action (the police marker is the police's), by case and date, never its text.
    assert table.count("MARAC action for probation") == 1 and world.case.ref in table and "9 January 2026" in table
    assert "Home visit with police" not in table and REFUGE not in page


@pytest.mark.django_db
def test_partner_agency_cannot_mark_a_marac_action_done(world: World) -> None:
    action = MaracAction.objects.filter(referral=world.marac).first()
    assert action is not None
    response = client_for(world, "police").post(f"/agencies/marac/actions/{action.pk}/done/", {"return_to": "case"})
    assert response.status_code in {403, 404}
    action.refresh_from_db()
    assert action.done_on is None


# -- item: a move to another area drafts the new area's checks ----------------------------------------------------
@pytest.mark.django_db
def test_move_to_another_area_drafts_both_checks_once(world: World) -> None:
    record_event(world.case, {"on": "2026-01-05", "type": "transferred", "practitioner": "P2", "area_changed": True})
    drafts = AgencyRequest.objects.filter(case=world.case, area=world.other_unit)
    assert sorted(drafts.values_list("agency", "status")) == [("childrens_services", "drafted"),
                                                              ("police", "drafted")]
    assert {p.ref for p in drafts.get(agency="police").about.all()} >= {"V1", "C1"}
    # A second change of practitioner within the new area: the drafts are still waiting, so none is added.
    record_event(world.case, {"on": "2026-01-05", "type": "transferred", "practitioner": "P2", "area_changed": True})
    assert AgencyRequest.objects.filter(case=world.case, area=world.other_unit).count() == 2
    # Sending one answers rule 25's check obligation and rule 14's for the same agency: no second request.
    police = drafts.get(agency="police")
    actions.send_request(police, user=world.users["pp"])
    assert AgencyRequest.objects.filter(case=world.case, agency="police", area=world.other_unit).count() == 1


@pytest.mark.django_db
def test_transfer_within_the_area_drafts_nothing(world: World) -> None:
    before = AgencyRequest.objects.count()
    record_event(world.case, {"on": "2026-01-05", "type": "transferred", "practitioner": "S1", "area_changed": False})
    assert AgencyRequest.objects.count() == before


# -- item: breach reports by case reference cannot probe which references exist -----------------------------------
def _problem(response: Any) -> str:
    found = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    return found.group(1) if found else ""


@pytest.fixture
def _fresh_cache() -> None:
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_cache")
def test_breach_by_reference_answers_the_same_whether_or_not_the_case_exists(world: World) -> None:
    data = {"occurred_on": "2026-01-04", "reported_by": "police", "description": "x"}
    client = client_for(world, "police")
    exists = client.post("/agencies/breach/", {**data, "case_ref": world.other_case.ref})
    missing = client.post("/agencies/breach/", {**data, "case_ref": "X999999"})
    assert exists.status_code == missing.status_code == 400
    assert _problem(exists) and _problem(exists) == _problem(missing)
    audits = list(AuditEntry.objects.filter(action="breach.lookup").order_by("id"))
    assert [a.detail["outcome"] for a in audits] == ["not_found", "not_found"]
    assert all(world.other_case.ref not in str(a.detail) for a in audits)


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_cache")
def test_breach_by_reference_is_rate_limited_per_user(world: World, settings: Any) -> None:
    settings.SAFEGUARD_BREACH_LOOKUPS_PER_HOUR = 3
    data = {"occurred_on": "2026-01-04", "reported_by": "police", "description": "x"}
    client = client_for(world, "police")
    for i in range(3):
        assert client.post("/agencies/breach/", {**data, "case_ref": f"X90000{i}"}).status_code == 400
    before = (BreachReport.objects.count(), CaseEvent.objects.count())
    blocked = client.post("/agencies/breach/", {**data, "case_ref": world.case.ref})  # a real one: still refused
    assert blocked.status_code == 429 and "too many case references" in blocked.content.decode()
    assert (BreachReport.objects.count(), CaseEvent.objects.count()) == before
    outcomes = list(AuditEntry.objects.filter(action="breach.lookup").values_list("detail__outcome", flat=True))
    assert outcomes.count("rate_limited") == 1 and outcomes.count("not_found") == 3
    # From their queue they do not type a reference: never limited, so a breach still gets through.
    ok = client.post("/agencies/breach/", {**data, "request": str(world.police_request.pk)})
    assert ok.status_code == 200 and BreachReport.objects.count() == before[0] + 1
    # Another user has their own allowance.
    assert client_for(world, "victim_worker").post("/agencies/breach/",
                                                   {**data, "case_ref": world.case.ref}).status_code == 200
    assert throttle.limit() == 3
