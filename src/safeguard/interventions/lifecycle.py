"""The referral lifecycle as data: statuses, and the transitions between them with who may make each.

Pure Python. As in the MoJ accredited-programmes services, the table below is the whole truth about
how a referral moves: the service (safeguard.interventions.service) checks every change against it,
the pages offer only the transitions it allows the user's role (with its hint text), and
docs/interventions.md draws its diagram from it (`safeguard manage interventions_docs`).

Five transitions are timeline events (`referred`, `programme_started`, `programme_completed`,
`programme_cancelled`, `programme_left`): they go through safeguard.actions.record_event so that the
policy engine sees them (rules 15, 16, 18 and 21 follow). The others are the programme team's and the
practitioner's decisions in between; they are recorded on the referral with who and when, and audited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

START = ""  # the "from" of the transition that creates a referral
SYSTEM = "system"  # the system itself (imports, a course cancelled for everyone on it): any transition's role

ROLE_LABELS = {"practitioner": "probation practitioner", "spo": "senior probation officer",
               "head": "head of delivery unit"}


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    description: str
    waiting: bool = False  # still waiting to start (counts in waiting times and the waiting list)
    terminal: bool = False  # nothing follows; a new referral is needed


STATUSES: tuple[Status, ...] = (
    Status("referred", "Referred", "Referred; the programme team has not yet assessed suitability.", waiting=True),
    Status("assessed_suitable", "Assessed as suitable", "Suitable and ready; needs a place.", waiting=True),
    Status("assessed_not_suitable", "Assessed as not suitable", "Not suitable for this intervention (the reason "
           "is recorded); plan other work.", terminal=True),
    Status("suitable_not_ready", "Suitable, not ready", "Suitable, but something must be dealt with first.",
           waiting=True),
    Status("awaiting_allocation", "Awaiting a place", "On the waiting list for a place on a course.", waiting=True),
    Status("scheduled", "Place booked", "Booked onto a course (or given a start date for one-to-one work).",
           waiting=True),
    Status("on_programme", "On the programme", "Started and attending."),
    Status("completed", "Completed", "Completed the programme.", terminal=True),
    Status("left", "Left the programme", "Stopped before the end (the reason is recorded).", terminal=True),
    Status("withdrawn", "Withdrawn", "The referral was withdrawn (the reason is recorded).", terminal=True),
)
STATUS_CODES = tuple(s.code for s in STATUSES)
_STATUS = {s.code: s for s in STATUSES}
WAITING = frozenset(s.code for s in STATUSES if s.waiting)
TERMINAL = frozenset(s.code for s in STATUSES if s.terminal)
ACTIVE = frozenset({"scheduled", "on_programme"})  # holding a place on a course


def status(code: str) -> Status:
    try:
        return _STATUS[code]
    except KeyError:
        raise KeyError(f"unknown referral status {code!r}: known ones are {', '.join(STATUS_CODES)}") from None


LEFT_REASONS = ("non_attendance", "deselected", "breach", "moved", "other")  # as the timeline's programme_left
CANCELLED_BY = ("provider", "case", "practitioner")  # as the timeline's programme_cancelled
NOT_SUITABLE_REASONS = ("active_psychosis", "categorical_denial", "insufficient_english", "learning_needs",
                        "substance_dependence", "risk_too_high", "risk_too_low", "other")
WITHDRAWN_REASONS = ("order_ended", "moved_area", "other_intervention", "declined", "other")

PRACTICE = frozenset({"practitioner", "spo"})
PLACES = frozenset({"spo", "head"})
ANY_STAFF = frozenset({"practitioner", "spo", "head"})


@dataclass(frozen=True)
class Transition:
    from_status: str  # START for the transition that creates the referral
    to_status: str
    roles: frozenset[str]
    label: str  # the button: "Record the start"
    hint: str  # what it means and what follows
    event: str | None = None  # the timeline event that makes this change, if any
    reasons: tuple[str, ...] = ()  # a reason is required from this list when not empty
    reason_field: str = "reason"  # the event field the reason goes in (programme_cancelled: "by")

    @property
    def key(self) -> tuple[str, str]:
        return (self.from_status, self.to_status)


def _withdraw(origin: str) -> Transition:
    return Transition(origin, "withdrawn", PRACTICE, "Withdraw the referral",
                      "The referral is no longer wanted (order ended, moved area, another intervention chosen): "
                      "say why. If he still needs an intervention, refer again.", reasons=WITHDRAWN_REASONS)


def _place(origin: str) -> Transition:
    return Transition(origin, "scheduled", PLACES, "Book a place",
                      "Book him onto a course with a free place (or give a start date for one-to-one work).")


TRANSITIONS: tuple[Transition, ...] = (
    Transition(START, "referred", PRACTICE, "Refer",
               "Refer to the intervention the eligibility check points to; this meets rule 15, and rule 16 then "
               "expects a start within 12 weeks.", event="referred"),
    # The programme team's suitability assessment.
    Transition("referred", "assessed_suitable", PRACTICE, "Assessed as suitable",
               "The programme team found him suitable and ready: he needs a place (for Building Choices, record "
               "the intensity)."),
    Transition("referred", "suitable_not_ready", PRACTICE, "Suitable, not ready",
               "Suitable, but something must come first (treatment for substance use, stable housing): note what, "
               "and review it."),
    Transition("referred", "assessed_not_suitable", PRACTICE, "Not suitable",
               "The programme team found him not suitable: record why, and plan other work (one-to-one toolkit or "
               "another intervention). Rule 16 stops asking for a start once an SPO records this (or confirms a "
               "practitioner's).", reasons=NOT_SUITABLE_REASONS),
    _withdraw("referred"),
    Transition("suitable_not_ready", "assessed_suitable", PRACTICE, "Now ready",
               "What stood in the way has been dealt with: he is ready for a place."),
    Transition("suitable_not_ready", "assessed_not_suitable", PRACTICE, "Not suitable after all",
               "On review he is not suitable: record why, and plan other work. Rule 16 stops asking for a start "
               "once an SPO records this (or confirms a practitioner's).", reasons=NOT_SUITABLE_REASONS),
    _withdraw("suitable_not_ready"),
    # Waiting for, and getting, a place.
    Transition("assessed_suitable", "awaiting_allocation", PLACES, "Add to the waiting list",
               "No course has a free place yet: he waits for the next one."),
    _place("assessed_suitable"),
    _withdraw("assessed_suitable"),
    _place("awaiting_allocation"),
    Transition("awaiting_allocation", "suitable_not_ready", PRACTICE, "Not ready now",
               "Something has changed that must be dealt with before he can start: note what."),
    _withdraw("awaiting_allocation"),
    # On the course.
    Transition("scheduled", "on_programme", PRACTICE, "Record the start",
               "He attended the first session: this meets rule 16.", event="programme_started"),
    Transition("scheduled", "awaiting_allocation", ANY_STAFF, "Place cancelled",
               "The course, or his place on it, was cancelled before it started (say by whom): he goes back on the "
               "waiting list, and a new start is due at once (rule 16).", event="programme_cancelled",
               reasons=CANCELLED_BY, reason_field="by"),
    _withdraw("scheduled"),
    Transition("on_programme", "completed", PRACTICE, "Record completion",
               "He completed the programme (the provider's completion report).", event="programme_completed"),
    Transition("on_programme", "left", PRACTICE, "Record leaving",
               "He stopped before the end: say why. Leaving for non-attendance needs an enforcement decision "
               "(rule 21), and a new start or another intervention is due at once (rule 16).",
               event="programme_left", reasons=LEFT_REASONS),
    Transition("on_programme", "awaiting_allocation", ANY_STAFF, "Course cancelled part-way",
               "The provider stopped the course before the end (say by whom): he needs a place on another course, "
               "and a new start is due at once (rule 16).", event="programme_cancelled", reasons=CANCELLED_BY,
               reason_field="by"),
)
_BY_KEY = {t.key: t for t in TRANSITIONS}
# The status each timeline event puts a referral in (the projection of events recorded elsewhere: import,
# replay, the API). Events are facts, so the projection applies them even out of sequence.
EVENT_STATUS = {t.event: t.to_status for t in TRANSITIONS if t.event}
EVENT_TYPES = frozenset(EVENT_STATUS)


class TransitionError(Exception):
    """A referral change that cannot be made; the message says why and what can be done instead."""


class IllegalTransition(TransitionError):
    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        options = [t.to_status for t in TRANSITIONS if t.from_status == from_status]
        src = "a new referral" if from_status == START else f"'{from_status}' ({_label(from_status)})"
        if options:
            allowed = "From there it can go to: " + ", ".join(f"'{o}' ({_label(o)})" for o in options) + "."
        else:
            allowed = (f"'{from_status}' is a final status: nothing follows it. Make a new referral if he still "
                       "needs an intervention.")
        super().__init__(f"A referral cannot go from {src} to '{to_status}' ({_label(to_status)}). {allowed}")


class TransitionNotPermitted(TransitionError):
    def __init__(self, transition: Transition, role: str | None) -> None:
        self.transition, self.role = transition, role
        who = " or ".join(ROLE_LABELS.get(r, r) for r in sorted(transition.roles))
        src = transition.from_status or "new"
        you = f"you are signed in as a {ROLE_LABELS.get(role or '', role or 'user with no role')}"
        super().__init__(f"Only a {who} can '{transition.label}' ({src} to {transition.to_status}); {you}.")


def _label(code: str) -> str:
    return _STATUS[code].label.lower() if code in _STATUS else "unknown status"


def find(from_status: str, to_status: str) -> Transition:
    """The transition from one status to another; IllegalTransition when the lifecycle has none."""
    found = _BY_KEY.get((from_status, to_status))
    if found is None:
        raise IllegalTransition(from_status, to_status)
    return found


def check(from_status: str, to_status: str, role: str | None, reason: str = "") -> Transition:
    """The transition, if it exists, the role may make it, and a required reason is one of its reasons."""
    found = find(from_status, to_status)
    if role != SYSTEM and role not in found.roles:
        raise TransitionNotPermitted(found, role)
    if found.reasons and reason not in found.reasons:
        given = f"'{reason}'" if reason else "none"
        raise TransitionError(f"'{found.label}' ({from_status or 'new'} to {to_status}) needs a reason, one of: "
                              f"{', '.join(found.reasons)} (given: {given}).")
    return found


def allowed_from(from_status: str, role: str | None = None) -> list[Transition]:
    """The transitions out of a status, in table order; only those the role may make when a role is given."""
    return [t for t in TRANSITIONS if t.from_status == from_status and (role is None or role in t.roles)]


def mermaid(transitions: Collection[Transition] = TRANSITIONS) -> str:
    """A Mermaid state diagram drawn from the table. Event-backed transitions are marked with the event."""
    lines = ["stateDiagram-v2"]
    for s in STATUSES:
        lines.append(f"    {s.code}: {s.label}")
    for t in transitions:
        src = "[*]" if t.from_status == START else t.from_status
        label = t.label + (f" ({t.event})" if t.event else "")
        lines.append(f"    {src} --> {t.to_status}: {label.replace(':', ' ')}")
    for s in STATUSES:
        if s.terminal:
            lines.append(f"    {s.code} --> [*]")
    return "\n".join(lines)
