"""SPO oversight: supervision sessions, countersignatures and manager decisions, and the record of them.

Countersignatures and decisions are case events (`countersigned`, `manager_decision`), so they go through
safeguard.actions.record_event and discharge rule 9's and the waivable rules' obligations. Supervision
sessions are about a practitioner, not a case: they are recorded here, with who and when, and audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import role_of
from safeguard.actions import record_event
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.service import active_policy
from safeguard.workforce.models import Staff, SupervisionSession, Team

MANAGERS = frozenset({"spo", "head"})


class OversightError(ValueError):
    """An oversight record that cannot be made (wrong grade, date in the future...)."""


def _day(on: date | None) -> date:
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise OversightError(f"{day.isoformat()} is in the future")
    return day


def _countersigner(spo: Staff, day: date) -> None:
    grades = active_policy().rule_settings("countersign-inexperienced", day)["countersigner_grades"]
    if spo.grade not in grades:
        raise OversightError(f"{spo} is a {spo.grade}: only {', '.join(grades)} can countersign or decide")


def _manager(user: Any, case: Case | None = None) -> None:
    if user is None:
        return
    if role_of(user) not in MANAGERS:
        raise PermissionDenied("Only a senior probation officer or head of unit can record oversight")
    if case is not None and not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied(f"Case {case.ref} is not one you can see")


@transaction.atomic
def record_supervision(practitioner: Staff, supervisor: Staff, *, user: Any = None, on: date | None = None,
                       minutes: int | None = None, cases: Iterable[Case] = (), notes: str = "",
                       next_on: date | None = None) -> SupervisionSession:
    _manager(user)
    day = _day(on)
    _countersigner(supervisor, day)
    if practitioner.pk == supervisor.pk:
        raise OversightError("A supervision session is between two people")
    if next_on is not None and next_on <= day:
        raise OversightError("The next session must be after this one")
    session = SupervisionSession.objects.create(practitioner=practitioner, supervisor=supervisor, held_on=day,
                                                minutes=minutes, notes=notes, next_on=next_on,
                                                recorded_by=user if getattr(user, "is_authenticated", False) else None)
    discussed = list(cases)
    session.cases_discussed.set(discussed)
    write_audit("supervision.recorded", user=user, object_type="supervision_session", object_id=str(session.pk),
                detail={"staff": practitioner.code, "spo": supervisor.code, "refs": [c.ref for c in discussed]})
    return session


def countersign(case: Case, spo: Staff, *, user: Any = None, on: date | None = None) -> CaseEvent:
    """An SPO countersigns the case's latest work (rule 9)."""
    _manager(user, case)
    day = _day(on)
    _countersigner(spo, day)
    return record_event(case, {"on": day.isoformat(), "type": "countersigned", "by": spo.code}, user=user)


def decide(case: Case, spo: Staff, about: str, decision: str, *, user: Any = None,
           on: date | None = None) -> CaseEvent:
    """A manager decision about an obligation kind, with its reasons (waives a waivable obligation)."""
    _manager(user, case)
    day = _day(on)
    _countersigner(spo, day)
    if not decision.strip():
        raise OversightError("A manager decision needs its reasons")
    return record_event(case, {"on": day.isoformat(), "type": "manager_decision", "by": spo.code, "about": about,
                               "decision": decision}, user=user)


@dataclass(frozen=True)
class OversightEntry:
    on: date
    kind: str  # "supervision", "countersigned", "manager_decision"
    by: str  # the SPO's code
    about: str  # the practitioner (supervision) or the case ref
    detail: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


KIND_LABELS = {"supervision": "Supervision", "countersigned": "Countersigned", "manager_decision": "Manager decision"}


def oversight_record(team: Team, since: date, until: date) -> list[OversightEntry]:
    """Supervision of the team's practitioners, and countersignatures and decisions on the team's cases, newest
    first."""
    entries: list[OversightEntry] = []
    sessions = (SupervisionSession.objects.filter(practitioner__team=team, held_on__gte=since, held_on__lte=until)
                .select_related("practitioner", "supervisor").prefetch_related("cases_discussed"))
    for s in sessions:
        discussed = ", ".join(c.ref for c in s.cases_discussed.all())
        detail = f"{s.minutes} minutes" if s.minutes else ""
        if discussed:
            detail = (detail + "; " if detail else "") + f"cases discussed: {discussed}"
        entries.append(OversightEntry(s.held_on, "supervision", s.supervisor.code, str(s.practitioner), detail))
    events = (CaseEvent.objects.filter(type__in=["countersigned", "manager_decision"], on__gte=since, on__lte=until,
                                       case__practitioner__team=team, case__archived_at=None)
              .select_related("case"))
    for e in events:
        about = str(e.payload.get("about", "")).replace("_", " ")
        entries.append(OversightEntry(e.on, e.type, str(e.payload.get("by", "")), e.case.ref,
                                      f"decision about {about}" if e.type == "manager_decision" else ""))
    return sorted(entries, key=lambda x: (x.on, x.kind), reverse=True)
