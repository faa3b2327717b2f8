"""Rule 23: registers that need a periodic review get one."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.policy.calendar import add_months, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import Event
from safeguard.policy.obligations import Obligation

REGISTER_NAMES = {
    "ADVP": "domestic abuse perpetrator",
    "IMAR": "MARAC",
    "RCCO": "child concerns",
    "RCPR": "child protection",
    "RCHD": "risk to children",
}


def describe_register(code: str) -> str:
    name = REGISTER_NAMES.get(code)
    return f"{code} ({name})" if name else code


@rule(23, "register-review", "registration_review",
      title="Registers are reviewed every 3 months",
      trigger="An ADVP, IMAR, RCCO, RCPR or RCHD register",
      deadline="Every 3 months",
      discharge="A review (`reviewed`)",
      source="Register review periods in the national case-management reference data")
def register_review(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: each registration of a listed code starts a series; the first review is due 3 months
    after registration, and each review opens the next, due 3 months after it. Registering a code that is
    already active continues its series. Deregistering is itself a decision about the register, so it
    discharges the open review and ends the series; registering again starts a new one.
    """
    facts = ctx.facts
    active: set[str] = set()
    for event in facts.of_type("registered", "deregistered"):
        code = event.data["code"]
        if event.type == "deregistered":
            active.discard(code)
            continue
        if code in active or code not in ctx.setting("codes", event.on):
            continue
        active.add(code)
        yield from _series(ctx, event)


def _series(ctx: RuleContext, registration: Event) -> Iterator[Obligation]:
    facts = ctx.facts
    code = registration.data["code"]
    ended = next((e for e in facts.of_type("deregistered")
                  if e.seq > registration.seq and e.data["code"] == code), None)
    reviews = iter(facts.of_type("reviewed"))  # each review found is later than the last: read the log once
    last = registration
    period = 1
    while True:
        opened = last.on
        due = add_months(opened, ctx.setting("interval_months", opened))
        since = (f"registered on {long_date(registration.on)}" if period == 1
                 else f"last reviewed on {long_date(last.on)}")
        obligation = ctx.obligation(
            "registration_review", f"{registration.seq}:{period}", opened, due,
            f"The {describe_register(code)} register ({since}) is due for review by {long_date(due)}: review "
            "whether it is still needed and whether the risk management plan still fits",
            trigger=registration,
        )
        done = next((e for e in reviews if e.seq > last.seq and (period == 1 or e.on > last.on)), None)
        if ended is not None and (done is None or ended.seq < done.seq):
            yield ctx.discharge(obligation, ended, "Deregistered")
            return
        yield ctx.discharge(obligation, done)
        if done is None:
            return
        last = done
        period += 1
