"""Rules 15-16: a domestic-abuse intervention, referred and then started.

Rule 15 asks for a referral; rule 16 follows the referral until a programme starts. At most one
obligation of each kind is open at a time: a second reason to refer (a court requirement after an
assessment, say) is covered by the referral obligation already open.
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.policy.calendar import add_weeks, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import Event
from safeguard.policy.obligations import Obligation

PROGRAMME_NAMES = {
    "bbr": "Building Better Relationships",
    "building_choices": "Building Choices",
    "kaizen": "Kaizen",
    "drive": "Drive",
    "toolkit": "structured one-to-one toolkit work",
    "other": "a domestic abuse programme",
}
INTERVENTION_SARA = frozenset({"medium", "high"})


def programme_name(code: str | None) -> str:
    return PROGRAMME_NAMES.get(code or "other", str(code))


def programme_ordered(start: Event) -> str | None:
    """The programme a sentence requirement or licence condition orders, or None when it orders none."""
    if start.type == "sentenced":
        for requirement in start.get("requirements", []):
            if requirement.get("type") == "accredited_programme":
                return requirement.get("programme") or "other"
    elif start.type == "released":
        for condition in start.get("conditions", []):
            if condition.get("type") == "programme":
                return condition.get("programme") or "other"
    return None


def _sara_reason(partner: str | None, others: str | None) -> str | None:
    """Which SARA level makes the case eligible for an intervention, in words; None when neither does."""
    eligible = []
    if partner in INTERVENTION_SARA:
        eligible.append(f"{partner} risk to partners")
    if others in INTERVENTION_SARA:
        eligible.append(f"{others} risk to others")
    return " and ".join(eligible) or None


@rule(15, "intervention-referral", "intervention_referral",
      title="An eligible case is referred to a domestic-abuse intervention",
      trigger="SARA rates the risk to partners or others medium or high, or the court imposed an accredited "
              "programme requirement (or the licence a programme condition), and there is no referral",
      deadline="20 working days from the assessment; 5 working days from sentence or release when the court "
               "or licence requires a programme",
      discharge="A referral (`referred`)",
      source="HMI Probation domestic abuse thematic 2023: 45% should have had an intervention and had not; "
             "2018 thematic: 27% referred to Building Better Relationships")
def intervention_referral(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: a DA case needs one referral per sentence or licence.

    A programme required by the sentence (or, like a court requirement, by a licence condition) must
    be referred within the shorter deadline from the start; otherwise the first assessment or review
    that rates SARA medium or high raises the obligation, 20 working days from that assessment. A
    referral already made since the current sentence or release means nothing more is asked; a new
    sentence or release starts afresh (rule 16 deals with referrals that do not start).
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    open_obligation: Obligation | None = None
    referred = False  # a referral since the current sentence or release
    partner: str | None = None
    others: str | None = None
    for event in facts.events:
        if event.type in {"sentenced", "released"}:
            referred = False
            programme = programme_ordered(event)
            if programme is None or open_obligation is not None:
                continue
            opened = max(event.on, facts.da_since)
            due = ctx.working_days(opened, ctx.setting("court_requirement_working_days", opened))
            what = "court imposed" if event.type == "sentenced" else "licence includes"
            open_obligation = ctx.obligation(
                "intervention_referral", str(event.seq), opened, due,
                f"The {what} a requirement to attend {programme_name(programme)} "
                f"({long_date(event.on)}): make the referral by {long_date(due)}",
                trigger=event,
            )
        elif event.type in {"assessed", "reviewed"}:
            partner = event.get("sara_partner", partner)
            others = event.get("sara_others", others)
            why = _sara_reason(partner, others)
            if why is None or referred or open_obligation is not None:
                continue
            opened = max(event.on, facts.da_since)
            due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
            what = "assessment" if event.type == "assessed" else "review"
            open_obligation = ctx.obligation(
                "intervention_referral", str(event.seq), opened, due,
                f"The {what} of {long_date(event.on)} rates SARA at {why}, and the case has not been referred "
                f"to a domestic abuse intervention: refer to Building Better Relationships or another suitable "
                f"intervention by {long_date(due)}",
                trigger=event,
            )
        elif event.type == "referred":
            referred = True
            if open_obligation is not None:
                yield ctx.discharge(open_obligation, event)
                open_obligation = None
    if open_obligation is not None:
        yield open_obligation


@rule(16, "intervention-start", "intervention_start",
      title="A referral turns into a programme start",
      trigger="A referral with no programme start; a programme cancelled or left",
      deadline="12 weeks from the referral; at once after a cancellation or leaving the programme",
      discharge="Programme started (a cancellation or leaving re-opens it); or a manager decision about "
                "`intervention_start` with reasons (as when the programme team finds him not suitable)",
      source="HMI Probation domestic abuse thematic 2018: courses cancelled, a seven-month wait, then a "
             "new assault")
def intervention_start(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: one `intervention_start` is open at a time.

    A referral opens it, due 12 weeks later. A cancelled course or leaving the programme opens it
    again (or, when the case was still waiting, brings the open one forward) with the deadline
    "at once": due that working day (setting `reopen_working_days`), so overdue from the next. Any
    `programme_started` (or a completion recorded without a start) discharges it. Enforcement for
    leaving through non-attendance is rule 21's question, not this one's.

    The timeline has no event for a suitability assessment, so "not suitable" reaches the rule as a
    `manager_decision` about `intervention_start` (the timeline's general waiver): it closes the open
    obligation as waived with the decision's reasons, and a later referral (to another intervention)
    opens a new one. The decision is handled here, in event order, rather than by the engine's
    waivers, so that a referral after it is followed again.
    """
    facts = ctx.facts
    open_obligation: Obligation | None = None
    anchor = ""
    for event in facts.events:
        if event.type == "referred":
            if open_obligation is not None:
                continue
            due = add_weeks(event.on, ctx.setting("start_weeks", event.on))
            anchor = str(event.seq)
            open_obligation = ctx.obligation(
                "intervention_start", anchor, event.on, due,
                f"Referred to {programme_name(event.get('programme'))} on {long_date(event.on)} with no start "
                f"date yet: chase the provider so the programme starts by {long_date(due)}",
                trigger=event,
            )
        elif event.type in {"programme_started", "programme_completed"}:
            if open_obligation is not None:
                yield ctx.discharge(open_obligation, event)
                open_obligation = None
        elif event.type == "manager_decision" and event.get("about") == "intervention_start":
            if open_obligation is not None:
                note = f"{event.get('decision', '')} ({event.get('by', 'manager')})".strip()
                yield open_obligation.close(event.on, "waived", event.seq, note)
                open_obligation = None
        elif event.type in {"programme_cancelled", "programme_left"}:
            due = ctx.working_days(event.on, ctx.setting("reopen_working_days", event.on))
            name = programme_name(event.get("programme"))
            if event.type == "programme_cancelled":
                what = f"{name} was cancelled by the {str(event.get('by', 'provider')).replace('_', ' ')}"
            else:
                what = f"The case left {name} ({str(event.get('reason', 'other')).replace('_', ' ')})"
            reason = (f"{what[0].upper()}{what[1:]} on {long_date(event.on)}: arrange a new start (or another "
                      "intervention) now, so the case is not left without one")
            if open_obligation is not None:
                open_obligation = ctx.obligation("intervention_start", anchor, open_obligation.opened,
                                                 min(open_obligation.due, due), reason, trigger=event)
            else:
                anchor = str(event.seq)
                open_obligation = ctx.obligation("intervention_start", anchor, event.on, due, reason,
                                                 trigger=event)
    if open_obligation is not None:
        yield open_obligation
