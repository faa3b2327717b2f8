"""Recording events through the generated forms: every type works, bad input is refused with GOV.UK errors and
changes nothing, a stale version is a conflict (never a silent overwrite), and a form saves only once."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.access import MANAGER_EVENTS
from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.models import Obligation
from safeguard.timeline import schema
from safeguard.timeline.validate import Refs, TimelineError, validate_event
from safeguard.web import queries
from safeguard.web.eventforms import EventForm

pytestmark = pytest.mark.django_db


def form_fields(response: Any) -> dict[str, str]:
    """The hidden fields of a rendered form (token, version, last seen event)."""
    html = response.content.decode()
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # type: ignore[union-attr]
            for name in ("form_token", "version", "seen_seq")}


def day_fields(day: date, name: str = "on") -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def open_form(client: Client, ref: str, event_type: str) -> dict[str, str]:
    response = client.get(f"/cases/{ref}/record/{event_type}/")
    assert response.status_code == 200
    return form_fields(response)


def minimal_answers(event_type: str, case: Case, user: Any) -> dict[str, str]:
    """The least a form for `event_type` needs: the first choice for each required question."""
    form = EventForm(event_type, queries.choices_for(case, user))
    answers = day_fields(date.today())
    for control in form.all_controls()[1:]:
        field = form.fields.get(control.name)
        if field is None or not field.required:
            continue
        if control.kind in {"radios", "select"}:
            answers[control.name] = next(c.value for c in control.choices if c.value)
        elif control.kind == "date":
            answers.update(day_fields(date.today() + timedelta(days=30), control.name))
        elif control.kind == "number":
            answers[control.name] = str(getattr(field, "min_value", None) or 1)
        elif control.name.endswith("ref") and control.kind == "input":
            answers[control.name] = str(form.initial.get(control.name) or "N1")
        else:
            answers[control.name] = "A2" if "address" in control.name else "Some words"
    return answers


@pytest.mark.parametrize("event_type", list(schema.EVENTS))
def test_every_event_type_has_a_working_form(priya: Client, mo: Client, settled: Case, org: Any,
                                             event_type: str) -> None:
    client, user = (mo, org.spo) if event_type in MANAGER_EVENTS else (priya, org.practitioner)
    hidden = open_form(client, "X100002", event_type)
    count = CaseEvent.objects.filter(case=settled).count()
    response = client.post(f"/cases/X100002/record/{event_type}/",
                           {**hidden, **minimal_answers(event_type, settled, user)})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/cases/X100002/"
    latest = CaseEvent.objects.filter(case=settled).order_by("-seq").first()
    assert latest is not None and latest.type == event_type and latest.source == "web"
    assert latest.recorded_by == user
    assert CaseEvent.objects.filter(case=settled).count() == count + 1


def test_a_contact_is_recorded_and_the_case_page_says_so(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "contact")
    response = priya.post("/cases/X100002/record/contact/", {
        **hidden, **day_fields(date.today()), "kind": "home_visit", "outcome": "attended", "by": "P1"})
    assert response.status_code == 302
    event = CaseEvent.objects.filter(case=settled).order_by("-seq").first()
    assert event is not None
    assert event.payload == {"on": date.today().isoformat(), "type": "contact", "kind": "home_visit",
                             "outcome": "attended", "by": "P1"}
    page = priya.get("/cases/X100002/").content.decode()
    assert "Contact recorded" in page
    assert "Home visit" in page


def test_missing_answers_are_listed_in_an_error_summary_and_nothing_is_saved(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "contact")
    version = settled.version
    response = priya.post("/cases/X100002/record/contact/", {**hidden, "on_day": "", "on_month": "", "on_year": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    for message in ("Enter the date", "Select the type of contact", "Select the outcome", "Select who saw him"):
        assert message in html
    assert '<a href="#on_day">Enter the date</a>' in html
    assert '<a href="#kind">Select the type of contact</a>' in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html
    settled.refresh_from_db()
    assert settled.version == version
    assert not CaseEvent.objects.filter(case=settled, type="contact", source="web").exists()


@pytest.mark.parametrize(("parts", "message"), [
    (("31", "2", "2025"), "Date must be a real date"),
    (("1", "", "2025"), "Date must include a month"),
    (("1", "1", "25"), "Year must include 4 numbers"),
    (("x", "1", "2025"), "Date must be a real date"),
])
def test_impossible_dates_are_refused(priya: Client, settled: Case, parts: tuple[str, str, str], message: str) -> None:
    hidden = open_form(priya, "X100002", "note")
    response = priya.post("/cases/X100002/record/note/", {
        **hidden, "on_day": parts[0], "on_month": parts[1], "on_year": parts[2], "by": "P1", "text": "Seen"})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_future_dates_and_dates_before_the_latest_event_are_refused(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "note")
    future = priya.post("/cases/X100002/record/note/", {
        **hidden, **day_fields(date.today() + timedelta(days=1)), "by": "P1", "text": "Seen"})
    assert "The date must be today or in the past" in future.content.decode()
    past = priya.post("/cases/X100002/record/note/", {
        **hidden, **day_fields(date.today() - timedelta(days=60)), "by": "P1", "text": "Seen"})
    assert "the date of the latest event on this case" in past.content.decode()
    assert not CaseEvent.objects.filter(case=settled, type="note").exists()


def test_numbers_out_of_range_are_refused(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "mappa")
    response = priya.post("/cases/X100002/record/mappa/", {**hidden, **day_fields(date.today()),
                                                           "category": "7", "level": "one"})
    html = response.content.decode()
    assert "MAPPA category must be 4 or less" in html
    assert "MAPPA level must be a whole number" in html


def test_a_person_reference_cannot_be_used_twice(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "person_added")
    response = priya.post("/cases/X100002/record/person_added/", {
        **hidden, **day_fields(date.today()), "ref": "V1", "relationship": "partner"})
    assert response.status_code == 400
    assert "V1 is already used on this case" in response.content.decode()
    spaced = priya.post("/cases/X100002/record/person_added/", {
        **hidden, **day_fields(date.today()), "ref": "Jane Doe", "relationship": "partner"})
    assert "Use letters and numbers only" in spaced.content.decode()


def test_a_stale_version_is_a_conflict_not_an_overwrite(priya: Client, mo: Client, settled: Case) -> None:
    mine = open_form(priya, "X100002", "note")
    theirs = open_form(mo, "X100002", "contact")
    assert mo.post("/cases/X100002/record/contact/", {
        **theirs, **day_fields(date.today()), "kind": "office", "outcome": "attended", "by": "S1"}).status_code == 302
    answers = {**day_fields(date.today()), "by": "P1", "text": "He says he has a new partner."}
    response = priya.post("/cases/X100002/record/note/", {**mine, **answers})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else recorded something on this case after you opened this form" in html
    assert "Nothing has been saved" in html
    assert 'data-testid="changes"' in html and "Contact on" in html
    assert "He says he has a new partner." in html  # the answers are kept
    assert not CaseEvent.objects.filter(case=settled, type="note").exists()
    again = priya.post("/cases/X100002/record/note/", {**form_fields(response), **answers})
    assert again.status_code == 302
    assert CaseEvent.objects.filter(case=settled, type="note").count() == 1


def test_a_form_sent_twice_saves_once(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "note")
    answers = {**hidden, **day_fields(date.today()), "by": "P1", "text": "Seen at the office."}
    first = priya.post("/cases/X100002/record/note/", answers)
    second = priya.post("/cases/X100002/record/note/", answers)
    assert first.status_code == second.status_code == 302
    assert CaseEvent.objects.filter(case=settled, type="note").count() == 1
    assert "This was already saved" in priya.get("/cases/X100002/").content.decode()


def test_a_tampered_token_is_refused(priya: Client, settled: Case) -> None:
    hidden = open_form(priya, "X100002", "note")
    response = priya.post("/cases/X100002/record/note/", {
        **hidden, "form_token": "not-a-token", **day_fields(date.today()), "by": "P1", "text": "x"})
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()


def test_an_obligation_link_starts_the_form_with_its_answers(priya: Client, police_case: Case) -> None:
    page = priya.get("/cases/X100001/").content.decode()
    assert "/cases/X100001/record/check_requested/?agency=police" in page
    form = priya.get("/cases/X100001/record/check_requested/?agency=police").content.decode()
    assert re.search(r'value="police" checked', form)


def test_recording_the_check_discharges_the_obligation(priya: Client, police_case: Case) -> None:
    assert Obligation.objects.filter(case=police_case, kind="police_check", status="overdue").exists()
    hidden = open_form(priya, "X100001", "check_requested")
    priya.post("/cases/X100001/record/check_requested/", {**hidden, **day_fields(date.today()), "agency": "police"})
    hidden = open_form(priya, "X100001", "check_returned")
    response = priya.post("/cases/X100001/record/check_returned/", {
        **hidden, **day_fields(date.today()), "agency": "police", "callouts": "1", "summary": "One call-out"})
    assert response.status_code == 302
    assert not Obligation.objects.filter(case=police_case, kind="police_check", status__in=("due", "overdue")).exists()
    assert "Done: Police check" in priya.get("/cases/X100001/").content.decode()


def test_a_sentence_form_builds_nested_requirements_and_offence(org: Any, settled: Case) -> None:
    options = queries.choices_for(settled, org.practitioner)
    form = EventForm("sentenced", options, data={
        **day_fields(date.today()), "form_token": "a" * 32, "version": "1", "seen_seq": "0",
        "order": "community_order", "months": "18", "requirements": ["rar", "accredited_programme"],
        "requirements__rar__days": "15", "requirements__accredited_programme__programme": "bbr",
        "requirements__curfew__address": "ignored: not ticked", "offence__victims": ["V1"],
        "offence__domestic": "unknown", "offence__description": "Criminal damage"})
    assert form.is_valid(), form.errors
    event = form.to_event()
    assert event["requirements"] == [{"type": "accredited_programme", "programme": "bbr"},
                                     {"type": "rar", "days": 15}] or \
        event["requirements"] == [{"type": "rar", "days": 15}, {"type": "accredited_programme", "programme": "bbr"}]
    assert event["offence"] == {"description": "Criminal damage", "victims": ["V1"], "domestic": None}
    validate_event(event, Refs(people={"V1"}))


def test_record_events_refusal_is_shown_against_the_field_it_names(org: Any, settled: Case) -> None:
    form = EventForm("sentenced", queries.choices_for(settled, org.practitioner), data={})
    form.is_valid()
    form.add_timeline_error(TimelineError("case X100002", "event (sentenced): field 'offence'",
                                          "field 'victims': unknown person ref 'V7' (add it with person_added "
                                          "first; known: V1)"))
    assert form.errors["offence__victims"] == ["Unknown person ref 'V7' (add it with person_added first; known: V1)"]
    form.add_timeline_error(TimelineError("case X100002", "event", "something odd"))
    assert "Something odd" in form.non_field_errors()


def test_only_a_manager_countersigns_and_only_in_their_own_name(priya: Client, mo: Client, settled: Case) -> None:
    assert priya.get("/cases/X100002/record/countersigned/").status_code == 403
    assert priya.get("/cases/X100002/record/manager_decision/").status_code == 403
    assert b"/record/countersigned/" not in priya.get("/cases/X100002/record/").content
    form = mo.get("/cases/X100002/record/countersigned/").content.decode()
    assert re.findall(r'<option value="(\w+)"', form) == ["S1"]
    hidden = form_fields(mo.get("/cases/X100002/record/countersigned/"))
    forged = mo.post("/cases/X100002/record/countersigned/", {**hidden, **day_fields(date.today()), "by": "P1"})
    assert forged.status_code == 400
    assert not CaseEvent.objects.filter(case=settled, type="countersigned").exists()
