"""The daily sweep: incremental, idempotent, and escalating overdue safeguarding work to the SPO."""

from __future__ import annotations

import gc
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from safeguard.cases.models import Case
from safeguard.cli import main
from safeguard.oversight.models import Obligation
from safeguard.oversight.sweep import cases_to_sweep, collector_paused, sweep
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

pytestmark = pytest.mark.django_db

SENTENCED = date(2021, 6, 1)  # a Tuesday; the police check is due 8 June (5 working days)


def make_case(doc: dict[str, Any], with_spo: bool = True) -> Case:
    doc["events"] = doc["events"][:3]  # person, sentence, allocation: no police check yet
    case = import_timeline(validate_document(doc, "t.json"), as_of=SENTENCED)
    team = Team.objects.create(name="Team A", unit=case.unit)
    Staff.objects.filter(code="P1").update(team=team)
    if with_spo:
        user = User.objects.create_user("spo", email="spo@probation.example")
        Staff.objects.create(code="S9", grade="SPO", team=team, user=user, da_trained=True)
    return case


def police_check(case: Case) -> Obligation:
    return Obligation.objects.get(case=case, rule="police-check-at-start")


def test_sweep_turns_due_into_overdue_and_is_incremental(timeline_doc: dict[str, Any]) -> None:
    case = make_case(timeline_doc)
    assert police_check(case).status == "due"
    case.refresh_from_db()
    # The flag obligation (due 2 June: 31 May 2021 was a bank holiday) is the first to turn overdue.
    assert case.wake_on == date(2021, 6, 3)
    assert case not in cases_to_sweep(date(2021, 6, 2))
    assert case in cases_to_sweep(date(2021, 6, 3))
    result = sweep(date(2021, 6, 9))
    assert result.evaluated == 1 and result.errors == []
    assert police_check(case).status == "overdue"
    case.refresh_from_db()
    assert case.concern == "serious" and case.evaluated_on == date(2021, 6, 9)


def test_sweep_escalates_once_to_the_teams_spo_by_email(timeline_doc: dict[str, Any]) -> None:
    case = make_case(timeline_doc)
    sweep(date(2021, 6, 9))  # one working day overdue: below the threshold of 2
    assert police_check(case).escalated_on is None
    assert mail.outbox == []
    result = sweep(date(2021, 6, 10))
    assert police_check(case).escalated_on == date(2021, 6, 10)
    assert result.escalated >= 1 and result.emails == 1
    assert mail.outbox[0].to == ["spo@probation.example"]
    assert case.ref in mail.outbox[0].body and "police check overdue since 8 June 2021" in mail.outbox[0].body
    assert "V1" not in mail.outbox[0].body  # no victim details in email
    again = sweep(date(2021, 6, 10))
    assert again.escalated == 0 and again.emails == 0 and len(mail.outbox) == 1


def test_full_sweep_evaluates_every_case_and_changes_nothing_twice(timeline_doc: dict[str, Any]) -> None:
    case = make_case(timeline_doc, with_spo=False)
    first = sweep(date(2021, 6, 20), full=True)
    snapshot = list(Obligation.objects.filter(case=case).values_list("key", "status", "due", "escalated_on"))
    second = sweep(date(2021, 6, 20), full=True)
    assert first.evaluated == second.evaluated == 1
    assert list(Obligation.objects.filter(case=case).values_list("key", "status", "due", "escalated_on")) == snapshot


def test_sweep_command_json(timeline_doc: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    import json

    make_case(timeline_doc)
    assert main(["sweep", "--as-of", "2021-06-10", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["as_of"] == "2021-06-10" and summary["evaluated"] == 1 and summary["escalated"] >= 1


def test_schedule_for_the_daily_sweep_exists() -> None:
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="daily-sweep")
    assert schedule.func == "safeguard.oversight.sweep.scheduled_sweep" and schedule.schedule_type == "D"


def test_a_region_unit_exists_for_imported_cases(timeline_doc: dict[str, Any]) -> None:
    case = make_case(timeline_doc, with_spo=False)
    assert DeliveryUnit.objects.get(pk=case.unit_id).name == "North City"
    assert Region.objects.count() == 1


def test_escalation_looks_the_spos_up_once_however_many_obligations(timeline_doc: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = make_case(timeline_doc)
    with CaptureQueriesContext(connection) as queries:
        result = sweep(date(2021, 7, 15))
    assert result.escalated >= 2 and result.emails == 1
    spo_lookups = [q["sql"] for q in queries.captured_queries if 'FROM "workforce_staff"' in q["sql"]
                   and "SPO" in q["sql"]]
    assert len(spo_lookups) == 1
    assert set(Obligation.objects.filter(case=case, escalated_on=date(2021, 7, 15)).values_list("kind", flat=True))


def test_the_cycle_collector_is_paused_only_while_a_chunk_is_evaluated() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still off, and not turned on by the inner one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a chunk that fails")
    assert gc.isenabled()
