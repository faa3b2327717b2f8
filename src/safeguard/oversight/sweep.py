"""The daily sweep: time passes without events, so re-evaluate the cases where something turns due or
overdue, then escalate overdue safeguarding obligations to the case's senior probation officer.

Idempotent (running it twice on one day changes nothing the second time) and incremental (only cases
whose `wake_on` has come, unless `full`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import send_mail
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal

from safeguard.audit.log import write_audit_many
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation
from safeguard.oversight.service import active_policy, evaluate_case, evaluate_many, today
from safeguard.policy.calendar import latest_start_with, long_date
from safeguard.policy.obligations import SAFEGUARDING_KINDS
from safeguard.workforce.models import Staff

CHUNK = 500

# Sent after each sweep (as_of=, result=): other apps' time-driven work, such as chasing partner agencies'
# unanswered requests (safeguard.agencies), whose receivers may add to result.emails.
swept = Signal()


@dataclass
class SweepResult:
    as_of: date
    evaluated: int = 0
    escalated: int = 0
    emails: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"as_of": self.as_of.isoformat(), "evaluated": self.evaluated, "escalated": self.escalated,
                "emails": self.emails, "errors": self.errors, "seconds": round(self.seconds, 3)}


def cases_to_sweep(as_of: date, full: bool = False) -> QuerySet[Case]:
    cases = Case.objects.filter(archived_at=None)
    if full:
        return cases
    return cases.filter(Q(wake_on__lte=as_of) | Q(evaluated_on=None) | Q(evaluated_on__gt=as_of))


def sweep(as_of: date | None = None, *, full: bool = False,
          progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> SweepResult:
    """Re-evaluate the cases to sweep (every case when `full`), a chunk at a time, in `workers` processes
    (default SAFEGUARD_SWEEP_WORKERS, else 1), then escalate."""
    day = as_of or today()
    result = SweepResult(as_of=day)
    started = time.monotonic()
    ids = list(cases_to_sweep(day, full).order_by("pk").values_list("pk", flat=True))
    chunks = [ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK)]
    workers = workers if workers is not None else int(os.environ.get("SAFEGUARD_SWEEP_WORKERS", "1"))
    done = 0
    for evaluated, errors, size in _sweep_chunks(chunks, day, workers):
        result.evaluated += evaluated
        result.errors.extend(errors)
        done += size
        if progress:
            progress(done, len(ids))
    result.escalated, result.emails = escalate(day)
    for receiver, outcome in swept.send_robust(sender=SweepResult, as_of=day, result=result):
        if isinstance(outcome, Exception):  # one app's failure must not stop the sweep, but is reported
            result.errors.append(f"{getattr(receiver, '__qualname__', receiver)}: {type(outcome).__name__}: {outcome}")
    result.seconds = time.monotonic() - started
    from safeguard.ops.metrics import SWEEP_SECONDS

    SWEEP_SECONDS.observe(result.seconds)
    return result


def sweep_chunk(chunk: list[int], day: date) -> tuple[int, list[str], int]:
    """Evaluate one chunk of cases: (how many evaluated, errors, chunk size)."""
    try:  # a few queries for all the chunk's cases (oversight.service.evaluate_many)
        with collector_paused():
            outcome = evaluate_many(chunk, day)
    except Exception:  # the chunk could not be written: case by case, so one bad case stops only itself
        outcome = {}
        for case in Case.objects.filter(pk__in=chunk):
            try:
                outcome[case.pk] = evaluate_case(case, as_of=day)
            except Exception as exc:
                outcome[case.pk] = exc
    failed = {pk: exc for pk, exc in outcome.items() if isinstance(exc, Exception)}
    errors = []
    if failed:
        refs = dict(Case.objects.filter(pk__in=failed).values_list("pk", "ref"))
        for pk, problem in sorted(failed.items()):  # one bad case must not stop the sweep of the others
            errors.append(f"case {refs.get(pk, pk)}: {type(problem).__name__}: {problem}")
    return len(outcome) - len(failed), errors, len(chunk)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a chunk is evaluated. The chunk makes hundreds of thousands of short-lived
    objects, and each of the collector's passes walked the process's long-lived ones (Django's) again: a quarter of
    the sweep's time. What the chunk leaves is freed by reference counting; the collector runs again after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _sweep_in_child(args: tuple[list[int], date]) -> tuple[int, list[str], int]:
    try:
        return sweep_chunk(*args)
    finally:
        connections.close_all()


def _sweep_chunks(chunks: list[list[int]], day: date, workers: int) -> Iterator[tuple[int, list[str], int]]:
    """Each chunk's outcome, in this process or (workers > 1, committed data only) in a pool of processes."""
    if workers <= 1 or len(chunks) < 2 or connections["default"].in_atomic_block:
        for chunk in chunks:
            yield sweep_chunk(chunk, day)
        return
    connections.close_all()  # the children open their own connections
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(_sweep_in_child, [(chunk, day) for chunk in chunks])


