"""Evaluating a case and reconciling its stored obligations with the engine's answer."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.models import OPEN, Obligation
from safeguard.policy.engine import Evaluation, evaluate
from safeguard.policy.facts import CaseFacts, Event, StaffMember
from safeguard.policy.policyfile import Policy, load_policy
from safeguard.workforce.models import Staff

STAFF_FIELDS = ("by", "practitioner")


@lru_cache(maxsize=4)
def _load(path: str | None) -> Policy:
    return load_policy(path)


def current_policy() -> Policy:
    """The policy in force: the default, with the region's file (SAFEGUARD_POLICY_FILE) when set."""
    return _load(settings.SAFEGUARD_POLICY_FILE)


_policy_override: Policy | None = None


def use_policy(policy: Policy | None) -> None:
    """Evaluate under another policy (replay's --policy); None goes back to the configured one."""
    global _policy_override
    _policy_override = policy


def active_policy() -> Policy:
    return _policy_override or current_policy()


def facts_for(case: Case) -> CaseFacts:
    """The engine's snapshot of a case, read from its event log."""
    rows = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "on", "type", "payload"))
    events = tuple(Event(seq=seq, on=on, type=kind, data={k: v for k, v in payload.items() if k not in {"on", "type"}})
                   for seq, on, kind, payload in rows)
    codes = {e.data[f] for e in events for f in STAFF_FIELDS if isinstance(e.data.get(f), str)}
    staff = {s.code: StaffMember(ref=s.code, grade=s.grade, qualified_on=s.qualified_on, da_trained=s.da_trained)
             for s in Staff.objects.filter(code__in=codes)}
    return CaseFacts(ref=case.ref, events=events, staff=staff, born=case.born, gender=case.gender or None)


def today() -> date:
    return timezone.localdate()


@transaction.atomic
def evaluate_case(case: Case, as_of: date | None = None) -> Evaluation:
    """Evaluate the case at `as_of` (default today) and store the result: obligations and concern."""
    day = as_of or today()
    facts = facts_for(case)
    result = evaluate(facts, day, active_policy())
    reconcile(case, result)
    open_dues = [o.due for o in result.open()]
    Case.objects.filter(pk=case.pk).update(concern=result.concern, next_due=min(open_dues) if open_dues else None,
                                           evaluated_on=day, wake_on=result.wake_on, da_since=facts.da_since)
    case.concern = result.concern
    return result


def reconcile(case: Case, result: Evaluation) -> None:
    """Make the stored obligations match the evaluation: insert new ones, update changed ones,
    close met or waived ones with the event that closed them, withdraw ones the record no longer supports."""
    day = result.as_of
    stored = {o.key: o for o in Obligation.objects.filter(case=case)}
    seqs = {o.closed_by for o in result.obligations if o.closed_by is not None}
    events = dict(CaseEvent.objects.filter(case=case, seq__in=seqs).values_list("seq", "pk")) if seqs else {}
    to_create: list[Obligation] = []
    to_update: list[Obligation] = []
    fields = ["rule", "kind", "policy_version", "opened", "due", "status", "reason", "closed_on", "closed_by_id",
              "closed_note", "immediate", "critical", "overdue_at_once"]
    for found in result.obligations:
        values: dict[str, Any] = {
            "rule": found.rule, "kind": found.kind, "policy_version": found.policy_version, "opened": found.opened,
            "due": found.due, "status": found.status_on(day), "reason": found.reason, "closed_on": found.closed_on,
            "closed_by_id": events.get(found.closed_by) if found.closed_by is not None else None,
            "closed_note": found.closed_note, "immediate": found.immediate, "critical": found.critical,
            "overdue_at_once": found.overdue_at_once,
        }
        row = stored.pop(found.key, None)
        if row is None:
            to_create.append(Obligation(case=case, key=found.key, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            to_update.append(row)
    for row in stored.values():
        if row.status in OPEN:
            row.status = "withdrawn"
            row.closed_on = day
            row.closed_note = "The record no longer supports this obligation"
            to_update.append(row)
    if to_create:
        Obligation.objects.bulk_create(to_create)
    if to_update:
        Obligation.objects.bulk_update(to_update, fields)
