"""The workforce pages through the Django test client: team capacity and an allocation recommendation."""

from __future__ import annotations

from datetime import date

from iv_scenarios import Org, build_case, da_case, da_events, signed_in

from safeguard.workforce.oversight import record_supervision


def test_capacity_page_shows_each_practitioner_s_points_and_percentage(org: Org) -> None:
    da_case("X910001", practitioner="P1")  # 8 points
    da_case("X910002", practitioner="P4", rosh="low", sara_partner="low")  # 5 points of 100
    record_supervision(org.staff["P1"], org.staff["S1"], user=org.mo, on=date(2024, 2, 1), minutes=30)
    page = signed_in(org.mo).get("/workforce/capacity/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="govuk-table"' in html and "North City A: capacity" in html
    assert "8 of 200" in html and "4%" in html  # Priya: 8 of 200
    assert "5 of 100" in html and "5%" in html  # Ana, part-time
    assert "1 Feb 2024" in html  # Priya's last supervision
    assert "The team holds 13 of" in html
    assert 'href="/workforce/allocate/X910001/"' in html


def test_capacity_is_for_managers_only(org: Org) -> None:
    assert signed_in(org.priya).get("/workforce/capacity/").status_code == 403
    assert signed_in(org.hana).get("/workforce/capacity/").status_code == 200  # head of unit: every team


def test_allocation_page_ranks_a_trained_po_above_a_pso_for_a_high_risk_case(org: Org) -> None:
    build_case("X910003", da_events(practitioner="S1", rosh="high", sara_partner="high"), name="Ian Ives")
    page = signed_in(org.mo).get("/workforce/allocate/X910003/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "tier B 9 + domestic abuse 2 + sara high 2 = 13 points" in html
    assert html.index('data-testid="option-P1"') < html.index('data-testid="option-P2"')
    assert "Recommended: Priya Shah." in html or "Recommended: Ana Cruz." in html
    assert "Rule 10: a domestic abuse case with RoSH high should not be held by a PSO" in html
    assert "after" in html and "now" in html
    assert signed_in(org.priya).get("/workforce/allocate/X910003/").status_code == 403
    assert signed_in(org.mo).get("/workforce/allocate/NOPE/").status_code == 404
