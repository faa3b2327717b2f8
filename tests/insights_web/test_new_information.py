"""The "new information" panel on the case page (issue 12): signals in recent notes, information received and
partner agencies' replies become suggestions with the matched words highlighted; "Yes, record it" opens the
matching event form pre-filled and saving it records the event (obligations follow); "Dismiss" records who and
why. Nothing changes a case until a person confirms."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from insights_pages import People, news_case

from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case
from safeguard.oversight.models import OPEN, Obligation
from safeguard.signals_web.models import SignalDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people: People) -> Case:
    return news_case()


def seq_of(case: Case, event_type: str) -> int:
    return case.events.filter(type=event_type).order_by("-seq").values_list("seq", flat=True)[0]


def suggestions(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-testid="suggestion" data-kind="(\w+)" data-seq="(\d+)"', page)


def hidden(page: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
            for name in ("form_token", "version", "seen_seq")}


def today_fields() -> dict[str, str]:
    day = date.today()
    return {"on_day": str(day.day), "on_month": str(day.month), "on_year": str(day.year)}


def test_the_case_page_asks_about_each_signal_with_the_words_highlighted(clients: dict[str, Client],
                                                                          case: Case) -> None:
    page = clients["priya"].get("/cases/X100005/").content.decode()
    found = suggestions(page)
    note, info, reply = seq_of(case, "note"), seq_of(case, "information_received"), seq_of(case, "check_returned")
    assert set(found) == {("police_callout", str(info)), ("strangulation", str(info)),
                          ("new_relationship", str(note)), ("police_callout", str(reply)), ("arrest", str(reply)),
                          ("threats_to_kill", str(reply))}
    assert found[0][1] == str(info)  # newest first
    assert "Record that he has a new partner?" in page
    assert "Record non-fatal strangulation?" in page
    assert '<mark class="app-signal">has a new girlfriend</mark>' in page
    assert '<mark class="app-signal">hands round her neck</mark>' in page
    assert "Case note, " in page and "Information from police, " in page and "Police reply to a check, " in page
    # "He denies drinking" is negated; the 200-day-old note is outside the window.
    panel = page[page.index('id="new-information"'):]
    panel = panel[:panel.index("</section>")]
    assert "substance_relapse" not in panel and "moving in with his new partner" not in panel


def test_looking_changes_nothing(clients: dict[str, Client], case: Case) -> None:
    before = (case.version, case.events.count(), Obligation.objects.filter(case=case).count())
    clients["priya"].get("/cases/X100005/")
    clients["priya"].get(f"/cases/X100005/new-information/{seq_of(case, 'note')}/record/?kind=new_relationship")
    case.refresh_from_db()
    assert (case.version, case.events.count(), Obligation.objects.filter(case=case).count()) == before
    assert not SignalDecision.objects.exists()


def test_yes_opens_the_matching_form_pre_filled(clients: dict[str, Client], case: Case) -> None:
    info = seq_of(case, "information_received")
    response = clients["priya"].get(f"/cases/X100005/new-information/{info}/record/?kind=strangulation")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Record a police incident" in page or "police incident" in page.lower()
    form = response.context["form"]
    assert form.event_type == "police_incident"
    assert form["features"].value() == ["strangulation"] and form["domestic"].value() is True
    assert re.search(r'name="features" type="checkbox" value="strangulation" checked', page)
    assert '<mark class="app-signal">hands round her neck</mark>' in page  # the evidence beside the form
    assert "Nothing is recorded until you save" in page


def test_confirming_records_the_event_and_its_obligations_follow(clients: dict[str, Client], case: Case,
                                                                 people: People) -> None:
    priya = clients["priya"]
    info = seq_of(case, "information_received")
    url = f"/cases/X100005/new-information/{info}/record/?kind=strangulation"
    page = priya.get(url).content.decode()
    assert not Obligation.objects.filter(case=case, rule="marac-referral").exists()
    response = priya.post(url, {**hidden(page), **today_fields(), "kind": "callout", "features": ["strangulation"],
                                "domestic": "on", "victim": "V1"})
    assert response.status_code == 302 and response["Location"] == "/cases/X100005/"
    recorded = case.events.get(type="police_incident")
    assert recorded.payload["features"] == ["strangulation"] and recorded.payload["domestic"] is True
    assert recorded.recorded_by == people.users["priya"]
    decision = SignalDecision.objects.get()
    assert (decision.decision, decision.kind, decision.source_event.seq, decision.recorded_event) == (
        "confirmed", "strangulation", info, recorded)
    assert decision.decided_by == people.users["priya"]
    assert case.events.get(seq=info).payload["text"][decision.start:decision.end] == "hands round her neck"
    assert Obligation.objects.filter(case=case, rule="marac-referral", status__in=OPEN).exists()  # rule 17
    entry = AuditEntry.objects.filter(action="signal.confirmed").get()
    assert entry.detail == {"kind": "strangulation", "seq": info, "outcome": "confirmed", "event": recorded.seq}
    page = priya.get("/cases/X100005/").content.decode()
    assert ("strangulation", str(info)) not in suggestions(page)
    assert ("police_callout", str(info)) in suggestions(page)  # the other signal in the same text still asks
    assert "Police incident recorded" in page or "recorded" in page
    assert 'data-testid="confirmed"' in page and "/record/marac_referred/" in page  # what usually comes next
    assert priya.get(url).status_code == 404  # decided: it cannot be confirmed twice


def test_a_new_partner_opens_the_add_a_person_form_as_a_partner(clients: dict[str, Client], case: Case) -> None:
    note = seq_of(case, "note")
    url = f"/cases/X100005/new-information/{note}/record/?kind=new_relationship"
    response = clients["priya"].get(url)
    form = response.context["form"]
    assert form.event_type == "person_added"
    assert form["relationship"].value() == "partner" and form["victim"].value() is False
    page = response.content.decode()
    response = clients["priya"].post(url, {**hidden(page), **today_fields(), "ref": "P5", "relationship": "partner"})
    assert response.status_code == 302
    person = case.people.get(ref="P5")
    assert person.relationship == "partner"
    assert SignalDecision.objects.get().recorded_event == case.events.get(type="person_added", payload__ref="P5")


def test_an_incomplete_form_records_nothing(clients: dict[str, Client], case: Case) -> None:
    info = seq_of(case, "information_received")
    url = f"/cases/X100005/new-information/{info}/record/?kind=strangulation"
    page = clients["priya"].get(url).content.decode()
    response = clients["priya"].post(url, {**hidden(page), **today_fields(), "features": ["strangulation"]})
    assert response.status_code == 400  # the kind of incident is missing
    assert not case.events.filter(type="police_incident").exists() and not SignalDecision.objects.exists()


def test_recording_text_from_a_suggestion_does_not_suggest_it_again(clients: dict[str, Client], people: People,
                                                                    case: Case) -> None:
    from web_scenarios import ago

    from safeguard.actions import record_event

    record_event(case, {"on": ago(1), "type": "note", "by": "P1",
                        "text": "He said he would kill himself if she left him."}, user=people.users["priya"])
    note = seq_of(case, "note")
    url = f"/cases/X100005/new-information/{note}/record/?kind=threats_of_suicide"
    response = clients["priya"].get(url)
    assert response.context["form"]["text"].value() == "He said he would kill himself if she left him."
    page = response.content.decode()
    response = clients["priya"].post(url, {**hidden(page), **today_fields(), "source": "other",
                                           "text": "He said he would kill himself if she left him."})
    assert response.status_code == 302
    page = clients["priya"].get("/cases/X100005/").content.decode()
    assert "threats_of_suicide" not in page  # not raised again by the information just recorded


def test_dismissing_needs_a_reason_and_records_who_and_why(clients: dict[str, Client], case: Case,
                                                           people: People) -> None:
    mo = clients["mo"]  # the SPO of the practitioner's team
    reply = seq_of(case, "check_returned")
    url = f"/cases/X100005/new-information/{reply}/dismiss/?kind=arrest"
    page = mo.get(url)
    assert page.status_code == 200 and b'<mark class="app-signal">' in page.content
    missing = mo.post(url, {})
    assert missing.status_code == 400 and b"Select why this is not new information to record" in missing.content
    other = mo.post(url, {"reason": "other", "reason_text": "  "})
    assert other.status_code == 400 and b"Say why you are dismissing it" in other.content
    assert not SignalDecision.objects.exists()
    version = Case.objects.get(pk=case.pk).version
    done = mo.post(url, {"reason": "already_recorded", "reason_text": "The arrest is on the record from March."})
    assert done.status_code == 302 and done["Location"] == "/cases/X100005/"
    decision = SignalDecision.objects.get()
    assert (decision.decision, decision.kind, decision.reason, decision.reason_text, decision.decided_by) == (
        "dismissed", "arrest", "already_recorded", "The arrest is on the record from March.", people.users["mo"])
    assert decision.recorded_event is None
    assert Case.objects.get(pk=case.pk).version == version  # the case itself did not change
    entry = AuditEntry.objects.filter(action="signal.dismissed").get()
    assert entry.detail == {"kind": "arrest", "seq": reply, "outcome": "dismissed", "code": "already_recorded"}
    assert entry.user == people.users["mo"] and entry.case_ref == "X100005"
    page = mo.get("/cases/X100005/").content.decode()
    assert ("arrest", str(reply)) not in suggestions(page) and ("threats_to_kill", str(reply)) in suggestions(page)
    assert "Suggestion dismissed" in page
    assert mo.post(url, {"reason": "dealt_with"}).status_code == 404  # decided once


def test_decisions_are_append_only(clients: dict[str, Client], case: Case) -> None:
    from safeguard.audit.appendonly import AppendOnlyError

    reply = seq_of(case, "check_returned")
    clients["priya"].post(f"/cases/X100005/new-information/{reply}/dismiss/?kind=arrest", {"reason": "not_meant"})
    decision = SignalDecision.objects.get()
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        SignalDecision.objects.all().delete()


def test_a_colleague_sees_the_suggestions_but_cannot_act(clients: dict[str, Client], people: People) -> None:
    from web_scenarios import ago, build_case, sentenced_da_case

    build_case("X100006", "Jake Moss", [*sentenced_da_case("P2", 20),
                                        {"on": ago(2), "type": "note", "by": "P2",
                                         "text": "He has a new girlfriend and she is pregnant."}])
    page = clients["priya"].get("/cases/X100006/").content.decode()  # Sam's case, in Priya's team
    assert "Record that he has a new partner?" in page and "Yes, record it" not in page
    seq = Case.objects.get(ref="X100006").events.get(type="note").seq
    for action in ("record", "dismiss"):
        url = f"/cases/X100006/new-information/{seq}/{action}/?kind=new_relationship"
        assert clients["priya"].get(url).status_code == 403
        assert clients["priya"].post(url, {"reason": "other", "reason_text": "x"}).status_code == 403
        for who in ("olu", "pc", "vic"):  # outside visible_to: not found
            assert clients[who].get(url).status_code == 404
            assert clients[who].post(url, {"reason": "other", "reason_text": "x"}).status_code == 404
    assert clients["sam"].get(f"/cases/X100006/new-information/{seq}/record/?kind=new_relationship").status_code \
        == 200
    assert not SignalDecision.objects.exists()


@pytest.mark.parametrize("query", ["?kind=nonsense", "?kind=birth", ""])
def test_a_suggestion_that_is_not_there_is_not_found(clients: dict[str, Client], case: Case, query: str) -> None:
    note = seq_of(case, "note")
    assert clients["priya"].get(f"/cases/X100005/new-information/{note}/record/{query}").status_code == 404
    sentenced = case.events.get(type="sentenced").seq  # an event whose text is not read
    assert clients["priya"].get(f"/cases/X100005/new-information/{sentenced}/record/?kind=arrest").status_code \
        == 404


def test_a_never_disclose_detail_in_the_texts_is_withheld_and_read_once(clients: dict[str, Client],
                                                                        case: Case) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.signals_web.service import open_suggestions
    from safeguard.victims.models import ContactDetail, VictimRecord

    person = case.people.get(ref="V1")
    record = VictimRecord.objects.create(case=case, person=person)
    # Typed into the police's information and into the note (a refuge's name, say): both are scrubbed.
    ContactDetail.objects.create(record=record, kind="address", value="the flat", never_disclose=True)
    ContactDetail.objects.create(record=record, kind="other", value="Amy", never_disclose=True)
    with CaptureQueriesContext(connection) as queries:
        found = open_suggestions(case)
    assert len({s.event.pk for s in found}) == 3  # three recent texts raise suggestions
    reads = [q for q in queries.captured_queries if "victims_contactdetail" in q["sql"]]
    assert len(reads) == 1, "the case's never-disclose values are read once, not once per text"
    texts = " ".join(s.text for s in found)
    assert "the flat" not in texts.lower() and "Amy" not in texts
    assert texts.count("[never disclose: withheld]") >= 2
    with CaptureQueriesContext(connection) as queries:
        page = clients["priya"].get("/cases/X100005/").content.decode()
    reads = [q for q in queries.captured_queries if "victims_contactdetail" in q["sql"]]
    assert len(reads) == 1, "the panel and the timeline's texts share one read of the never-disclose values"
    panel = page[page.index('id="new-information"'):]
    panel = panel[:panel.index("</section>")]
    assert "Amy" not in panel and "the flat" not in panel and "hands round her neck" in panel
    timeline = page[page.index('data-testid="timeline"'):]
    assert "Amy" not in timeline and "the flat" not in timeline.lower() and "[never disclose: withheld]" in timeline
