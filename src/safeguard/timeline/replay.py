"""Replay: run a timeline through the whole system and report obligations at its checkpoints.

The case is created and every event applied through the actions, with obligations re-evaluated as
of each event's date, exactly as if a practitioner had recorded them on that day; at each checkpoint
the case is evaluated as of that date and the stored obligations are read back. Everything happens in
one transaction that is rolled back, so replay leaves no trace.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from safeguard.actions import record_event
from safeguard.actions.events import refs_for
from safeguard.oversight.models import Obligation
from safeguard.oversight.service import evaluate_case, use_policy
from safeguard.policy.policyfile import Policy
from safeguard.timeline.importer import create_timeline_case
from safeguard.timeline.validate import Timeline, parse_on


class _Rollback(Exception):
    pass


def replay_timeline(timeline: Timeline, policy: Policy | None = None) -> dict[str, Any]:
    output: dict[str, Any] = {}
    use_policy(policy)
    try:
        with transaction.atomic():
            output = _replay(timeline)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        use_policy(None)
    return output


def _replay(timeline: Timeline) -> dict[str, Any]:
    case, _ = create_timeline_case(timeline, "Replay")
    refs = refs_for(case)
    pending = list(timeline.events)
    checkpoints: list[dict[str, Any]] = []
    previous: date | None = None
    for checkpoint in sorted(timeline.checkpoints):
        while pending and parse_on(pending[0]["on"]) <= checkpoint:
            event = pending.pop(0)
            record_event(case, event, source="replay", as_of=parse_on(event["on"]), refs=refs)
        evaluation = evaluate_case(case, as_of=checkpoint)
        checkpoints.append({"on": checkpoint.isoformat(), "concern": evaluation.concern,
                            "obligations": _listed(case.pk, checkpoint, previous)})
        previous = checkpoint
    return {"case": timeline.case["ref"], "checkpoints": checkpoints}


def _listed(case_id: int, day: date, previous: date | None) -> list[dict[str, Any]]:
    """Open obligations, and those closed since the previous checkpoint (timeline.md, Replay output)."""
    rows = Obligation.objects.filter(case_id=case_id).exclude(status="withdrawn").order_by("due", "opened", "kind",
                                                                                             "key")
    listed = []
    for o in rows:
        if o.status in {"done", "waived"}:
            assert o.closed_on is not None
            if o.closed_on > day or (previous is not None and o.closed_on <= previous):
                continue
        listed.append({"kind": o.kind, "status": o.status, "due": o.due.isoformat(), "opened": o.opened.isoformat(),
                       "rule": o.rule, "reason": o.reason})
    return listed