def spo_for(case: Case) -> Staff | None:
    practitioner = case.practitioner
    if practitioner is None or practitioner.team_id is None:
        return None
    return Staff.objects.filter(team_id=practitioner.team_id, grade="SPO", active=True).order_by("pk").first()


def _team_spos(team_ids: set[int]) -> dict[int, Staff]:
    """spo_for for many teams in one query: each team's first active SPO (with their user, for the email)."""
    spos: dict[int, Staff] = {}
    for spo in (Staff.objects.filter(team_id__in=team_ids, grade="SPO", active=True).select_related("user")
                .order_by("pk")):
        if spo.team_id is not None:
            spos.setdefault(spo.team_id, spo)
    return spos


@transaction.atomic
def escalate(day: date) -> tuple[int, int]:
    """Mark overdue safeguarding obligations past the escalation threshold as escalated (once), and
    email each SPO one list of their team's newly escalated obligations. Returns (escalated, emails)."""
    threshold = active_policy().section("escalation", day)["overdue_working_days"]
    # Values, not model instances: the national dataset's first escalation reads about 100,000 rows.
    escalated = list(Obligation.objects.select_for_update(of=("self",))
                     .filter(status="overdue", escalated_on=None, kind__in=SAFEGUARDING_KINDS, case__archived_at=None,
                             due__lte=latest_start_with(day, threshold))
                     .order_by("due", "pk")
                     .values_list("pk", "kind", "due", "case__ref", "case__practitioner__team_id"))
    spos = _team_spos({team_id for *_, team_id in escalated if team_id is not None})
    by_spo: dict[Staff | None, list[tuple[int, str, date, str, int | None]]] = defaultdict(list)
    for row in escalated:
        by_spo[spos.get(row[4]) if row[4] is not None else None].append(row)
    # Every row gets the same date: plain UPDATEs by id, not bulk_update, whose CASE WHEN per row is quadratic in
    # the database. By id, not by the filter again: a row committed as overdue since the SELECT would match it and
    # be marked escalated without its audit entry and email.
    ids = [pk for pk, *_ in escalated]
    step = 10_000  # SQLite takes at most 32,766 parameters a statement
    for start in range(0, len(ids), step):
        Obligation.objects.filter(pk__in=ids[start:start + step]).update(escalated_on=day)
    emails = 0
    write_audit_many([{"action": "obligation.escalated", "case_ref": ref, "object_type": "obligation",
                       "object_id": str(pk), "detail": {"kind": kind, "spo": spo.code if spo else ""}}
                      for spo, items in by_spo.items() for pk, kind, _, ref, _ in items])
    names = dict(Obligation._meta.get_field("kind").choices or [])
    for spo, items in by_spo.items():
        address = spo.user.email if spo is not None and spo.user is not None else ""
        if address:
            # Case refs and obligation kinds only: no names, addresses or case detail in email.
            lines = [f"- {ref}: {names.get(kind, kind)} overdue since {long_date(since)}"
                     for _, kind, since, ref, _ in items]
            send_mail(f"Safeguard: {len(items)} overdue safeguarding obligation(s) in your team",
                      "These safeguarding obligations are overdue and escalated to you:\n\n" + "\n".join(lines)
                      + "\n\nOpen Safeguard's team page to see them.", None, [address])
            emails += 1
    return len(escalated), emails


def scheduled_sweep() -> dict[str, object]:
    """The job django-q2 runs every day; then it counts the country's and regions' dashboard measures for the day
    (safeguard.ops.measure_cache: a national dashboard reads them instead of aggregating every case)."""
    from safeguard.ops.measure_cache import fill

    result = sweep().as_dict()
    fill(today())
    return result
