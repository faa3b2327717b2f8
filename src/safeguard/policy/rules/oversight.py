"""Rules 9-10: high-risk domestic-abuse work is overseen, and held by someone fit to hold it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from safeguard.policy.calendar import add_months, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import HIGH_ROSH, CaseFacts, Event, StaffMember, next_event
from safeguard.policy.obligations import Obligation

UNQUALIFIED_GRADES = frozenset({"PSO", "PQiP"})  # as StaffMember.is_inexperienced_on
_WHAT = {"assessed": "risk assessment", "allocated": "allocation", "transferred": "transfer"}


def describe_staff(facts: CaseFacts, ref: str | None, day: date, months: int) -> str:
    """'P1 (PSO, not trained in domestic abuse)': who a practitioner is, and what they lack."""
    staff = facts.staff.get(ref) if ref else None
    if staff is None:
        return f"{ref or 'an unknown practitioner'} (grade and training not recorded)"
    words = [staff.grade]
    if not staff.da_trained:
        words.append("not trained in domestic abuse")
    if staff.qualified_on is not None and add_months(staff.qualified_on, months) > day:
        words.append(f"qualified on {long_date(staff.qualified_on)}")
    elif staff.qualified_on is None and staff.grade not in UNQUALIFIED_GRADES:
        words.append("qualification date not recorded")
    return f"{staff.ref} ({', '.join(words)})"


def _countersigned(facts: CaseFacts, event: Event, grades: list[str], since: date) -> Event | None:
    """The first countersignature after `event`, dated on or after `since`, by someone of a countersigning grade."""
    for signed in facts.of_type("countersigned"):
        staff = facts.staff.get(signed.get("by", ""))
        if signed.seq > event.seq and signed.on >= since and staff is not None and staff.grade in grades:
            return signed
    return None


@rule(9, "countersign-inexperienced", "countersignature",
      title="Work by inexperienced practitioners on high-risk cases is countersigned",
      trigger="An assessment or allocation of a DA case with RoSH high or very high, or with children involved, "
              "by a PSO or PQiP, a practitioner qualified under 12 months, or one not trained in domestic abuse",
      deadline="5 working days",
      discharge="Countersigned by a senior probation officer (SPO)",
      source="Killamarsh serious further offence review (a PSO with months of experience); HMI Probation "
             "domestic abuse thematic 2018 (inexperienced staff, little oversight)")
def countersign_inexperienced(ctx: RuleContext) -> Iterator[Obligation]:
    """An SPO countersigns what an inexperienced practitioner does on a high-risk or children case.

    Interpretation: the triggers are an `assessed` (the assessor is `by`) and an `allocated` or
    `transferred` (the practitioner given the case). RoSH is the level in force when the work is
    done (the assessment's own level for an assessment); children are involved when a child under
    18 is on record or a pregnancy has been recorded. Experience is judged on the day of the work; a
    practitioner missing from the staff list counts as inexperienced (nothing shows otherwise). An
    allocation handed on before the case was recognised as a DA case raises nothing. Only a
    `countersigned` recorded after the work, by a grade in `countersigner_grades` (SPO by default),
    discharges it; one obligation per piece of work, keyed by its event.
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    for event in facts.of_type("assessed", "allocated", "transferred"):
        opened = max(event.on, facts.da_since)
        if event.type != "assessed":
            handed_on = next_event(facts, event, "allocated", "transferred")
            if handed_on is not None and handed_on.on <= opened:
                continue
        ref = event.get("by") if event.type == "assessed" else event.get("practitioner")
        months = ctx.setting("qualified_months", opened)
        staff: StaffMember | None = facts.staff.get(ref) if ref else None
        if staff is not None and not staff.is_inexperienced_on(event.on, months):
            continue
        known = facts.until(opened)
        high = known.rosh_on(opened) in HIGH_ROSH
        children = bool(known.children_on(opened)) or bool(known.pregnancies())
        if not (high or children):
            continue
        risk = " and ".join(w for w, on in (("high RoSH", high), ("children involved", children)) if on)
        due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        obligation = ctx.obligation(
            "countersignature", str(event.seq), opened, due,
            f"The {_WHAT[event.type]} of {long_date(event.on)} {'by' if event.type == 'assessed' else 'to'} "
            f"{describe_staff(facts, ref, event.on, months)} "
            f"on a domestic abuse case with {risk} must be countersigned by a senior probation officer by "
            f"{long_date(due)}",
            trigger=event,
        )
        grades = list(ctx.setting("countersigner_grades", opened))
        yield ctx.discharge(obligation, _countersigned(facts, event, grades, opened))


@rule(10, "allocation-fit", "allocation_review",
      title="High-risk domestic-abuse cases are held by qualified, trained practitioners",
      trigger="A DA case with RoSH high or very high held by a PSO or by a practitioner not trained in "
              "domestic abuse",
      deadline="5 working days",
      discharge="Transferred to a fitting practitioner, or a manager decision (waiver) with reasons",
      source="Killamarsh serious further offence review; HMI Probation domestic abuse thematic 2018",
      waivable=True)
def allocation_fit(ctx: RuleContext) -> Iterator[Obligation]:
    """A high-RoSH DA case must not stay with a PSO or an untrained practitioner.

    Interpretation: the obligation opens when the mismatch starts, whichever way it comes: the case
    allocated or transferred to such a practitioner while RoSH is high, or RoSH assessed or reviewed
    as high while such a practitioner holds it (anchored on that event). It stays one obligation
    while the mismatch lasts, so a transfer to another unfit practitioner does not discharge it. It
    is done when the case is allocated or transferred to a practitioner of another grade who is
    trained in domestic abuse, or when RoSH is reassessed below high; a manager decision about
    `allocation_review` waives it (the engine applies the waiver). Grades listed in `unfit_grades`
    (PSO by default), untrained practitioners and practitioners missing from the staff list are unfit.
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    holder: str | None = None
    rosh: str | None = None
    current: Obligation | None = None
    for event in facts.events:
        if event.type in {"allocated", "transferred"}:
            holder = event.get("practitioner")
        elif event.type in {"assessed", "reviewed"} and event.get("rosh"):
            rosh = event.data["rosh"]
        else:
            continue
        opened = max(event.on, facts.da_since)
        staff = facts.staff.get(holder) if holder else None
        unfit_grades = ctx.setting("unfit_grades", opened)
        unfit = (holder is not None and rosh in HIGH_ROSH
                 and (staff is None or staff.grade in unfit_grades or not staff.da_trained))
        if unfit and current is None:
            due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
            who = describe_staff(facts, holder, opened, ctx.other_setting("countersign-inexperienced",
                                                                          "qualified_months", opened))
            current = ctx.obligation(
                "allocation_review", str(event.seq), opened, due,
                f"This {str(rosh).replace('_', ' ')} RoSH domestic abuse case is held by {who} from "
                f"{long_date(opened)}: transfer it to a qualified probation officer trained in domestic abuse, "
                f"or record a manager decision why not, by {long_date(due)}",
                trigger=event,
            )
        elif not unfit and current is not None:
            if event.on >= current.opened:
                yield ctx.discharge(current, event)
            current = None
    if current is not None:
        yield current
