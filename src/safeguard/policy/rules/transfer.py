"""Rule 25: a transferred case is read and reviewed by its new practitioner, and checked in a new area."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.policy.calendar import long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import CaseFacts, Event
from safeguard.policy.obligations import Obligation

AGENCIES = {
    "police_check": ("police", "request police domestic-abuse information from the new area's police"),
    "childrens_services_check": ("childrens_services",
                                 "request a children's services safeguarding check from the new area"),
}


def _previous_practitioner(facts: CaseFacts, transfer: Event) -> str | None:
    holder = None
    for event in facts.of_type("allocated", "transferred"):
        if event.seq >= transfer.seq:
            break
        holder = event.get("practitioner")
    return holder


def _holders_review(facts: CaseFacts, transfer: Event) -> Event | None:
    """The first review after the transfer by whoever then holds the case (the new practitioner, or a later
    one if the case moved on again before it was reviewed)."""
    holder = transfer.get("practitioner")
    for event in facts.events:
        if event.seq <= transfer.seq:
            continue
        if event.type in {"allocated", "transferred"}:
            holder = event.get("practitioner")
        elif event.type == "reviewed" and event.get("by") == holder:
            return event
    return None


@rule(25, "transfer-review", ("review", "police_check", "childrens_services_check"),
      title="A transferred case is reviewed by the new practitioner, and re-checked in a new area",
      trigger="The case transferred to another practitioner; with a change of area, also the new area's "
              "police and children's services",
      deadline="10 working days for the review; 5 working days for the checks",
      discharge="A review by the new practitioner after the transfer; checks returned after the transfer",
      source="Norwich DHR 2017 (the new case manager did not read the file); Southampton SCR (risk lost when "
             "he moved area)")
def transfer_review(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: a transfer to the practitioner who already holds the case is not a transfer. Only a
    `reviewed` by the practitioner holding the case at the time counts: a review by the old practitioner or
    a manager does not show the new one has read the file (if the case moves on again first, the next
    holder's review meets it). With `area_changed`, a DA case also needs police and children's services
    checks from the new area, whether or not children are known: the new area's records are how unknown
    children and partners come to light. Only checks returned after the transfer count; the checks are
    critical.
    """
    facts = ctx.facts
    for transfer in facts.of_type("transferred"):
        practitioner = transfer.get("practitioner")
        if practitioner is None or practitioner == _previous_practitioner(facts, transfer):
            continue
        due = ctx.working_days(transfer.on, ctx.setting("deadline_working_days", transfer.on))
        review = ctx.obligation(
            "review", f"{transfer.seq}:review", transfer.on, due,
            f"The case was transferred to {practitioner} on {long_date(transfer.on)}: {practitioner} must read the "
            f"whole record and review the risk assessment and risk management plan by {long_date(due)}",
            trigger=transfer,
        )
        yield ctx.discharge(review, _holders_review(facts, transfer))
        if not transfer.get("area_changed") or facts.da_since is None:
            continue
        opened = max(transfer.on, facts.da_since)
        check_due = ctx.working_days(opened, ctx.setting("checks_working_days", opened))
        for kind, (agency, action) in AGENCIES.items():
            check = ctx.obligation(
                kind, f"{transfer.seq}:{agency}", opened, check_due,
                f"The case moved to a new area on {long_date(transfer.on)}: {action} by {long_date(check_due)}",
                trigger=transfer, critical=True,
            )
            returned = next((e for e in facts.of_type("check_returned")
                             if e.seq > transfer.seq and e.on >= opened and e.get("agency") == agency), None)
            yield ctx.discharge(check, returned)
