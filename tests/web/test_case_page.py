"""The case page: who he is, victims and children, risk, controls, checks, interventions, obligations, timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from web_scenarios import ago

from safeguard.actions import record_event
from safeguard.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_safety_picture(priya: Client, settled: Case, org: Any) -> None:
    record_event(settled, {"on": ago(2), "type": "person_added", "ref": "C1", "relationship": "child",
                           "born": f"{date.today().year - 5}-01-01", "lives_with_case": True}, user=org.practitioner)
    record_event(settled, {"on": ago(1), "type": "control_imposed", "control": "restraining_order",
                           "protects": ["V1"]}, user=org.practitioner)
    html = priya.get("/cases/X100002/").content.decode()
    assert "Liam Carter" in html and "X100002" in html
    victims = html[html.index("Known victims"):html.index("</table>", html.index("Known victims"))]
    assert 'data-person="V1"' in victims and "Ex-partner" in victims
    children = html[html.index(">Children<"):html.index("</table>", html.index(">Children<"))]
    assert 'data-person="C1"' in children and "Lives with him" in children
    assert 'data-testid="rosh">Medium<' in html
    assert "Restraining order" in html
    checks = html[html.index('data-testid="checks"'):]
    assert "Returned" in checks and "2 domestic call-outs" in checks
    assert "Rehabilitation activity requirement (RAR)" in html
    obligations = html[html.index('data-testid="open-obligations"'):html.index("</table>",
                                                                              html.index("open-obligations"))]
    assert 'data-kind="' in obligations and "Rule " in obligations
    assert "Restraining order" in html[html.index('data-testid="timeline"'):]
    assert "Record something" in html


def test_a_long_timeline_is_shown_a_page_at_a_time(priya: Client, settled: Case, org: Any) -> None:
    for n in range(30):
        record_event(settled, {"on": date.today().isoformat(), "type": "note", "by": "P1", "text": f"Note {n}"},
                     user=org.practitioner, evaluate=False)
    first = priya.get("/cases/X100002/").content.decode()
    assert "The latest 25 of" in first and "Note 29" in first and "Note 0<" not in first
    whole = priya.get("/cases/X100002/?timeline=all").content.decode()
    assert "Show the whole timeline" not in whole and "Note 0<" in whole


def test_case_page_shows_the_tier_with_its_explanation(priya: Client, police_case: Case) -> None:
    from safeguard.assessments.tier import tier_of
    from safeguard.oversight.service import facts_for, today

    page = priya.get(f"/cases/{police_case.ref}/").content.decode()
    expected = tier_of(facts_for(police_case), today())
    assert f'data-testid="tier">\n      {expected.label}' in page
    assert "How the tier was worked out" in page
    assert f"/cases/{police_case.ref}/assessments/" in page


def test_the_timeline_shows_requirements_and_conditions_with_their_own_fields(priya: Client, settled: Case,
                                                                              org: Any) -> None:
    # A typed list's items hold lists and yes/no fields of their own (the people an exclusion protects): the
    # page once failed with a server error on every case whose sentence or licence had one.
    record_event(settled, {"on": ago(1), "type": "released", "licence": "standard", "months": 6,
                           "conditions": [{"type": "no_contact", "protects": ["V1"]}, {"type": "curfew"}]},
                 user=org.practitioner)
    response = priya.get("/cases/X100002/")
    assert response.status_code == 200
    timeline = response.content.decode()
    timeline = timeline[timeline.index('data-testid="timeline"'):]
    assert "protects V1" in timeline


def test_event_details_label_each_item_of_a_typed_list_by_its_own_fields() -> None:
    from safeguard.web.templatetags.safeguard_web import event_details

    rows = dict(event_details({"type": "sentenced", "order": "community_order", "requirements": [
        {"type": "exclusion", "protects": ["V1", "V2"]}, {"type": "curfew", "electronic_monitoring": True},
        {"type": "rar", "days": 20}]}))
    shown = next(v for k, v in rows.items() if "equirement" in k)
    assert "protects V1, V2" in shown and "electronically monitored Yes" in shown and "days 20" in shown
