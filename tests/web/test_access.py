"""Who may see and record what: every page asks Case.objects.visible_to and accounts.access, never itself."""

from __future__ import annotations

import pytest
from django.test import Client

from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

PAGES = ["/caseload/", "/team/", "/cases/X100001/", "/cases/X100001/record/", "/cases/X100001/record/contact/"]


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_users_are_sent_to_sign_in(police_case: Case, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("path", ["/cases/X100001/", "/cases/X100001/record/", "/cases/X100001/record/contact/"])
def test_a_case_outside_visible_to_is_not_found(olu: Client, police_case: Case, path: str) -> None:
    response = olu.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Daniel Hughes" not in response.content


def test_recording_on_a_case_outside_visible_to_is_not_found_and_writes_nothing(olu: Client, police_case: Case) -> None:
    before = police_case.version
    response = olu.post("/cases/X100001/record/note/", {
        "on_day": "1", "on_month": "1", "on_year": "2020", "by": "P9", "text": "Nothing", "form_token": "a" * 32,
        "version": str(before), "seen_seq": "0"})
    assert response.status_code == 404
    police_case.refresh_from_db()
    assert police_case.version == before
    assert not CaseEvent.objects.filter(case=police_case, type="note").exists()


def test_the_caseload_never_lists_other_teams_cases(priya: Client, police_case: Case, other_case: Case) -> None:
    for query in ("", "?scope=all", f"?scope=team-{other_case.practitioner.team_id}"):  # type: ignore[union-attr]
        response = priya.get(f"/caseload/{query}")
        assert response.status_code == 200
        assert b"X200001" not in response.content


def test_a_colleagues_case_can_be_seen_but_not_recorded_on(priya: Client, countersign: Case) -> None:
    page = priya.get("/cases/X100003/")
    assert page.status_code == 200
    assert b"Ryan Walsh" in page.content
    assert b"Record something" not in page.content
    assert priya.get("/cases/X100003/record/contact/").status_code == 403
    assert priya.get("/cases/X100003/record/").status_code == 403


def test_the_spo_records_on_the_teams_cases(mo: Client, countersign: Case) -> None:
    assert mo.get("/cases/X100003/record/countersigned/").status_code == 200


def test_the_team_page_is_for_managers(priya: Client, mo: Client, police_case: Case) -> None:
    assert priya.get("/team/").status_code == 403
    assert mo.get("/team/").status_code == 200


def test_viewing_a_case_is_audited(priya: Client, police_case: Case) -> None:
    priya.get("/cases/X100001/")
    entry = AuditEntry.objects.filter(action="case.viewed", case_ref="X100001").last()
    assert entry is not None and entry.user is not None and entry.user.username == "priya"


def test_an_unknown_event_type_is_not_found(priya: Client, police_case: Case) -> None:
    assert priya.get("/cases/X100001/record/shoe_size/").status_code == 404


def test_sign_in_shows_a_gov_uk_error_summary(org: object) -> None:
    response = Client().post("/sign-in/", {"username": "priya", "password": "wrong"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter a correct username and password" in response.content


def test_sign_out_is_a_post(priya: Client) -> None:
    assert priya.get("/sign-out/").status_code == 405
    assert priya.post("/sign-out/").status_code == 302
    assert priya.get("/caseload/").status_code == 302
