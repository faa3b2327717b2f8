"""The team page: cases by concern, overdue safeguarding work, escalations, countersigning, waivers, caseloads."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from web_scenarios import PASSWORD, ago, make_user

from safeguard.accounts.models import Profile
from safeguard.actions import record_event
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation

pytestmark = pytest.mark.django_db


def section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</table>", start)]


def test_the_team_page_shows_overdue_safeguarding_work_and_the_countersigning_queue(
        mo: Client, police_case: Case, countersign: Case, other_case: Case) -> None:
    html = mo.get("/team/").content.decode()
    overdue = section(html, "overdue-safeguarding")
    assert "Daniel Hughes" in overdue and "Police check" in overdue
    assert "Kieran Moss" not in html  # another team's case
    queue = section(html, "countersigning")
    assert "Ryan Walsh" in queue and "/cases/X100003/record/countersigned/" in queue


def test_caseload_sizes_count_each_practitioners_active_cases(mo: Client, police_case: Case, settled: Case,
                                                              countersign: Case) -> None:
    table = section(mo.get("/team/").content.decode(), "caseloads")
    sizes = dict(re.findall(r'data-staff="(\w+)" data-caseload="(\d+)"', table))
    assert sizes == {"P1": "2", "P2": "1", "S1": "0"}


def test_cases_by_concern_add_up_to_the_team(mo: Client, police_case: Case, settled: Case) -> None:
    html = mo.get("/team/").content.decode()
    assert "2 active cases in the team" in html


def test_escalations_and_waivers_with_reasons(mo: Client, settled: Case, org: Any) -> None:
    record_event(settled, {"on": ago(3), "type": "person_added", "ref": "P2", "relationship": "partner",
                           "lives_with_case": False}, user=org.practitioner)
    record_event(settled, {"on": ago(2), "type": "relationship_started", "ref": "P2"}, user=org.practitioner)
    record_event(settled, {"on": ago(1), "type": "manager_decision", "by": "S1", "about": "disclosure_consideration",
                           "decision": "Police already made a Right to Ask disclosure"}, user=org.spo)
    Obligation.objects.filter(case=settled, status="overdue").update(escalated_on=date.today())
    html = mo.get("/team/").content.decode()
    waivers = section(html, "waivers")
    assert "Disclosure consideration" in waivers
    assert "Police already made a Right to Ask disclosure" in waivers
    if Obligation.objects.filter(case=settled, status="overdue").exists():
        assert "Liam Carter" in section(html, "escalations")


def test_a_head_of_unit_chooses_among_the_units_teams(org: Any, police_case: Case, other_case: Case) -> None:
    head = make_user("hana", "head", None, org.team.unit)
    assert Profile.objects.get(user=head).role == "head"
    client = Client()
    client.login(username="hana", password=PASSWORD)
    first = client.get("/team/").content.decode()
    assert 'name="team"' in first
    other = client.get(f"/team/?team={org.other_team.pk}").content.decode()
    assert "North City B team" in other and "Kieran Moss" in other
