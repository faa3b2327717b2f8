"""What the engine returns: obligations with their status, and the case's concern level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

KINDS = (
    "flag_domestic_abuse", "police_check", "childrens_services_check", "address_check", "risk_assessment",
    "countersignature", "allocation_review", "home_visit", "contact", "review", "intervention_referral",
    "intervention_start", "marac_referral", "victim_safety", "control_check", "enforcement_decision",
    "disclosure_consideration", "registration_review",
)
SAFEGUARDING_KINDS = frozenset({
    "police_check", "childrens_services_check", "address_check", "risk_assessment", "home_visit", "review",
    "marac_referral", "control_check", "victim_safety",
})
STATUSES = ("due", "overdue", "done", "waived")
OPEN_STATUSES = frozenset({"due", "overdue"})
CONCERN_LEVELS = ("none", "watch", "serious", "immediate")


@dataclass(frozen=True)
class Obligation:
    """One thing that must be done on a case by a date.

    `key` identifies the obligation within its case across evaluations (the rule id and what
    triggered it), so stored obligations can be reconciled with a new evaluation.
    """

    kind: str
    rule: str
    key: str
    opened: date
    due: date
    reason: str
    policy_version: str = ""
    closed_on: date | None = None
    closed_as: str | None = None  # "done" or "waived"
    closed_by: int | None = None  # seq of the event that discharged it
    closed_note: str = ""
    overdue_at_once: bool = False  # e.g. a known victim at a proposed address
    immediate: bool = False  # the case's concern is "immediate" while this is open
    critical: bool = False  # "immediate" when overdue on a case with high RoSH or children
    trigger: int | None = None  # seq of the event that raised it

    def status_on(self, day: date) -> str:
        if self.closed_on is not None and self.closed_on <= day:
            return self.closed_as or "done"
        if self.overdue_at_once or day > self.due:
            return "overdue"
        return "due"

    def is_open_on(self, day: date) -> bool:
        return self.status_on(day) in OPEN_STATUSES

    def close(self, on: date, as_: str = "done", by: int | None = None, note: str = "") -> Obligation:
        closed = object.__new__(Obligation)  # as changed(), without checking the names it is given
        closed.__dict__.update(self.__dict__, closed_on=on, closed_as=as_, closed_by=by, closed_note=note)
        return closed

    def changed(self, **changes: Any) -> Obligation:
        """A copy with `changes` (dataclasses.replace without re-running __init__: the engine makes one for
        most obligations of every case it evaluates, and replace was a tenth of its time)."""
        unknown = changes.keys() - self.__dict__.keys()
        if unknown:
            raise TypeError(f"Obligation has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(Obligation)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @staticmethod
    def opening(kind: str, rule: str, key: str, opened: date, due: date, reason: str, policy_version: str,
                trigger: int | None, **flags: bool) -> Obligation:
        """A new open obligation, as Obligation(...) makes it but three times faster: a frozen dataclass's
        __init__ sets each of its fifteen fields through object.__setattr__, and the engine opens about fifty
        obligations for each domestic-abuse case it evaluates. `flags`: overdue_at_once, immediate, critical."""
        unknown = flags.keys() - _FLAGS if flags else ()
        if unknown:
            raise TypeError(f"Obligation has no flag {sorted(unknown)[0]!r}")
        made = object.__new__(Obligation)
        made.__dict__.update(_CLOSED_AND_UNFLAGGED, kind=kind, rule=rule, key=key, opened=opened, due=due,
                             reason=reason, policy_version=policy_version, trigger=trigger, **flags)
        return made


_FLAGS = frozenset({"overdue_at_once", "immediate", "critical"})
_CLOSED_AND_UNFLAGGED = {name: getattr(Obligation, name) for name in ("closed_on", "closed_as", "closed_by",
                                                                        "closed_note", *sorted(_FLAGS))}


def concern_level(obligations: list[Obligation], day: date, *, high_risk_or_children: bool,
                  due_soon: date) -> str:
    """The case's concern level at `day` (policy.md, "Concern levels").

    `due_soon` is the last date that still counts as "due soon" for a safeguarding obligation.
    """
    open_now = [o for o in obligations if o.is_open_on(day)]
    overdue = [o for o in open_now if o.status_on(day) == "overdue"]
    if any(o.immediate for o in open_now):
        return "immediate"
    if high_risk_or_children and any(o.critical for o in overdue):
        return "immediate"
    if any(o.kind in SAFEGUARDING_KINDS for o in overdue):
        return "serious"
    if overdue or any(o.kind in SAFEGUARDING_KINDS and o.due <= due_soon for o in open_now):
        return "watch"
    return "none"
