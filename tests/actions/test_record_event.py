"""record_event's guarantees on its quicker path (issue 11): no savepoint inside a caller's transaction, the
practitioner read with the case's lock, the event log read in plain SQL, the audit head read in plain SQL."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from web_scenarios import ago, make_org, settled_case  # noqa: E402

from safeguard.actions import ConflictError, record_event  # noqa: E402
from safeguard.actions import events as events_module  # noqa: E402
from safeguard.actions.events import read_log  # noqa: E402
from safeguard.api.models import OutboxEvent  # noqa: E402
from safeguard.audit.models import AuditEntry  # noqa: E402
from safeguard.audit.verify import verify  # noqa: E402
from safeguard.cases.models import Case, CaseEvent  # noqa: E402
from safeguard.practice.models import Contact  # noqa: E402
from safeguard.timeline.validate import TimelineError  # noqa: E402

pytestmark = pytest.mark.django_db


def _contact(by: str = "P1") -> dict[str, Any]:
    return {"on": ago(0), "type": "contact", "kind": "office", "outcome": "attended", "by": by}


def _counts(case: Case) -> tuple[int, int, int, int]:
    return (CaseEvent.objects.filter(case=case).count(), AuditEntry.objects.count(), OutboxEvent.objects.count(),
            Case.objects.get(pk=case.pk).version)


@pytest.fixture
def case() -> Case:
    make_org()
    return settled_case()


def test_a_refused_event_leaves_the_callers_transaction_usable_and_writes_nothing(case: Case) -> None:
    before = _counts(case)
    with transaction.atomic():
        with pytest.raises(TimelineError, match="unknown field 'colour'"):
            record_event(case, {**_contact(), "colour": "red"})
        with pytest.raises(TimelineError, match="dates must not go backwards"):
            record_event(case, {**_contact(), "on": ago(400)})
        with pytest.raises(ConflictError, match="Nothing was saved"):
            record_event(case, _contact(), expected_version=case.version - 1)
        assert _counts(case) == before
        # the caller goes on in the same transaction
        record_event(case, _contact())
    after = _counts(case)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1 and after[3] == before[3] + 1


def test_a_failure_after_the_first_write_fails_the_callers_whole_transaction(case: Case, monkeypatch: Any) -> None:
    before = _counts(case)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(events_module, "write_audit", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        try:
            record_event(case, _contact())
        except RuntimeError:
            # no savepoint to go back to: the transaction is marked for rollback, so nothing half-written is kept
            assert transaction.get_connection().needs_rollback
            raise
    assert _counts(case) == before


def test_an_event_by_the_practitioner_needs_no_staff_query_and_another_authors_is_checked(case: Case) -> None:
    with CaptureQueriesContext(connection) as queries:
        record_event(case, _contact("P1"))
    by_lookup = [q["sql"] for q in queries.captured_queries if 'FROM "workforce_staff" WHERE "workforce_staff"."code" ='
                 in q["sql"]]
    assert by_lookup == []
    logged = record_event(case, _contact("S1"))  # the SPO: read and checked
    assert logged.payload["by"] == "S1"
    assert Contact.objects.filter(case=case, by__code="S1").exists()
    with pytest.raises(TimelineError, match="'by'"):
        record_event(case, _contact("NOBODY"))


def test_the_log_read_in_plain_sql_matches_the_orm(case: Case) -> None:
    record_event(case, {**_contact(), "by": "P1"})
    orm = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("pk", "seq", "on", "type", "payload"))
    assert read_log(case.pk) == orm
    assert all(type(mine[2]) is type(theirs[2]) for mine, theirs in zip(read_log(case.pk), orm, strict=True))
    assert read_log(-1) == []


def test_recorded_events_keep_the_audit_chain_whole(case: Case) -> None:
    for by in ("P1", "S1", "P1"):
        record_event(case, _contact(by))
    assert verify(events=True, check_guards=False).intact
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None and last.hash == last.compute_hash() and last.pk is not None
