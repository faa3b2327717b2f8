"""Recording a supervision session from the team capacity page (SPOs and heads of unit)."""

from __future__ import annotations

from datetime import date

from iv_scenarios import Org, da_case, signed_in

from safeguard.audit.models import AuditEntry
from safeguard.workforce.models import SupervisionSession


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_an_spo_records_supervision_with_cases_discussed_and_it_shows_on_the_capacity_page(org: Org) -> None:
    case = da_case("X930001", name="Gil Gray", practitioner="P1")
    client = signed_in(org.mo)
    capacity = client.get("/workforce/capacity/").content.decode()
    assert 'data-testid="record-supervision"' in capacity
    form = client.get(f"/workforce/supervision/?team={org.team.pk}").content.decode()
    assert "Priya Shah (PO)" in form and "Gil Gray (X930001)" in form and "Mo Khan (SPO)" not in form
    response = client.post(f"/workforce/supervision/?team={org.team.pk}", {
        "practitioner": str(org.staff["P1"].pk), "supervisor": str(org.staff["S1"].pk), "minutes": "45",
        "cases": [str(case.pk)], "notes": "Agreed a home visit this week.", **_date("held_on", date(2024, 2, 1)),
        **_date("next_on", date(2024, 3, 1))})
    assert response.status_code == 302 and response["Location"] == f"/workforce/capacity/?team={org.team.pk}"
    session = SupervisionSession.objects.get()
    assert (session.practitioner, session.supervisor, session.held_on, session.minutes) == (
        org.staff["P1"], org.staff["S1"], date(2024, 2, 1), 45)
    assert list(session.cases_discussed.all()) == [case] and session.recorded_by == org.mo
    assert AuditEntry.objects.filter(action="supervision.recorded").exists()


def test_supervision_errors_are_per_field_and_nothing_is_saved(org: Org) -> None:
    other = da_case("X930002", practitioner="P4")
    client = signed_in(org.mo)
    empty = client.post("/workforce/supervision/", {})
    html = empty.content.decode()
    assert empty.status_code == 400
    assert '<a href="#practitioner">Select the practitioner</a>' in html
    assert '<a href="#held_on_day">Enter the date of the session</a>' in html
    assert '<a href="#notes">Enter the decisions made</a>' in html
    wrong = client.post("/workforce/supervision/", {
        "practitioner": str(org.staff["P1"].pk), "supervisor": str(org.staff["S1"].pk), "cases": [str(other.pk)],
        "notes": "x", **_date("held_on", date(2024, 2, 1)), **_date("next_on", date(2024, 1, 1))})
    assert wrong.status_code == 400 and "Cases discussed must be Priya Shah&#x27;s: X930002" in wrong.content.decode()
    backwards = client.post("/workforce/supervision/", {
        "practitioner": str(org.staff["P1"].pk), "supervisor": str(org.staff["S1"].pk), "notes": "x",
        **_date("held_on", date(2024, 2, 1)), **_date("next_on", date(2024, 1, 1))})
    assert backwards.status_code == 400 and "The next session must be after this one" in backwards.content.decode()
    assert not SupervisionSession.objects.exists()


def test_practitioners_cannot_record_supervision(org: Org) -> None:
    assert signed_in(org.priya).get("/workforce/supervision/").status_code == 403
    assert signed_in(org.hana).get("/workforce/supervision/").status_code == 200
