"""The case's obligations digest: an evaluation that comes to what is stored reads and writes no obligation rows, and
one that differs (a new event, a day on which a row turns overdue) still reconciles them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.actions.events import record_event
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation
from safeguard.oversight.service import FIELDS, evaluate_case, obligation_values, obligations_digest, stored_values
from safeguard.policy.obligations import Obligation as Found
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db

SENTENCED = date(2021, 6, 1)


def _obligation_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "oversight_obligation" in q["sql"]]


def _case(doc: dict[str, Any]) -> Case:
    doc["events"] = doc["events"][:3]  # person, sentence, allocation
    return import_timeline(validate_document(doc, "t.json"), as_of=SENTENCED)


def test_an_unchanged_evaluation_leaves_the_obligation_rows_unread(timeline_doc: dict[str, Any]) -> None:
    case = _case(timeline_doc)
    case.refresh_from_db()
    digest = case.obligations_digest
    assert digest is not None
    rows = list(Obligation.objects.filter(case=case).order_by("pk").values())
    with CaptureQueriesContext(connection) as captured:
        evaluate_case(case, as_of=SENTENCED)
    assert _obligation_queries(captured) == []
    assert list(Obligation.objects.filter(case=case).order_by("pk").values()) == rows
    case.refresh_from_db()
    assert case.obligations_digest == digest


def test_a_day_that_turns_a_row_overdue_still_reconciles(timeline_doc: dict[str, Any]) -> None:
    case = _case(timeline_doc)
    case.refresh_from_db()
    digest = case.obligations_digest
    with CaptureQueriesContext(connection) as captured:
        evaluate_case(case, as_of=date(2021, 6, 9))  # the police check was due 8 June
    assert any(sql.startswith("SELECT") for sql in _obligation_queries(captured))
    assert Obligation.objects.get(case=case, rule="police-check-at-start").status == "overdue"
    case.refresh_from_db()
    assert case.obligations_digest not in (None, digest)


def test_a_new_event_changes_the_digest_and_the_rows(timeline_doc: dict[str, Any]) -> None:
    case = _case(timeline_doc)
    case.refresh_from_db()
    digest = case.obligations_digest
    record_event(case, {"on": "2021-06-03", "type": "check_requested", "agency": "police"}, as_of=date(2021, 6, 3))
    case.refresh_from_db()
    assert case.obligations_digest not in (None, digest)
    # The case's stored rows are what a fresh evaluation writes: evaluating again the same day reads none.
    with CaptureQueriesContext(connection) as captured:
        evaluate_case(case, as_of=date(2021, 6, 3))
    assert _obligation_queries(captured) == []


def _rows(reason: str) -> list[tuple[str, tuple[Any, ...]]]:
    found = Found.opening("police_check", "police-check-at-start", "police-check-at-start:2", date(2021, 6, 1),
                          date(2021, 6, 8), reason, "2024-04", 2, critical=True)
    done = found.close(date(2021, 6, 7), "done", 5, "Returned")
    return [(o.key, obligation_values(o, date(2021, 6, 9))) for o in (found, done)]


def test_the_digest_is_the_same_in_every_process() -> None:
    here = obligations_digest(_rows("Request the police check"))
    code = ("import sys; sys.path.insert(0, 'tests/oversight'); from test_obligations_digest import _rows; "
            "from safeguard.oversight.service import obligations_digest; "
            "print(obligations_digest(_rows('Request the police check')))")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "safeguard.settings"}
        done = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=env,
                              capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
        assert done.returncode == 0, done.stderr[-2000:]
        assert int(done.stdout.strip()) == here
    # Equal values that are different objects give the same digest; a different value gives a different one.
    assert obligations_digest(_rows("".join(["Request the ", "police check"]))) == here
    assert obligations_digest(_rows("Request the police check now")) != here


def test_stored_values_are_the_rows_values() -> None:
    (_, open_values), (_, closed_values) = _rows("Request the police check")
    assert stored_values(open_values, {}) == ("police-check-at-start", "police_check", "2024-04", date(2021, 6, 1),
                                              date(2021, 6, 8), "overdue", "Request the police check", None, None, "",
                                              False, True, False)
    closed = stored_values(closed_values, {5: 1234})
    assert closed[FIELDS.index("closed_on")] == date(2021, 6, 7) and closed[FIELDS.index("closed_by_id")] == 1234
    assert closed[FIELDS.index("status")] == "done"
