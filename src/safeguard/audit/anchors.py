"""Anchors of the audit chain kept off the database: a rewrite of the whole chain, or entries cut from its
end, cannot then go unnoticed.

The chain alone proves that nothing in the middle changed. Someone with full write access could still
recompute every hash from some point on, or delete the newest entries. So each scheduled run (django-q2,
daily: `safeguard.audit.anchors.scheduled_verify`) or `safeguard audit anchor`:

1. reads every anchor written earlier to SAFEGUARD_AUDIT_ANCHOR_DIR (a directory the database's
   administrators cannot write to: another team's append-only storage, a WORM bucket mounted read-write
   for this job only);
2. verifies the chain, requiring each earlier anchor's (seq, hash) to still be in it;
3. only if everything verifies, writes a new anchor file: the head's seq and hash, the entry count and the
   time. Files are created, never overwritten (`anchor-<time>-<seq>.json`, mode 0644).

A tampered chain is not anchored (that would bless it); the run reports the problems and the task ends in
an error that the operations alerting picks up (see docs/operations.md).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from safeguard.audit.verify import Report, verify

FORMAT = "safeguard-audit-anchor/1"
log = logging.getLogger("safeguard.audit")


class AnchorError(Exception):
    """The anchor directory is missing, unreadable, or holds a file that is not an anchor."""


@dataclass
class AnchorRun:
    report: Report
    earlier: list[tuple[int, str]]
    written: Path | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.report.intact and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"intact": self.intact, "anchors_checked": len(self.earlier),
                "written": str(self.written) if self.written else None, "anchor_problems": self.problems,
                "report": self.report.as_dict()}


def anchor_dir(value: str | None = None) -> Path:
    text = value if value is not None else os.environ.get("SAFEGUARD_AUDIT_ANCHOR_DIR", "")
    if not text:
        raise AnchorError("SAFEGUARD_AUDIT_ANCHOR_DIR is not set: name a directory outside the database's control")
    path = Path(text)
    if not path.is_dir():
        raise AnchorError(f"SAFEGUARD_AUDIT_ANCHOR_DIR: no such directory: {path}")
    return path


def read_anchors(directory: Path) -> tuple[list[tuple[int, str]], list[str]]:
    """Every anchor in the directory, and a problem for each file that should be an anchor and is not."""
    anchors: list[tuple[int, str]] = []
    problems: list[str] = []
    for path in sorted(directory.glob("anchor-*.json")):
        try:
            data = json.loads(path.read_text())
            seq, digest = int(data["seq"]), str(data["hash"])
            if data.get("format") != FORMAT or len(digest) != 64:
                raise ValueError("not an anchor")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path.name} is not a readable anchor ({exc}): it may have been tampered with")
            continue
        anchors.append((seq, digest))
    return anchors, problems


def write_anchor(directory: Path, report: Report, *, now: datetime | None = None) -> Path:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    path = directory / f"anchor-{moment:%Y%m%dT%H%M%S%fZ}-{report.head_seq}.json"
    document = {"format": FORMAT, "seq": report.head_seq, "hash": report.head_hash, "entries": report.entries,
                "at": moment.isoformat().replace("+00:00", "Z")}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(document, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return path


def check_and_anchor(directory: Path, *, using: str = "default", write: bool = True) -> AnchorRun:
    """Verify the chain against every earlier anchor; write a new anchor only when all is intact."""
    earlier, problems = read_anchors(directory)
    report = verify(using, anchors=earlier)
    run = AnchorRun(report, earlier, problems=problems)
    if run.intact and write and report.head_seq > 0:
        run.written = write_anchor(directory, report)
    return run


def scheduled_verify() -> dict[str, Any]:
    """The job django-q2 runs daily. Raises (the task fails, and alerting sees it) when anything is wrong."""
    run = check_and_anchor(anchor_dir())
    summary = {"intact": run.intact, "entries": run.report.entries, "head_seq": run.report.head_seq,
               "anchors_checked": len(run.earlier), "written": run.written.name if run.written else None}
    if not run.intact:
        first = run.report.first
        reason = (run.problems[0] if run.problems else f"{first.label}: {first.message}" if first else "unknown")
        log.error("audit chain verification failed: %s", reason)
        raise AnchorError(f"audit chain verification failed: {reason}")
    return summary


__all__ = ["FORMAT", "AnchorError", "AnchorRun", "anchor_dir", "check_and_anchor", "read_anchors",
           "scheduled_verify", "write_anchor"]
