"""Who may open the insights pages and the case audit: SPOs, heads of unit and quality assurance for their scope,
practitioners their own; partner agencies, victim-facing workers and administrators none (403). A scope outside
a user's own is refused; the cases behind a number are only ever those Case.objects.visible_to lists."""

from __future__ import annotations

import pytest
from django.test import Client
from insights_pages import People

from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

pytestmark = pytest.mark.django_db

PAGES = ["/insights/", "/insights/measure/?measure=police-checks",
         "/insights/cases/?measure=police-checks&part=not_met", "/insights/export.csv", "/insights/export.xlsx",
         "/insights/measure/export.csv?measure=police-checks",
         "/insights/cases/export.csv?measure=police-checks&part=numerator"]
NO_DASHBOARDS = ["pc", "cara", "vic", "ada"]


@pytest.mark.parametrize("path", [*PAGES, "/audit-sample/"])
def test_signed_out_users_are_sent_to_sign_in(people: People, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("who", NO_DASHBOARDS)
@pytest.mark.parametrize("path", PAGES)
def test_partner_agencies_victim_workers_and_administrators_see_no_measures(
        clients: dict[str, Client], who: str, path: str) -> None:
    response = clients[who].get(path)
    assert response.status_code == 403
    assert b"Daniel Hughes" not in response.content


@pytest.mark.parametrize("who", NO_DASHBOARDS)
def test_the_insights_link_is_only_for_those_who_can_open_it(clients: dict[str, Client], who: str) -> None:
    page = clients[who].get("/caseload/").content.decode()
    assert 'href="/insights/"' not in page and 'href="/audit-sample/"' not in page
    for role in ("priya", "mo", "hana", "quinn"):
        assert 'href="/insights/"' in clients[role].get("/caseload/").content.decode()
    assert 'href="/audit-sample/"' in clients["quinn"].get("/caseload/").content.decode()
    assert 'href="/audit-sample/"' not in clients["mo"].get("/caseload/").content.decode()


def _scope(kind: str, people: People) -> str:
    staff = {s.code: s for s in Staff.objects.all()}
    values = {
        "priya": f"practitioner-{staff['P1'].pk}", "sam": f"practitioner-{staff['P2'].pk}",
        "olu": f"practitioner-{staff['P9'].pk}", "far practitioner": f"practitioner-{staff['P7'].pk}",
        "team A": f"team-{people.org.team.pk}", "team B": f"team-{people.org.other_team.pk}",
        "far team": f"team-{Team.objects.get(name='South Town A').pk}",
        "unit": f"unit-{people.org.team.unit_id}", "far unit": f"unit-{DeliveryUnit.objects.get(name='South Town').pk}",
        "region": f"region-{people.org.team.unit.region_id}",
        "far region": f"region-{Region.objects.get(name='South').pk}",
    }
    return values[kind]


# Who may open which scope: each role its own level and the levels inside it, nothing beside or above.
ALLOWED = {
    "priya": {"priya"},
    "mo": {"priya", "sam", "team A"},
    "hana": {"priya", "sam", "olu", "team A", "team B", "unit"},
    "quinn": {"priya", "sam", "olu", "team A", "team B", "unit", "region"},
}
SCOPES = ["priya", "sam", "olu", "far practitioner", "team A", "team B", "far team", "unit", "far unit", "region",
          "far region"]


@pytest.mark.parametrize("who", list(ALLOWED))
def test_each_role_opens_its_own_scope_and_nothing_beyond_it(clients: dict[str, Client], people: People,
                                                               who: str) -> None:
    found = {}
    for scope in SCOPES:
        found[scope] = clients[who].get(f"/insights/?scope={_scope(scope, people)}").status_code
    assert found == {scope: 200 if scope in ALLOWED[who] else 403 for scope in SCOPES}


@pytest.mark.parametrize(("who", "default"), [("priya", "Priya Shah (P1)"), ("mo", "North City A (North City)"),
                                              ("hana", "North City"), ("quinn", "Unassigned region")])
def test_the_dashboard_opens_on_the_users_own_scope(clients: dict[str, Client], who: str, default: str) -> None:
    response = clients[who].get("/insights/")
    assert response.status_code == 200
    assert response.context["sel"].scope.label == default


def test_a_scope_that_is_not_a_scope_is_refused(clients: dict[str, Client]) -> None:
    for bad in ("team-999999", "nonsense", "team-", "case-1"):
        assert clients["mo"].get(f"/insights/?scope={bad}").status_code == 403


def test_an_unknown_measure_or_part_is_not_found(clients: dict[str, Client]) -> None:
    assert clients["mo"].get("/insights/measure/?measure=nope").status_code == 404
    assert clients["mo"].get("/insights/cases/?measure=police-checks&part=nope").status_code == 404
    assert clients["mo"].get("/insights/measure/").status_code == 404


def test_a_bad_period_is_explained_not_crashed(clients: dict[str, Client]) -> None:
    response = clients["mo"].get("/insights/?from=2025-13-40&to=2025-01-01")
    assert response.status_code == 400
    assert b"There is a problem" in response.content and b"must be a real date" in response.content
    response = clients["mo"].get("/insights/?from=2025-06-01&to=2025-01-01")
    assert response.status_code == 400 and b"on or before its end" in response.content


def test_the_cases_behind_a_number_are_only_those_the_user_can_see(clients: dict[str, Client]) -> None:
    # Sam (a PSO in team A) sees his team's cases, so his own-scope list is his own; Olu's team is elsewhere.
    page = clients["olu"].get("/insights/cases/?measure=police-checks&part=denominator").content.decode()
    assert "X200001" in page
    for ref in ("X100001", "X100002", "X100003", "X100009", "X300001"):
        assert ref not in page


@pytest.mark.parametrize("who", ["priya", "mo", "hana", "pc", "vic", "ada"])
def test_only_quality_assurance_opens_the_case_audit(clients: dict[str, Client], who: str) -> None:
    assert clients[who].get("/audit-sample/").status_code == 403
    assert clients[who].post("/audit-sample/", {"size": "2"}).status_code == 403
    assert clients["quinn"].get("/audit-sample/").status_code == 200


def test_a_sample_from_another_region_is_not_found(clients: dict[str, Client], people: People) -> None:
    from web_scenarios import make_user

    from safeguard.accounts.models import Profile

    far = make_user("fern", "qa", None, DeliveryUnit.objects.get(name="South Town"))
    assert Profile.objects.get(user=far).role == "qa"
    response = clients["quinn"].post("/audit-sample/", {"size": "2", "seed": "7"})
    sample = response["Location"]
    fern = Client()
    fern.force_login(far)
    assert fern.get(sample).status_code == 404
    assert fern.get(f"{sample}cases/X100001/").status_code == 404
    assert clients["quinn"].get(sample).status_code == 200
