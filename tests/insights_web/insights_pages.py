"""Test data for the insights pages: the web tests' team and cases (web_scenarios), a head of unit, quality
assurance, partner agencies, and a case in another region."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.contrib.auth.models import User
from web_scenarios import (
    Org,
    build_case,
    countersign_case,
    make_org,
    make_user,
    outsider_case,
    overdue_police_check_case,
    sentenced_da_case,
    settled_case,
)

from safeguard.actions import ensure_unit
from safeguard.cases.models import Case
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import Staff, Team

FORMULA_NAME = '=HYPERLINK("http://attacker.example/","Click me")'


@dataclass
class People:
    org: Org
    users: dict[str, User]
    cases: dict[str, Case] = field(default_factory=dict)


def far_away_case() -> Case:
    """A case in another region's unit: no one in these tests works there."""
    unit = ensure_unit("South Town", region="South")
    team = Team.objects.create(name="South Town A", unit=unit)
    Staff.objects.create(code="P7", name="Sue Far", grade="PO", team=team)
    doc: dict[str, Any] = {
        "format": "safeguard-timeline/1",
        "case": {"ref": "X300001", "born": "1980-01-01", "gender": "male", "pdu": "South Town"},
        "staff": [{"ref": "P7", "grade": "PO"}],
        "events": sentenced_da_case("P7", 15),
    }
    case = import_timeline(validate_document(doc, "X300001.json"))
    Case.objects.filter(pk=case.pk).update(name="Far Away")
    case.refresh_from_db()
    return case


def formula_case() -> Case:
    """Police check overdue, and a name a spreadsheet would run as a formula."""
    return build_case("X100009", FORMULA_NAME, sentenced_da_case("P1", 25))


def make_people() -> People:
    org = make_org()
    unit = org.team.unit
    users = {
        "priya": org.practitioner, "sam": org.pso, "mo": org.spo, "olu": org.outsider,
        "hana": make_user("hana", "head", None, unit),
        "quinn": make_user("quinn", "qa", None, unit),
        "pc": make_user("pc", "police", None, unit),
        "cara": make_user("cara", "csc", None, unit),
        "vic": make_user("vic", "victim_worker", None, unit),
        "ada": make_user("ada", "admin", None, None),
    }
    cases = {
        "police": overdue_police_check_case(),
        "settled": settled_case(),
        "countersign": countersign_case(),
        "outsider": outsider_case(),
        "formula": formula_case(),
        "far": far_away_case(),
    }
    return People(org, users, cases)


# -- reading pages ------------------------------------------------------------------------------------------
class _Tables(HTMLParser):
    """Rows of cell texts of the tables with a data-testid, keyed by it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("data-testid"):
            self._table = str(found["data-testid"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


# -- new information in free text ---------------------------------------------------------------------------
NOTE = "Home visit. He told me he has a new girlfriend called Amy. He denies drinking."
POLICE_INFO = "Police attended the flat on Friday after he put his hands round her neck."
OLD_NOTE = "He says he is moving in with his new partner next month."


def news_case() -> Case:
    """Liam Carter's settled case, with recent free text that raises signals, and an old note that no longer
    does (it is outside the panel's window)."""
    from web_scenarios import ago

    return build_case("X100005", "Connor Price", [
        {"on": ago(200), "type": "note", "by": "P1", "text": OLD_NOTE},
        *sentenced_da_case("P1", 40),
        {"on": ago(38), "type": "check_requested", "agency": "police"},
        {"on": ago(6), "type": "check_returned", "agency": "police", "callouts": 1,
         "summary": "One call-out in 2025. He was arrested last week for threatening to kill his ex-partner."},
        {"on": ago(5), "type": "note", "by": "P1", "text": NOTE},
        {"on": ago(3), "type": "information_received", "source": "police", "text": POLICE_INFO},
    ])
