"""Any number on a dashboard opens the cases behind it: exactly those safeguard.insights counted in that part of
the measure, as far as Case.objects.visible_to lets the user see them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from insights_pages import People

from safeguard.cases.models import Case
from safeguard.insights.dashboard import PARTS, cases_behind
from safeguard.insights.measures import MEASURES, today
from safeguard.insights.scope import Period, Scope, default_start

pytestmark = pytest.mark.django_db


def listed(page: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-case="([^"]+)">', page)


@pytest.mark.parametrize("part", list(PARTS))
def test_each_part_of_every_measure_lists_exactly_the_cases_behind_it(clients: dict[str, Client], people: People,
                                                                       part: str) -> None:
    quinn = clients["quinn"]
    region = people.org.team.unit.region
    scope = Scope(region=region.pk, label=region.name)
    day = today()
    period = Period(default_start(day), day)
    nonempty = 0
    for m in MEASURES:
        response = quinn.get(f"/insights/cases/?measure={m.id}&part={part}&scope=region-{region.pk}")
        assert response.status_code == 200
        expected = list(cases_behind(m.id, part, scope=scope, period=period, as_of=day).values_list("ref", flat=True))
        assert listed(response.content.decode()) == expected, m.id
        nonempty += bool(expected)
    assert nonempty >= 3


def test_the_not_met_police_checks_are_the_two_overdue_cases(clients: dict[str, Client], people: People) -> None:
    page = clients["mo"].get("/insights/cases/?measure=police-checks&part=not_met").content.decode()
    assert listed(page) == ["X100001", "X100009"]
    assert "Police check" in page and "opened" in page  # what was counted on each case
    assert 'href="/cases/X100001/"' in page
    assert "2 cases." in page


def test_the_dashboards_numbers_link_to_their_cases(clients: dict[str, Client], people: People) -> None:
    mo = clients["mo"]
    page = mo.get("/insights/").content.decode()
    row = re.search(r'data-measure="police-checks">(.*?)</tr>', page, re.S)
    assert row is not None
    link = re.search(r'data-part="not_met"><a class="govuk-link" href="([^"]+)">(\d+)', row.group(1))
    assert link is not None
    target, number = link.group(1).replace("&amp;", "&"), int(link.group(2))
    assert len(listed(mo.get(target).content.decode())) == number == 2


def test_a_scope_bigger_than_what_the_user_sees_says_so(clients: dict[str, Client], people: People) -> None:
    # A head of unit's unit holds every case here but the far one; Priya, a practitioner, sees her team's cases,
    # so her own-scope list of the caseload is her own cases only.
    page = clients["priya"].get("/insights/cases/?measure=unallocated&part=denominator").content.decode()
    mine = set(Case.objects.filter(practitioner__code="P1").values_list("ref", flat=True))
    assert set(listed(page)) == mine


def test_a_long_list_is_cut_on_the_page_but_not_in_the_download(clients: dict[str, Client], people: People,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from safeguard.insights_web import data

    monkeypatch.setattr(data, "PAGE_LIMIT", 1)
    page = clients["mo"].get("/insights/cases/?measure=police-checks&part=not_met").content.decode()
    assert listed(page) == ["X100001"]
    assert "2 cases. The first 1 are listed here; the downloads hold them all." in page
    body = clients["mo"].get("/insights/cases/export.csv?measure=police-checks&part=not_met").content.decode()
    assert "X100001" in body and "X100009" in body
