"""The daily sweep: time passes without events, so re-evaluate the cases where something turns due or
overdue, then escalate overdue safeguarding obligations to the case's senior probation officer.

Idempotent (running it twice on one day changes nothing the second time) and incremental (only cases
whose `wake_on` has come, unless `full`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet

from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation
from safeguard.oversight.service import active_policy, evaluate_case, today
from safeguard.policy.calendar import long_date, working_days_between
from safeguard.policy.obligations import SAFEGUARDING_KINDS
from safeguard.workforce.models import Staff

CHUNK = 500


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
          progress: Callable[[int, int], None] | None = None) -> SweepResult:
    day = as_of or today()
    result = SweepResult(as_of=day)
    started = time.monotonic()
    ids = list(cases_to_sweep(day, full).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        for case in Case.objects.filter(pk__in=ids[start:start + CHUNK]):
            try:
                evaluate_case(case, as_of=day)
                result.evaluated += 1
            except Exception as exc:  # one bad case must not stop the sweep of the others
                result.errors.append(f"case {case.ref}: {type(exc).__name__}: {exc}")
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    result.escalated, result.emails = escalate(day)
    result.seconds = time.monotonic() - started
    return result


def spo_for(case: Case) -> Staff | None:
    practitioner = case.practitioner
    if practitioner is None or practitioner.team_id is None:
        return None
    return Staff.objects.filter(team_id=practitioner.team_id, grade="SPO", active=True).order_by("pk").first()


@transaction.atomic
def escalate(day: date) -> tuple[int, int]:
    """Mark overdue safeguarding obligations past the escalation threshold as escalated (once), and
    email each SPO one list of their team's newly escalated obligations. Returns (escalated, emails)."""
    threshold = active_policy().section("escalation", day)["overdue_working_days"]
    candidates = (Obligation.objects.select_for_update(of=("self",))
                  .filter(status="overdue", escalated_on=None, kind__in=SAFEGUARDING_KINDS, case__archived_at=None)
                  .select_related("case", "case__practitioner"))
    by_spo: dict[Staff | None, list[Obligation]] = defaultdict(list)
    escalated = []
    for obligation in candidates:
        if working_days_between(obligation.due, day) < threshold:
            continue
        obligation.escalated_on = day
        escalated.append(obligation)
        by_spo[spo_for(obligation.case)].append(obligation)
    Obligation.objects.bulk_update(escalated, ["escalated_on"])
    emails = 0
    for spo, items in by_spo.items():
        for obligation in items:
            write_audit("obligation.escalated", case_ref=obligation.case.ref, object_type="obligation",
                        object_id=str(obligation.pk), detail={"kind": obligation.kind, "spo": spo.code if spo else ""})
        address = spo.user.email if spo is not None and spo.user is not None else ""
        if address:
            # Case refs and obligation kinds only: no names, addresses or case detail in email.
            lines = [f"- {o.case.ref}: {o.get_kind_display()} overdue since {long_date(o.due)}" for o in items]
            send_mail(f"Safeguard: {len(items)} overdue safeguarding obligation(s) in your team",
                      "These safeguarding obligations are overdue and escalated to you:\n\n" + "\n".join(lines)
                      + "\n\nOpen Safeguard's team page to see them.", None, [address])
            emails += 1
    return len(escalated), emails


def scheduled_sweep() -> dict[str, object]:
    """The job django-q2 runs every day."""
    return sweep().as_dict()
