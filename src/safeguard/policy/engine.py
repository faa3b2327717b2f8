"""Evaluate a case's facts against the policy: every rule, then waivers, end of supervision, concern."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from safeguard.policy import calendar
from safeguard.policy.facts import CaseFacts, Event
from safeguard.policy.obligations import SAFEGUARDING_KINDS, Obligation, concern_level
from safeguard.policy.policyfile import Policy

RuleFunction = Callable[["RuleContext"], Iterable[Obligation]]


@dataclass(frozen=True)
class RuleSpec:
    number: int
    id: str
    kinds: tuple[str, ...]
    title: str
    trigger: str
    deadline: str
    discharge: str
    source: str
    waivable: bool
    fn: RuleFunction


RULES: dict[str, RuleSpec] = {}


def rule(number: int, id: str, kinds: tuple[str, ...] | str, *, title: str, trigger: str, deadline: str,
         discharge: str, source: str, waivable: bool = False) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function with its catalogue entry (policy.md)."""

    def register(fn: RuleFunction) -> RuleFunction:
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = RuleSpec(number=number, id=id, kinds=(kinds,) if isinstance(kinds, str) else kinds,
                             title=title, trigger=trigger, deadline=deadline, discharge=discharge,
                             source=source, waivable=waivable, fn=fn)
        return fn

    return register


def catalogue() -> list[RuleSpec]:
    from safeguard.policy import rules  # noqa: F401  (registers the rule functions)

    return sorted(RULES.values(), key=lambda spec: spec.number)


_in_order: tuple[int, list[RuleSpec]] = (-1, [])


def _rules_in_order() -> list[RuleSpec]:
    """catalogue(), sorted again only when a rule has been registered since (evaluate runs for every case)."""
    global _in_order
    if _in_order[0] != len(RULES):
        specs = catalogue()
        _in_order = (len(RULES), specs)
    return _in_order[1]


class RuleContext:
    """What a rule function gets: the facts as of the evaluation date, and its own settings."""

    def __init__(self, spec: RuleSpec, facts: CaseFacts, as_of: date, policy: Policy):
        self.spec = spec
        self.facts = facts
        self.as_of = as_of
        self.policy = policy
        self._views = policy.rule_settings_views(spec.id)

    def setting(self, name: str, on: date | None = None) -> Any:
        return self.settings_on(on or self.as_of)[name]

    def settings_on(self, day: date) -> Mapping[str, Any]:
        """All of the rule's settings in force on `day`, for reading several at once (read only)."""
        view = self._views.get(day)
        return view if view is not None else self.policy.rule_settings_view(self.spec.id, day)

    def other_setting(self, rule_id: str, name: str, on: date | None = None) -> Any:
        return self.policy.rule_settings_view(rule_id, on or self.as_of)[name]

    @staticmethod
    def working_days(start: date, days: int) -> date:
        return calendar.add_working_days(start, days)

    def obligation(self, kind: str, anchor: str, opened: date, due: date, reason: str, *,
                   trigger: Event | None = None, **flags: Any) -> Obligation:
        rule_id = self.spec.id
        return Obligation.opening(kind, rule_id, f"{rule_id}:{anchor}", opened, due, reason,
                                  self.policy.version_on(opened), trigger.seq if trigger else None, **flags)

    def discharge(self, obligation: Obligation, event: Event | None, note: str = "") -> Obligation:
        """Close the obligation as done by `event`, when there is one."""
        if event is None:
            return obligation
        return obligation.close(event.on, "done", event.seq, note)


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    obligations: tuple[Obligation, ...]
    concern: str
    wake_on: date | None = None  # the next day on which this evaluation may change without a new event

    def open(self) -> list[Obligation]:
        return [o for o in self.obligations if o.is_open_on(self.as_of)]


def evaluate(facts: CaseFacts, as_of: date, policy: Policy) -> Evaluation:
    """All obligations the case has had up to `as_of`, with their status on that day, and the concern."""
    facts = facts.until(as_of)
    found: dict[str, Obligation] = {}
    wakes: list[date] = []
    for spec in _rules_in_order():
        for obligation in spec.fn(RuleContext(spec, facts, as_of, policy)):
            if obligation.opened > as_of:
                wakes.append(obligation.opened)  # a rule may announce a future obligation; it opens then
                continue
            if obligation.closed_on is not None and obligation.closed_on > as_of:
                obligation = _reopen(obligation)
            found[obligation.key] = obligation
    ended = facts.ended_on
    obligations = [_apply_waivers(o, facts) for o in found.values() if ended is None or o.opened <= ended]
    obligations = [_apply_end_of_supervision(o, facts) for o in obligations]
    obligations.sort(key=lambda o: (o.due, o.opened, o.kind, o.key))
    day = as_of
    children = bool(facts.children_on(day)) or bool(facts.pregnancies())
    due_soon = calendar.add_working_days(day, policy.section("concern", day)["due_soon_working_days"])
    concern = concern_level(obligations, day, high_risk_or_children=facts.is_high_rosh_on(day) or children,
                            due_soon=due_soon)
    soon_days = policy.section("concern", day)["due_soon_working_days"]
    for o in obligations:
        if o.status_on(day) == "due":
            wakes.append(o.due + timedelta(days=1))  # it turns overdue
            if o.kind in SAFEGUARDING_KINDS and o.due > due_soon:
                wakes.append(calendar.subtract_working_days(o.due, soon_days))  # it becomes "due soon"
    return Evaluation(as_of=as_of, obligations=tuple(obligations), concern=concern,
                      wake_on=min(wakes) if wakes else None)


def _reopen(obligation: Obligation) -> Obligation:
    return obligation.changed(closed_on=None, closed_as=None, closed_by=None, closed_note="")


def _apply_waivers(obligation: Obligation, facts: CaseFacts) -> Obligation:
    spec = RULES[obligation.rule]
    if not spec.waivable or obligation.closed_on is not None:
        return obligation
    for event in facts.of_type("manager_decision"):
        if event.get("about") == obligation.kind and event.on >= obligation.opened:
            note = f"{event.get('decision', '')} ({event.get('by', 'manager')})".strip()
            return obligation.close(event.on, "waived", event.seq, note)
    return obligation


def _apply_end_of_supervision(obligation: Obligation, facts: CaseFacts) -> Obligation:
    ended = facts.ended_on
    if ended is None or obligation.closed_on is not None or obligation.opened > ended:
        return obligation
    event = facts.last("supervision_ended")
    return obligation.close(ended, "waived", event.seq if event else None, "Supervision ended")
