"""My caseload: concern, next obligation, RoSH and registers; filters, sort and search."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from safeguard.cases.models import CONCERN_RANK, Case

pytestmark = pytest.mark.django_db


def refs(response: object) -> list[str]:
    return re.findall(r'data-case="([^"]+)"', response.content.decode())  # type: ignore[attr-defined]


def test_the_caseload_shows_concern_next_obligation_rosh_and_registers(priya: Client, police_case: Case,
                                                                      settled: Case) -> None:
    page = priya.get("/caseload/").content.decode()
    row = page[page.index('data-case="X100001"'):]
    row = row[:row.index("</tr>")]
    assert "Serious" in row or "Immediate" in row
    assert "Police check" in row and "Overdue" in row
    assert "Not assessed" in row
    assert "ADVP" in row
    assert "Medium" in page  # the settled case's RoSH


def test_my_cases_are_the_default_and_the_team_is_a_choice(priya: Client, police_case: Case,
                                                           countersign: Case) -> None:
    assert refs(priya.get("/caseload/")) == ["X100001"]
    team = countersign.practitioner.team_id  # type: ignore[union-attr]
    assert set(refs(priya.get(f"/caseload/?scope=team-{team}"))) == {"X100001", "X100003"}


def test_filters_narrow_the_list(priya: Client, police_case: Case, settled: Case) -> None:
    police_case.refresh_from_db()
    for level in ("immediate", "serious", "watch", "none"):
        for ref in refs(priya.get(f"/caseload/?concern={level}")):
            assert Case.objects.get(ref=ref).concern == level
    assert "X100001" in refs(priya.get(f"/caseload/?concern={police_case.concern}"))
    assert refs(priya.get("/caseload/?register=MAPP")) == []
    assert set(refs(priya.get("/caseload/?register=ADVP"))) == {"X100001", "X100002"}
    overdue = refs(priya.get("/caseload/?overdue=1"))
    assert "X100001" in overdue


def test_the_most_worrying_cases_come_first(priya: Client, police_case: Case, settled: Case) -> None:
    order = refs(priya.get("/caseload/?sort=concern"))
    ranks = [CONCERN_RANK[Case.objects.get(ref=r).concern] for r in order]
    assert ranks == sorted(ranks, reverse=True)
    assert refs(priya.get("/caseload/?sort=ref")) == ["X100001", "X100002"]


def test_search_words_stay_out_of_the_url(priya: Client, police_case: Case, settled: Case) -> None:
    response = priya.post("/caseload/search/", {"search": "Hughes", "query": "sort=ref"})
    assert response.status_code == 302
    assert "Hughes" not in response["Location"]
    assert refs(priya.get(response["Location"])) == ["X100001"]
    assert refs(priya.get("/caseload/")) == ["X100001"]  # kept for the session
    priya.post("/caseload/search/", {"clear": "1"})
    assert set(refs(priya.get("/caseload/"))) == {"X100001", "X100002"}


def test_search_finds_a_case_reference(priya: Client, police_case: Case, settled: Case) -> None:
    priya.post("/caseload/search/", {"search": "x100002"})
    assert refs(priya.get("/caseload/")) == ["X100002"]


def test_htmx_gets_only_the_results(priya: Client, police_case: Case) -> None:
    response = priya.get("/caseload/", HTTP_HX_REQUEST="true")
    assert b'id="caseload-results"' in response.content
    assert b"<html" not in response.content
