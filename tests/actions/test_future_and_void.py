"""Issue 33, finding 3: one request locked a case for ever. No event dated after the recording's today, from any
entry point; a manager marks an erroneous event void with a reason (the log keeps it, the engine skips it)."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from web_scenarios import UNIT, Org, ago, legacy_far_future_event, make_org, settled_case  # noqa: E402

from safeguard.actions import record_event  # noqa: E402
from safeguard.actions.bulk import record_new_case_events  # noqa: E402
from safeguard.actions.voids import VoidError, void_event  # noqa: E402
from safeguard.audit.appendonly import AppendOnlyError  # noqa: E402
from safeguard.audit.models import AuditEntry  # noqa: E402
from safeguard.audit.verify import verify  # noqa: E402
from safeguard.cases.models import Case, CaseEvent, CaseEventVoid  # noqa: E402
from safeguard.cli import main  # noqa: E402
from safeguard.oversight.models import OPEN, Obligation  # noqa: E402
from safeguard.oversight.service import evaluate_many, facts_for  # noqa: E402
from safeguard.timeline.exporter import export_case  # noqa: E402
from safeguard.timeline.importer import import_timeline  # noqa: E402
from safeguard.timeline.validate import TimelineError, long_date, validate_document  # noqa: E402
from safeguard.workforce.models import DeliveryUnit  # noqa: E402

pytestmark = pytest.mark.django_db

FAR = "2099-01-01"


def _contact(on: str) -> dict[str, Any]:
    return {"on": on, "type": "contact", "kind": "office", "outcome": "attended", "by": "P1"}


def _breach(on: str) -> dict[str, Any]:
    return {"on": on, "type": "control_breached", "protects": "V1", "reported_by": "victim"}


@pytest.fixture
def org() -> Org:
    return make_org()


@pytest.fixture
def case(org: Org) -> Case:
    return settled_case()


def test_record_event_refuses_an_event_dated_after_today_naming_the_field(case: Case) -> None:
    before = (case.events.count(), AuditEntry.objects.count())
    with pytest.raises(TimelineError) as refused:
        record_event(case, _contact(FAR))
    today = timezone.localdate()
    assert refused.value.problem == f"field 'on': must not be after today, {long_date(today)} (got '{FAR}')"
    with pytest.raises(TimelineError, match="must not be after today"):
        record_event(case, _contact((today + timedelta(days=1)).isoformat()))
    assert (case.events.count(), AuditEntry.objects.count()) == before  # nothing written


def test_an_event_later_today_in_london_is_accepted_and_tomorrow_refused(org: Org) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: the service's today is 1 July.
    with time_machine.travel("2026-06-30 23:30Z", tick=False):
        case = settled_case()
        record_event(case, {**_contact("2026-07-01T00:15:00")})
        with pytest.raises(TimelineError, match="must not be after today, 1 July 2026"):
            record_event(case, _contact("2026-07-02"))


def test_the_bulk_import_path_refuses_a_future_event(org: Org, timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"].append(_contact(FAR) | {"by": "P1"})
    timeline = validate_document(timeline_doc, "t.json")  # a file on its own has no "today"
    with pytest.raises(TimelineError, match=r"must not be after today"):
        import_timeline(timeline)
    with pytest.raises(TimelineError, match=r"must not be after today"):
        import_timeline(timeline, evaluate_each=True)
    assert not Case.objects.filter(ref="X900001").exists()
    case = Case.objects.create(ref="X900009", unit=DeliveryUnit.objects.get(name=UNIT))
    with pytest.raises(TimelineError, match=r"must not be after today"), transaction.atomic():
        record_new_case_events(case, [_contact(FAR)])
    assert not CaseEvent.objects.filter(case=case).exists()


def test_safeguard_import_refuses_a_file_dated_after_the_import_day(tmp_path: Path, timeline_doc: dict[str, Any],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(timeline_doc))
    future = json.loads(json.dumps(timeline_doc))
    future["case"]["ref"] = "X900002"
    future["events"][5]["on"] = FAR
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(future))
    assert main(["import", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.json: events[5] (registered): field 'on': must not be after today" in err
    assert not Case.objects.exists()  # every file is checked before any is written


def test_synthetic_data_may_be_recorded_up_to_its_own_day(case: Case) -> None:
    later = timezone.localdate() + timedelta(days=30)
    record_event(case, _contact(later.isoformat()), evaluate=False, recorded_on=later)
    assert case.events.filter(on=later).exists()


def test_voiding_a_far_future_event_unlocks_the_case(case: Case, org: Org) -> None:
    bad = legacy_far_future_event(case)
    with pytest.raises(TimelineError, match="dates must not go backwards"):
        record_event(case, _contact(ago(0)))
    void = void_event(case, bad.seq, reason="Wrong year typed by the integration", user=org.spo)
    assert void.event == bad and void.voided_by == org.spo
    logged = record_event(case, _contact(ago(0)))
    assert logged.seq == bad.seq + 1
    assert CaseEvent.objects.filter(pk=bad.pk).exists()  # the log keeps it
    case.refresh_from_db()
    assert case.voided_events == 1
    assert bad.seq not in [e.seq for e in facts_for(case).events]


def test_the_engine_skips_a_voided_breach(case: Case, org: Org) -> None:
    breach = record_event(case, _breach(ago(0)))
    raised = Obligation.objects.filter(case=case, rule="breach-response", status__in=OPEN)
    assert raised.exists()
    void_event(case, breach.seq, reason="Reported on the wrong case", user=org.spo)
    assert not raised.exists()  # re-evaluated at once
    # The sweep's reading of the log skips it too (SQLite: the ORM; PostgreSQL: the JSON fast path).
    with transaction.atomic():
        evaluate_many([case.pk], timezone.localdate())
    assert not raised.exists()


def test_only_the_cases_spo_may_void_with_a_reason_once_and_it_is_audited(case: Case, org: Org) -> None:
    target = case.events.order_by("-seq").first()
    assert target is not None
    for who in (org.practitioner, org.outsider):
        with pytest.raises(PermissionDenied):
            void_event(case, target.seq, reason="no", user=who)
    with pytest.raises(VoidError, match="reason: Give the reason"):
        void_event(case, target.seq, reason="   ", user=org.spo)
    with pytest.raises(VoidError, match="seq: Case X100002 has no event 99"):
        void_event(case, 99, reason="Wrong case", user=org.spo)
    assert not CaseEventVoid.objects.exists()
    void = void_event(case, target.seq, reason="Entered on the wrong case", user=org.spo)
    with pytest.raises(VoidError, match="already marked as entered in error"):
        void_event(case, target.seq, reason="Again", user=org.spo)
    entry = AuditEntry.objects.get(action="event.voided")
    assert entry.user == org.spo and entry.case_ref == case.ref and entry.object_id == str(void.pk)
    assert entry.detail["seq"] == target.seq and "Entered" not in json.dumps(entry.detail)
    assert verify().intact


def test_a_void_is_append_only_and_one_written_around_the_action_is_found(case: Case, org: Org) -> None:
    target = case.events.order_by("-seq").first()
    assert target is not None
    void = void_event(case, target.seq, reason="Entered on the wrong case", user=org.spo)
    with pytest.raises(AppendOnlyError):
        void.delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseeventvoid SET reason = 'x'")
    other = case.events.order_by("seq").first()
    assert other is not None
    CaseEventVoid.objects.create(event=other, case=case, reason="behind the application's back", voided_by=org.spo)
    assert [p.kind for p in verify().problems] == ["void_unaudited"]


def test_the_export_leaves_voided_events_out(case: Case, org: Org) -> None:
    bad = legacy_far_future_event(case)
    void_event(case, bad.seq, reason="Wrong year", user=org.spo)
    exported = export_case(case)
    assert FAR not in [e["on"] for e in exported["events"]]
    assert len(exported["events"]) == case.events.count() - 1
