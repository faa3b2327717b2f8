"""Eligibility: each criterion met or not with the fact behind it, and the explanation as a whole."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeguard.interventions.catalogue import CATALOGUE, Intervention, Risk, intervention
from safeguard.interventions.eligibility import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, Eligibility, explain, explain_all
from safeguard.policy.facts import CaseFacts, make_events

DAY = date(2024, 3, 1)
EX = {"ref": "V1", "relationship": "ex_partner", "victim": True, "born": "1990-01-01"}
MOTHER = {"ref": "M1", "relationship": "parent", "victim": True, "born": "1960-01-01"}


def sentenced(programme: str | None = "bbr", months: int = 24, victims: tuple[str, ...] = ("V1",)) -> dict[str, Any]:
    requirements: list[dict[str, Any]] = [{"type": "rar", "days": 10}]
    if programme:
        requirements.append({"type": "accredited_programme", "programme": programme})
    return {"order": "community_order", "months": months, "requirements": requirements,
            "offence": {"description": "assault", "victims": list(victims), "domestic": True}}


def assessed(rosh: str = "medium", partner: str = "medium", others: str = "low") -> dict[str, Any]:
    return {"by": "P1", "rosh": rosh, "sara_partner": partner, "sara_others": others, "victims_considered": ["V1"],
            "sources": [], "analysis": "x"}


def facts(*events: tuple[date, str, dict[str, Any]], gender: str | None = "male") -> CaseFacts:
    return CaseFacts(ref="X1", events=make_events(events), gender=gender)


def typical(**kw: Any) -> CaseFacts:
    """Sentenced 2 January 2024 to 24 months with a BBR requirement for assaulting his ex-partner; SARA medium."""
    return facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced(**kw)),
                 (date(2024, 1, 10), "assessed", assessed()))


def criterion(result: Eligibility, code: str) -> Any:
    return next(c for c in result.criteria if c.code == code)


def test_bbr_eligible_every_criterion_met_with_its_fact() -> None:
    result = explain(typical(), intervention("bbr"), DAY)
    assert result.status == ELIGIBLE and result.eligible
    assert [c.code for c in result.criteria] == ["domestic_abuse", "supervision", "risk", "partner_abuse",
                                                "requirement", "gender", "time_left", "exclusions"]
    assert all(c.met is True for c in result.criteria)
    assert criterion(result, "domestic_abuse").fact == "domestic abuse on record since 2 January 2024"
    assert criterion(result, "risk").fact == ("SARA risk to partners medium, to others low "
                                              "(assessment of 10 January 2024)")
    assert criterion(result, "risk").needs == "SARA medium or high"
    assert criterion(result, "partner_abuse").fact == ("abuse of a partner or ex-partner on record (V1); "
                                                       "no current partner recorded")
    assert criterion(result, "requirement").fact == ("the sentence of 2 January 2024 requires Building Better "
                                                     "Relationships")
    # 2 January 2026 is 22 whole months after 1 March 2024.
    assert criterion(result, "time_left").fact == "it ends on 2 January 2026, 22 whole months from 1 March 2024"
    assert result.summary == "Eligible for Building Better Relationships: every criterion is met."


def test_bbr_not_eligible_without_a_court_requirement_says_so_and_suggests_one_to_one_work() -> None:
    result = explain(typical(programme=None), intervention("bbr"), DAY)
    assert result.status == NOT_ELIGIBLE
    req = criterion(result, "requirement")
    assert req.met is False
    assert "has no programme requirement or condition" in req.fact and "one-to-one" in req.fact
    assert result.summary.startswith("Not eligible for Building Better Relationships: court requirement: the "
                                     "sentence of 2 January 2024 has no programme requirement")


def test_low_sara_rules_out_bbr_and_names_the_levels() -> None:
    low = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()),
                (date(2024, 1, 10), "assessed", assessed(partner="low", others="low")))
    risk = criterion(explain(low, intervention("bbr"), DAY), "risk")
    assert risk.met is False
    assert risk.fact.startswith("SARA risk to partners low, to others low")


def test_not_yet_assessed_is_unknown_never_eligible() -> None:
    unassessed = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()))
    result = explain(unassessed, intervention("bbr"), DAY)
    assert result.status == UNKNOWN
    assert criterion(result, "risk").met is None
    assert criterion(result, "risk").fact == "SARA not yet assessed"
    assert result.summary == ("Cannot tell yet whether Building Better Relationships fits: risk level: SARA not yet "
                              "assessed.")


def test_a_review_rescoring_sara_counts_from_its_date() -> None:
    later = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()),
                  (date(2024, 1, 10), "assessed", assessed()),
                  (date(2024, 2, 20), "reviewed", {"sara_partner": "high", "rosh": "high"}))
    high = explain(later, intervention("building_choices_high"), DAY)
    assert criterion(high, "risk").met is True
    assert criterion(high, "risk").fact == ("SARA risk to partners high, to others low; RoSH high "
                                            "(review of 20 February 2024)")
    before = explain(later, intervention("building_choices_high"), date(2024, 2, 1))
    assert criterion(before, "risk").met is False


def test_building_choices_intensity_follows_risk() -> None:
    medium = typical()
    assert explain(medium, intervention("building_choices_moderate"), DAY).eligible
    assert not explain(medium, intervention("building_choices_high"), DAY).eligible
    high_rosh = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()),
                      (date(2024, 1, 10), "assessed", assessed(rosh="high", partner="medium")))
    # High intensity: SARA high OR RoSH high. Moderate: SARA medium AND RoSH low or medium.
    assert explain(high_rosh, intervention("building_choices_high"), DAY).eligible
    moderate = explain(high_rosh, intervention("building_choices_moderate"), DAY)
    assert criterion(moderate, "risk").met is False
    assert criterion(moderate, "risk").needs == "SARA medium and RoSH low or medium"


def test_abuse_of_a_parent_is_domestic_abuse_but_not_partner_abuse() -> None:
    mother = facts((date(2024, 1, 2), "person_added", MOTHER),
                   (date(2024, 1, 2), "sentenced", sentenced(victims=("M1",))),
                   (date(2024, 1, 10), "assessed", assessed(partner="low", others="high")))
    bbr = explain(mother, intervention("bbr"), DAY)
    assert criterion(bbr, "domestic_abuse").met is True
    assert criterion(bbr, "partner_abuse").met is False
    assert criterion(bbr, "partner_abuse").fact == ("the abuse on record is not against a partner or ex-partner; "
                                                    "no current partner recorded")
    # One-to-one toolkit work suits him.
    assert explain(mother, intervention("toolkit"), DAY).eligible


def test_domestic_offence_without_a_named_victim_is_unknown_for_partner_abuse() -> None:
    unnamed = facts((date(2024, 1, 2), "sentenced", sentenced(victims=())), (date(2024, 1, 10), "assessed", assessed()))
    result = criterion(explain(unnamed, intervention("bbr"), DAY), "partner_abuse")
    assert result.met is None
    assert "without the person it harmed" in result.fact


def test_current_partner_is_shown_and_can_be_required() -> None:
    with_partner = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()),
                         (date(2024, 1, 10), "assessed", assessed()),
                         (date(2024, 2, 1), "person_added", {"ref": "N1", "relationship": "partner"}))
    assert criterion(explain(with_partner, intervention("bbr"), DAY), "partner_abuse").fact.endswith(
        "; current partner N1")
    couples = Intervention("couples", "A relationship programme", "other", "group", False, "x",
                           current_relationship=True)
    assert criterion(explain(with_partner, couples, DAY), "current_relationship").met is True
    ended = facts(*((e.on, e.type, e.data) for e in with_partner.events),
                  (date(2024, 2, 20), "relationship_ended", {"ref": "N1"}))
    gone = criterion(explain(ended, couples, DAY), "current_relationship")
    assert gone.met is False and gone.fact == "no current partner recorded"


def test_recorded_exclusions_rule_out_only_the_interventions_they_apply_to() -> None:
    result = explain(typical(), intervention("bbr"), DAY, ["categorical_denial"])
    ex = criterion(result, "exclusions")
    assert ex.met is False and ex.fact == "recorded: denies the abuse outright"
    drive = explain(typical(), intervention("building_choices_moderate"), DAY, ["categorical_denial"])
    assert criterion(drive, "exclusions").met is True
    assert criterion(drive, "exclusions").fact == ("none recorded that rule it out (also recorded, not ruling this "
                                                   "out: denies the abuse outright)")
    # Language: group work is ruled out; one-to-one toolkit work is not.
    assert not explain(typical(), intervention("bbr"), DAY, ["insufficient_english"]).eligible
    assert explain(typical(), intervention("toolkit"), DAY, ["insufficient_english"]).eligible
    psychosis = explain(typical(), intervention("toolkit"), DAY, ["active_psychosis"])
    assert criterion(psychosis, "exclusions").fact == "recorded: active psychosis"


def test_women_are_not_eligible_for_the_mens_group_programmes_but_are_for_toolkits() -> None:
    woman = facts(*((e.on, e.type, e.data) for e in typical().events), gender="female")
    bbr = explain(woman, intervention("bbr"), DAY)
    assert criterion(bbr, "gender").met is False and criterion(bbr, "gender").fact == "recorded as female"
    assert explain(woman, intervention("toolkit"), DAY).eligible
    unknown = facts(*((e.on, e.type, e.data) for e in typical().events), gender=None)
    assert criterion(explain(unknown, intervention("bbr"), DAY), "gender").met is None


def test_too_little_time_left_rules_out_a_long_programme() -> None:
    short = typical(months=8)  # ends 2 September 2024: 6 whole months from 1 March 2024
    tl = criterion(explain(short, intervention("bbr"), DAY), "time_left")
    assert tl.met is True and tl.fact == "it ends on 2 September 2024, 6 whole months from 1 March 2024"
    kaizen = criterion(explain(short, intervention("kaizen"), DAY), "time_left")
    assert kaizen.met is False and kaizen.needs == "at least 12 months of the order or licence left"
    assert criterion(explain(short, intervention("bbr"), date(2024, 3, 3)), "time_left").met is False


def test_supervision_ended_rules_everything_out() -> None:
    ended = facts(*((e.on, e.type, e.data) for e in typical().events),
                  (date(2024, 2, 1), "supervision_ended", {"reason": "revoked"}))
    for result in explain_all(ended, DAY):
        assert criterion(result, "supervision").met is False
        assert not result.eligible
    assert criterion(explain(ended, intervention("other"), DAY), "supervision").fact == "supervision ended on 1 " \
                                                                                       "February 2024"


def test_no_domestic_abuse_on_record_means_no_domestic_abuse_intervention() -> None:
    plain = facts((date(2024, 1, 2), "sentenced", {"order": "community_order", "months": 12}))
    other = explain(plain, intervention("other"), DAY)
    assert criterion(other, "domestic_abuse").met is False
    assert other.status == NOT_ELIGIBLE


def test_drive_needs_marac_and_high_risk_but_no_court_order() -> None:
    base = [(e.on, e.type, e.data) for e in typical(programme=None).events]
    high = facts(*base, (date(2024, 2, 1), "reviewed", {"sara_partner": "high"}))
    drive = explain(high, intervention("drive"), DAY)
    assert criterion(drive, "marac").met is False
    assert criterion(drive, "marac").fact == "no MARAC referral or hearing on record"
    assert "requirement" not in [c.code for c in drive.criteria]
    heard = facts(*base, (date(2024, 2, 1), "reviewed", {"sara_partner": "high"}),
                  (date(2024, 2, 5), "marac_heard", {"actions": "x"}))
    result = explain(heard, intervention("drive"), DAY)
    assert result.eligible
    assert criterion(result, "marac").fact == "heard at MARAC on 5 February 2024"


def test_either_risk_is_unknown_only_when_nothing_decides_it() -> None:
    custom = Intervention("x", "X", "other", "group", False, "x",
                          risk=Risk(sara=frozenset({"high"}), rosh=frozenset({"high"}), match="either"))
    rosh_only = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()),
                      (date(2024, 1, 10), "assessed", {"rosh": "high"}))
    assert criterion(explain(rosh_only, custom, DAY), "risk").met is True
    rosh_medium = facts((date(2024, 1, 2), "person_added", EX), (date(2024, 1, 2), "sentenced", sentenced()),
                        (date(2024, 1, 10), "assessed", {"rosh": "medium"}))
    assert criterion(explain(rosh_medium, custom, DAY), "risk").met is None


def test_explain_all_covers_the_catalogue_eligible_first() -> None:
    results = explain_all(typical(), DAY)
    assert sorted(r.intervention.code for r in results) == sorted(i.code for i in CATALOGUE)
    statuses = [r.status for r in results]
    assert statuses == sorted(statuses, key=[ELIGIBLE, UNKNOWN, NOT_ELIGIBLE].index)
    eligible = [r.intervention.code for r in results if r.eligible]
    assert eligible == ["bbr", "building_choices_moderate", "toolkit", "other"]


def test_catalogue_entries_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown exclusions"):
        Intervention("x", "X", "other", "group", False, "x", exclusions=frozenset({"bad"}))
    with pytest.raises(ValueError, match="unknown timeline programme"):
        Intervention("x", "X", "nope", "group", False, "x")
    with pytest.raises(KeyError, match="known ones are bbr"):
        intervention("nope")
