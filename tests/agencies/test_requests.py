"""Requests to partner agencies: drafted, sent, answered from the queue, used; never-disclose addresses kept out."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.test import Client

from partner_world import REFUGE, World
from safeguard import concurrency
from safeguard.actions import record_event
from safeguard.agencies import actions
from safeguard.agencies.models import AgencyRequest
from safeguard.cases.models import CaseEvent, LinkedPerson
from safeguard.oversight.models import Obligation
from safeguard.practice.models import AgencyCheck


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


@pytest.mark.django_db
def test_police_answer_from_the_queue_is_recorded_on_the_case(world: World) -> None:
    request = world.police_request
    obligation = Obligation.objects.get(case=world.case, key=f"check-chase:{request.sent_event.seq}")
    assert obligation.status == "due"
    mail.outbox.clear()
    response = client_for(world, "police").post(f"/agencies/queue/{request.pk}/", {
        "callouts": "2", "callout_dates": "03/04/2025\n2025-06-01", "children_known": "yes",
        "child_protection": "", "other_information": "Bail conditions until May",
        "summary": f"Two call-outs. She is at {REFUGE}."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "returned" and request.returned_on == request.sent_on
    assert request.response_working_days == 0 and request.callouts == 2
    assert request.callout_dates == ["2025-04-03", "2025-06-01"] and request.children_known is True
    assert request.answered_by == world.users["police"]
    event = CaseEvent.objects.filter(case=world.case, type="check_returned").get()
    assert event.payload["agency"] == "police" and event.payload["callouts"] == 2
    assert "Hidden Lane" not in event.payload["summary"] and "withheld" in event.payload["summary"]
    assert "known_to_childrens_services" not in event.payload  # the police do not say that
    assert AgencyCheck.objects.get(pk=request.agency_check_id).returned_on == request.returned_on
    obligation.refresh_from_db()
    assert obligation.status == "done"
    assert [m.to for m in mail.outbox] == [["pp@example.gov.uk"]] and request.ref in mail.outbox[0].subject
    # answered once only
    again = client_for(world, "police").post(f"/agencies/queue/{request.pk}/", {"summary": "again"})
    assert again.status_code == 400 and CaseEvent.objects.filter(type="check_returned").count() == 1
    # the practitioner sees the answer; the police see their own answer
    page = client_for(world, "pp").get(f"/agencies/requests/{request.pk}/").content.decode()
    assert "Bail conditions until May" in page and "Hidden Lane" not in page


@pytest.mark.django_db
def test_childrens_services_answer_sets_known_to_childrens_services(world: World) -> None:
    request = world.csc_request
    actions.answer_request(request, actions.Answer(callouts=None, callout_dates=[], children_known=True,
                                                   child_protection="child_protection_plan", other_information="",
                                                   summary="Child protection plan since 2024"),
                           user=world.users["csc"])
    event = CaseEvent.objects.filter(case=world.case, type="check_returned").get()
    assert event.payload["known_to_childrens_services"] is True and event.payload["agency"] == "childrens_services"


@pytest.mark.django_db
def test_sending_refuses_a_never_disclose_address(world: World) -> None:
    from safeguard.victims.actions import add_detail
    from safeguard.victims.models import VictimRecord

    events = CaseEvent.objects.filter(case=world.case).count()
    draft = actions.draft_request(world.case, agency="police", about=[], question="Check the address",
                                  addresses="12 Oak Road\n3 New Refuge Row", user=world.users["pp"])
    # Drafted before the victim's worker marked that address never disclose: sending checks again.
    record = VictimRecord.objects.get(case=world.case, person__ref="V1")
    add_detail(record, kind="address", value="3 new refuge row", never_disclose=True,
               user=world.users["victim_worker"])
    events = CaseEvent.objects.filter(case=world.case).count()
    response = client_for(world, "pp").post(f"/agencies/requests/{draft.pk}/send/")
    assert response.status_code == 400 and "never disclose" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "drafted" and CaseEvent.objects.filter(case=world.case).count() == events


@pytest.mark.django_db
def test_practitioner_drafts_and_sends_through_the_pages(world: World) -> None:
    client = client_for(world, "pp")
    v1 = LinkedPerson.objects.get(case=world.case, ref="V1")
    response = client.post(f"/agencies/cases/{world.case.ref}/requests/new/", {
        "agency": "police", "area": world.unit.pk, "about": [v1.pk], "addresses": "1 New Street",
        "question": "Anything since the last check?"})
    assert response.status_code == 302
    request = AgencyRequest.objects.get(question="Anything since the last check?")
    assert request.status == "drafted" and list(request.about.all()) == [v1]
    assert client.post(f"/agencies/requests/{request.pk}/send/").status_code == 302
    request.refresh_from_db()
    assert request.status == "sent" and request.agency_check is not None
    assert list(request.agency_check.about.all()) == [v1]
    # Only the practitioner and their SPO may send: the head of unit sees, but cannot act.
    other = actions.draft_request(world.case, agency="police", about=[], question="Q", user=world.users["pp"])
    assert client_for(world, "head").post(f"/agencies/requests/{other.pk}/send/").status_code == 403
    assert client_for(world, "head").get(f"/agencies/requests/{other.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_check_recorded_another_way_joins_the_queue(world: World) -> None:
    record_event(world.case, {"on": "2026-01-05", "type": "check_requested", "agency": "police", "about": ["C1"]})
    made = AgencyRequest.objects.filter(case=world.case).order_by("-id").first()
    assert made is not None and made.status == "sent" and made.agency_check is not None and made.sent_event
    queue = client_for(world, "police").get("/agencies/queue/").content.decode()
    assert made.ref in queue


@pytest.mark.django_db
def test_returned_answer_is_used_by_a_later_assessment(world: World) -> None:
    request = world.police_request
    actions.answer_request(request, actions.Answer(0, [], None, "", "", "Nothing"), user=world.users["police"])
    # A later review that names only another agency does not use it.
    record_event(world.case, {"on": "2026-01-05", "type": "reviewed", "by": "P1", "sources": ["childrens_services"],
                              "analysis": "Not the police answer"})
    request.refresh_from_db()
    assert request.status == "returned" and request.used_in is None
    review = record_event(world.case, {"on": "2026-01-05", "type": "reviewed", "by": "P1", "sources": ["police"],
                                       "analysis": "Used the police answer"})
    request.refresh_from_db()  # linked as the review was recorded, with no sweep and no page visit
    assert request.status == "used" and request.used_in == review
    page = client_for(world, "pp").get(f"/agencies/cases/{world.case.ref}/").content.decode()
    assert "Reviewed on 5 January 2026" in page


@pytest.mark.django_db
def test_mark_used_by_hand(world: World) -> None:
    request = world.csc_request
    actions.answer_request(request, actions.Answer(None, [], False, "none", "", "Not known"), user=world.users["csc"])
    review = record_event(world.case, {"on": "2026-01-05", "type": "reviewed", "by": "P1", "sources": []})
    client = client_for(world, "pp")
    assert client.post(f"/agencies/requests/{request.pk}/use/", {"event": "999999"}).status_code == 400
    assert client.post(f"/agencies/requests/{request.pk}/use/", {"event": review.pk}).status_code == 302
    request.refresh_from_db()
    assert request.status == "used" and request.used_in == review


@pytest.mark.django_db
def test_requests_export_is_formula_safe(world: World) -> None:
    actions.draft_request(world.case, agency="police", about=[], question="=HYPERLINK(\"x\")", user=world.users["pp"])
    response = client_for(world, "pp").get(f"/agencies/cases/{world.case.ref}/requests.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "request"
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_callout_dates_parse_and_refuse() -> None:
    from datetime import date

    assert actions.callout_dates("01/02/2025\n\n2024-12-31") == [date(2024, 12, 31), date(2025, 2, 1)]
    with pytest.raises(actions.AgencyError):
        actions.callout_dates("last week")


@pytest.mark.django_db
def test_index_opens_a_visible_cases_page_only(world: World) -> None:
    assert client_for(world, "pp").get(f"/agencies/?case={world.case.ref}").status_code == 302
    assert client_for(world, "pp").get(f"/agencies/?case={world.other_case.ref}").status_code == 404
    assert client_for(world, "police").get(f"/agencies/?case={world.case.ref}").url == "/agencies/queue/"


@pytest.mark.django_db
@pytest.mark.parametrize("wording", [REFUGE, f"  {REFUGE.upper().replace(', ', ' ,  ')}  "])
def test_asking_the_police_to_check_the_refuge_address_is_refused_when_drafting_and_changing(
        world: World, wording: str) -> None:
    """Red team, issue 33 finding 2: the refuge address was accepted as the address to check (the draft kept it).
    Now the action refuses it (the page and anything else that drafts), with the error on the field."""
    requests, events = AgencyRequest.objects.count(), CaseEvent.objects.filter(case=world.case).count()
    with pytest.raises(actions.AgencyError) as refused:
        actions.draft_request(world.case, agency="police", about=[], question="Check the address",
                              addresses=f"12 Oak Road\n{wording}", user=world.users["pp"])
    assert refused.value.field == "addresses" and "never disclose" in str(refused.value)
    page = client_for(world, "pp").post(f"/agencies/cases/{world.case.ref}/requests/new/", {
        "agency": "police", "area": world.unit.pk, "addresses": wording, "question": "Check the address"})
    text = page.content.decode()
    assert page.status_code == 400 and "Addresses to check: An address in this request is marked never" in text
    assert AgencyRequest.objects.count() == requests
    draft = world.draft
    changed = client_for(world, "pp").post(f"/agencies/requests/{draft.pk}/edit/", {
        "agency": "police", "area": world.unit.pk, "addresses": wording, "question": "Check the address",
        concurrency.FIELD: concurrency.token(draft)})
    assert changed.status_code == 400 and "marked never disclose" in changed.content.decode()
    draft.refresh_from_db()
    assert draft.addresses.unseal() == "" and draft.question == "DRAFT-QUESTION-NOT-SENT"
    assert CaseEvent.objects.filter(case=world.case).count() == events
