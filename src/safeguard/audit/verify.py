"""Verifying the audit chain, the case event log against it, and the database guards.

What it finds, and what each finding means:

- entry missing: `seq` jumps (an entry was deleted behind the application's back);
- content altered: an entry's stored fields no longer give its stored hash (edited in place);
- chain broken: an entry's `prev_hash` is not the hash of the entry before it (an entry was rewritten
  with a recomputed hash, or forged and inserted);
- anchor mismatch: the chain does not hold an anchor (seq, hash) recorded earlier (entries removed from
  the end, or the whole chain recomputed) — anchors come from earlier `verify` runs and backup headers;
- case event altered / missing / unaudited: a case event no longer matches the digest its audit entry
  recorded, is gone, or exists without an audit entry (written around record_event);
- guard missing: an append-only trigger was dropped, disabled or changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connections

from safeguard.audit import guards
from safeguard.audit.chain import (
    EVENT_FIELDS,
    GENESIS,
    HASHED_FIELDS,
    VOID_FIELDS,
    entry_hash,
    event_digest,
    void_digest,
)

KEEP_PROBLEMS = 100
_LABELS = {
    "entry_missing": "entry missing",
    "content_altered": "content altered",
    "chain_broken": "chain broken",
    "anchor_mismatch": "anchor mismatch",
    "event_altered": "case event altered",
    "event_missing": "case event missing",
    "event_unaudited": "case event not in the audit log",
    "void_altered": "void of a case event altered",
    "void_unaudited": "void of a case event not in the audit log",
    "guard_missing": "append-only guard missing",
}


@dataclass
class Problem:
    kind: str
    message: str
    id: int | None = None
    seq: int | None = None
    table: str = "audit_auditentry"

    @property
    def label(self) -> str:
        return _LABELS.get(self.kind, self.kind)


@dataclass
class Report:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    events_checked: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    guards: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.problem_count == 0

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < KEEP_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        first = self.first
        return {
            "intact": self.intact,
            "entries": self.entries,
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "events_checked": self.events_checked,
            "problem_count": self.problem_count,
            "first_problem": {**asdict(first), "label": first.label} if first else None,
            "problems": [{**asdict(p), "label": p.label} for p in self.problems],
            "guards": self.guards,
        }


def parse_anchor(text: str) -> tuple[int, str]:
    """An anchor as `verify` prints it: SEQ:HASH."""
    seq_text, _, digest = text.partition(":")
    if not seq_text.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"an anchor is SEQ:HASH (a number, a colon and 64 hex digits), not {text!r}")
    return int(seq_text), digest


def verify(using: str = "default", *, anchors: list[tuple[int, str]] | None = None, events: bool = True,
           check_guards: bool = True) -> Report:
    """Walk the whole chain in `seq` order (streaming), then the case event log. Read-only."""
    from safeguard.audit.models import AuditEntry

    report = Report()
    wanted = dict(anchors or [])
    audited: dict[int, str] = {}  # case event id -> digest its audit entry recorded
    legacy: set[int] = set()  # case events audited before digests were recorded
    voids: dict[int, str] = {}  # void id -> digest its audit entry recorded
    prev_seq, prev_hash = 0, GENESIS
    rows = (AuditEntry.objects.using(using).order_by("seq")
            .values_list("id", *HASHED_FIELDS, "hash").iterator(chunk_size=2000))
    for row in rows:
        entry_id, values, stored = row[0], dict(zip(HASHED_FIELDS, row[1:-1], strict=True)), row[-1]
        seq = values["seq"]
        report.entries += 1
        if seq != prev_seq + 1:
            missing = f"seq {prev_seq + 1}" if seq == prev_seq + 2 else f"seq {prev_seq + 1} to {seq - 1}"
            report.add(Problem("entry_missing", f"{missing} missing before entry id {entry_id} (seq {seq}): "
                                                f"deleted behind the application's back", entry_id, seq))
        elif entry_hash(values) != stored:
            report.add(Problem("content_altered", f"entry id {entry_id} (seq {seq}) was changed after it was "
                                                  "written: its fields no longer give its hash", entry_id, seq))
        elif values["prev_hash"] != prev_hash:
            report.add(Problem("chain_broken", f"entry id {entry_id} (seq {seq}) does not follow seq {prev_seq}: "
                                               "one of them was rewritten with a new hash, or forged",
                               entry_id, seq))
        if seq in wanted and wanted.pop(seq) != stored:
            report.add(Problem("anchor_mismatch", f"entry id {entry_id} (seq {seq}) is not the entry anchored "
                                                  "earlier at that position: the chain was recomputed",
                               entry_id, seq))
        if values["object_type"] == "case_event_void" and isinstance(values["detail"], dict):
            voids[int(values["object_id"])] = str(values["detail"].get("sha256"))
        if values["object_type"] == "case_event" and str(values["object_id"]).isdigit():
            digest = (values["detail"] or {}).get("sha256") if isinstance(values["detail"], dict) else None
            if digest:
                audited[int(values["object_id"])] = digest
            else:
                legacy.add(int(values["object_id"]))
        prev_seq, prev_hash = seq, stored
    report.head_seq, report.head_hash = prev_seq, prev_hash
    for seq in sorted(wanted):
        report.add(Problem("anchor_mismatch", f"the chain ends at seq {prev_seq} but an earlier anchor holds seq "
                                              f"{seq}: entries were removed from the end", None, seq))
    if events:
        _verify_events(using, report, audited, legacy)
        _verify_voids(using, report, voids)
    if check_guards:
        connection = connections[using]
        if connection.vendor in ("sqlite", "postgresql"):
            report.guards = guards.problems(connection)
            for message in report.guards:
                report.add(Problem("guard_missing", message, table=""))
    return report


def _verify_voids(using: str, report: Report, audited: dict[int, str]) -> None:
    """Every void of a case event against the digest its audit entry recorded: a void written around
    actions.void_event would hide an event from the engine. (Removing one is refused by the table's guards.)"""
    from safeguard.cases.models import CaseEventVoid

    for row in CaseEventVoid.objects.using(using).order_by("id").values_list(*VOID_FIELDS).iterator(chunk_size=2000):
        values = dict(zip(VOID_FIELDS, row, strict=True))
        expected = audited.get(values["id"])
        if expected is None:
            report.add(Problem("void_unaudited", f"void id {values['id']} of case event id {values['event_id']} has "
                                                 "no audit entry: it was written around void_event", values["id"],
                               None, "cases_caseeventvoid"))
        elif void_digest(values) != expected:
            report.add(Problem("void_altered", f"void id {values['id']} of case event id {values['event_id']} was "
                                               "changed after it was recorded", values["id"], None,
                               "cases_caseeventvoid"))


def _verify_events(using: str, report: Report, audited: dict[int, str], legacy: set[int]) -> None:
    from safeguard.cases.models import CaseEvent

    rows = CaseEvent.objects.using(using).order_by("id").values_list(*EVENT_FIELDS).iterator(chunk_size=2000)
    for row in rows:
        values = dict(zip(EVENT_FIELDS, row, strict=True))
        event_id = values["id"]
        report.events_checked += 1
        expected = audited.pop(event_id, None)
        if expected is None:
            if event_id not in legacy:
                report.add(Problem("event_unaudited", f"case event id {event_id} (case id {values['case_id']}, "
                                                      f"#{values['seq']}) has no audit entry: it was written "
                                                      "around record_event", event_id, None, "cases_caseevent"))
        elif event_digest(values) != expected:
            report.add(Problem("event_altered", f"case event id {event_id} (case id {values['case_id']}, "
                                                f"#{values['seq']}) was changed after it was recorded",
                               event_id, None, "cases_caseevent"))
    for event_id in sorted(audited):
        report.add(Problem("event_missing", f"case event id {event_id} is in the audit log but not in the event "
                                            "log: deleted behind the application's back",
                           event_id, None, "cases_caseevent"))
