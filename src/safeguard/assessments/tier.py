"""A case's tier under the national tiering rules, for the inputs Safeguard holds. Pure.

Source: the public rules of the national tiering service, ministryofjustice/hmpps-tier (read in its
repository, Kotlin, 2025 framework):

- `service/calculation/TierCalculator.kt`: the tier is the highest of the step results, G when no step
  gives one, NA when there is no active event (sentence or licence). The steps Safeguard can apply:
    * MAPPA and RoSH (`mappaAndRiskOfSeriousHarm`): with a MAPPA category, RoSH very high gives A, high C,
      medium D, anything else E; without one, very high gives C, high D, anything else nothing;
    * domestic abuse (`domesticAbuse`): a domestic-abuse register gives E;
    * stalking (`stalking`): a stalking register gives F;
    * child protection (`childProtection`): a child protection register gives F.
  The steps Safeguard cannot apply, because it does not hold their inputs: non-sexual reoffending (the
  all-reoffending and combined serious reoffending predictors, table `ReoffendingPredictorTable.kt`),
  sexual reoffending (the direct-contact sexual reoffending predictor) and lifer/IPP.
- `service/api/DeliusApiService.kt`: which registers feed which flag: `ADVP` or `REG30` is domestic
  abuse; `RCPR` is child protection; a MAPPA registration's category gives the MAPPA step; RoSH is read
  from the `RVHR`/`RHRH`/`RMRH` registers (`domain/enums/Rosh.kt`: low RoSH is not a RoSH input).
- `domain/enums/Tier.kt`: the order NA < G < F < E < D < C < B < A.
- `service/calculation/ProvisionalStatusCalculator.kt`: a tier is provisional while the reoffending
  predictors could still raise it (static predictors: provisional unless the other steps already reach
  the highest tier the predictors could give), and when RoSH is missing, unless other steps reach A (with
  MAPPA) or C (without).

Our reading for Safeguard: the predictors are never available here, and the reoffending table can give
up to tier A, so the tier is provisional unless the steps we hold already give A; it is the lowest tier
the national service could give, never a replacement for it. RoSH comes from the latest assessment or
review (Safeguard's own record), falling back to a RoSH register.

Stalking: the national rules read a stalking register. The timeline format (its specification is a
contract) has no stalking register code among its register codes and no stalking protection order among
its controls, so Safeguard cannot hold the input: the stalking step reads None and the explanation says the
step could not be assessed, naming any police incidents on record with stalking so the practitioner knows
to check the national case-management system for a stalking register. If the format ever gains a stalking
register code or a stalking protection order, add it to STALKING_REGISTERS or STALKING_CONTROLS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safeguard.policy.facts import CaseFacts

ORDER = ("NA", "G", "F", "E", "D", "C", "B", "A")
DA_REGISTERS = ("ADVP", "REG30")
CHILD_PROTECTION_REGISTER = "RCPR"
MAPPA_REGISTER = "MAPP"
ROSH_REGISTERS = {"RVHR": "very_high", "RHRH": "high", "RMRH": "medium", "RLRH": "low"}
STALKING_REGISTERS: tuple[str, ...] = ()  # none in the timeline format's register codes
STALKING_CONTROLS: tuple[str, ...] = ()  # none in the timeline format's controls
ROSH_WORDS = {"very_high": "very high", "high": "high", "medium": "medium", "low": "low"}
# The event types inputs_from_facts reads: a snapshot of only these gives the same tier, so the case page reads
# only these rows (web.queries.case_tier; tests/assessments/test_tier.py compares the two).
TIER_EVENT_TYPES = ("registered", "deregistered", "assessed", "reviewed", "mappa", "sentenced", "released",
                    "supervision_ended", "police_incident", "control_imposed")


@dataclass(frozen=True)
class TierInputs:
    active: bool  # a current sentence or licence (hmpps-tier: an active event)
    rosh: str | None  # low, medium, high, very_high; None when never assessed
    mappa_category: int | None  # 1-4, or 0 when a MAPPA register shows MAPPA with no category; None: not MAPPA
    domestic_abuse_register: bool
    child_protection_register: bool
    stalking_register: bool | None  # None: Safeguard does not hold it
    predictors_available: bool = False  # Safeguard never holds the reoffending predictors
    stalking_incidents: int = 0  # police incidents on record with stalking (context when the step is not held)


@dataclass(frozen=True)
class Step:
    name: str
    tier: str | None
    reason: str


@dataclass(frozen=True)
class TierResult:
    tier: str
    provisional: bool
    steps: tuple[Step, ...]
    explanation: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.tier} (provisional)" if self.provisional else self.tier


def _higher(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if ORDER.index(a) >= ORDER.index(b) else b


def mappa_rosh_step(rosh: str | None, mappa_category: int | None) -> Step:
    words = ROSH_WORDS.get(rosh or "", "not assessed")
    if mappa_category is not None:
        tier = {"very_high": "A", "high": "C", "medium": "D"}.get(rosh or "", "E")
        mappa = f"MAPPA category {mappa_category}" if mappa_category else "MAPPA (category not recorded)"
        return Step("MAPPA and RoSH", tier, f"{mappa} with RoSH {words} gives tier {tier}")
    tier_or_none = {"very_high": "C", "high": "D"}.get(rosh or "")
    if tier_or_none is None:
        return Step("MAPPA and RoSH", None, f"Not MAPPA, and RoSH {words}: no tier from this step")
    return Step("MAPPA and RoSH", tier_or_none, f"Not MAPPA, with RoSH {words}: tier {tier_or_none}")


def _stalking_not_assessed(incidents: int) -> str:
    reason = ("Stalking: could not be assessed. The national rules read a stalking register, and Safeguard's "
              "record has no stalking register code or stalking protection order")
    if incidents:
        reason += (f"; {incidents} police incident{'' if incidents == 1 else 's'} on record "
                   f"include{'s' if incidents == 1 else ''} stalking: check the national case-management "
                   "system for a stalking register")
    return reason


def calculate(inputs: TierInputs) -> TierResult:
    """The tier from the steps Safeguard holds, whether it is provisional, and why."""
    if not inputs.active:
        return TierResult("NA", False, (), ("No current sentence or licence: the case has no tier",))
    steps = [mappa_rosh_step(inputs.rosh, inputs.mappa_category)]
    steps.append(Step("Domestic abuse", "E" if inputs.domestic_abuse_register else None,
                      "Domestic abuse register (ADVP or REG30): tier E" if inputs.domestic_abuse_register
                      else "No domestic abuse register (ADVP or REG30)"))
    if inputs.stalking_register is None:
        steps.append(Step("Stalking", None, _stalking_not_assessed(inputs.stalking_incidents)))
    else:
        steps.append(Step("Stalking", "F" if inputs.stalking_register else None,
                          "Stalking register: tier F" if inputs.stalking_register else "No stalking register"))
    steps.append(Step("Child protection", "F" if inputs.child_protection_register else None,
                      "Child protection register (RCPR): tier F" if inputs.child_protection_register
                      else "No child protection register (RCPR)"))
    tier: str | None = None
    for step in steps:
        tier = _higher(tier, step.tier)
    final = tier or "G"
    explanation = [s.reason for s in steps]
    if tier is None:
        explanation.append("No step gives a tier: tier G")
    provisional = False
    if not inputs.predictors_available and final != "A":
        provisional = True
        explanation.append("Provisional: the reoffending predictors (all reoffending and combined serious "
                           "reoffending) are not available to Safeguard, and they can raise the tier as high as A")
    if inputs.rosh is None:
        floor = "A" if inputs.mappa_category is not None else "C"
        if ORDER.index(final) < ORDER.index(floor):
            provisional = True
            explanation.append("Provisional: RoSH has not been assessed")
    if inputs.stalking_register is None and ORDER.index(final) < ORDER.index("F"):
        provisional = True
        explanation.append("Provisional: a stalking register, not held in Safeguard, would give tier F")
    return TierResult(final, provisional, tuple(steps), tuple(explanation))


def inputs_from_facts(facts: CaseFacts, day: date) -> TierInputs:
    """The tier inputs the case record holds on `day`."""
    known = facts.until(day)
    registers = known.registers_on(day)
    rosh = known.rosh_on(day)
    if rosh is None:
        rosh = next((level for code, level in ROSH_REGISTERS.items() if code in registers), None)
    mappa: int | None = None
    last_mappa = known.last("mappa")
    ended = [e.seq for e in known.of_type("deregistered") if e.get("code") == MAPPA_REGISTER]
    if last_mappa is not None and not (ended and max(ended) > last_mappa.seq):
        mappa = int(last_mappa.data["category"])
    elif MAPPA_REGISTER in registers:
        mappa = 0
    active = bool(known.starts()) and known.ended_on is None
    stalking: bool | None = None
    if STALKING_REGISTERS or STALKING_CONTROLS:  # only once the timeline format can express either
        controls = {e.get("control") for e in known.of_type("control_imposed")}
        stalking = any(code in registers for code in STALKING_REGISTERS) or bool(controls & set(STALKING_CONTROLS))
    incidents = sum(1 for e in known.of_type("police_incident") if "stalking" in (e.get("features") or []))
    return TierInputs(active=active, rosh=rosh, mappa_category=mappa,
                      domestic_abuse_register=any(code in registers for code in DA_REGISTERS),
                      child_protection_register=CHILD_PROTECTION_REGISTER in registers, stalking_register=stalking,
                      stalking_incidents=incidents)


def tier_of(facts: CaseFacts, day: date) -> TierResult:
    return calculate(inputs_from_facts(facts, day))
