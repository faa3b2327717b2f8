"""The catalogue of domestic-abuse interventions, with each one's eligibility written as data.

Pure Python (no Django): `safeguard.interventions.eligibility` reads these entries against a case's
facts, and `safeguard.interventions.docs` prints them into docs/interventions.md. To change who an
intervention is for, change its entry here (and regenerate the docs); the rule functions stay the same.

The defaults follow the published descriptions of the programmes in broad terms (the accredited group
programmes are for men who have abused an intimate partner, sized by risk; Drive is for high-harm,
high-risk perpetrators, usually known to MARAC, and needs no court order; one-to-one toolkits are for
people a group does not suit). A region's programme team decides suitability case by case: the
catalogue says who should be considered, not who must be accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Timeline programme codes (safeguard.timeline.schema.PROGRAMMES): what a `referred` event names.
TIMELINE_PROGRAMMES = ("bbr", "building_choices", "kaizen", "drive", "toolkit", "other")


@dataclass(frozen=True)
class Exclusion:
    """A suitability factor that, while it lasts, rules a person out of some interventions."""

    code: str
    label: str
    hint: str

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "not enough spoken English for group work"."""
        return self.label[:1].lower() + self.label[1:]


EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion("active_psychosis", "Active psychosis",
              "Acute mental illness that would stop him taking part; reconsider when treated and stable."),
    Exclusion("categorical_denial", "Denies the abuse outright",
              "Denies that any abuse happened (not minimising it); group programmes that work on the offence "
              "cannot start from there."),
    Exclusion("insufficient_english", "Not enough spoken English for group work",
              "Group sessions are in English; one-to-one work can use an interpreter."),
    Exclusion("learning_needs", "Learning needs a group cannot meet",
              "Assessed learning disability or difficulty needing adapted, one-to-one delivery."),
    Exclusion("substance_dependence", "Unstable substance dependence",
              "Drug or alcohol use that stops him attending sober; treat first (alcohol or drug requirement)."),
)
EXCLUSION_CODES = frozenset(e.code for e in EXCLUSIONS)
_EXCLUSION_BY_CODE = {e.code: e for e in EXCLUSIONS}


def exclusion(code: str) -> Exclusion:
    return _EXCLUSION_BY_CODE[code]


@dataclass(frozen=True)
class Risk:
    """The risk an intervention is for: the higher of the two SARA ratings, and RoSH.

    `match` is "both" (each must be in its set) or "either" (one is enough). An empty set means any level,
    including not yet assessed.
    """

    sara: frozenset[str] = frozenset()
    rosh: frozenset[str] = frozenset()
    match: str = "both"


@dataclass(frozen=True)
class Intervention:
    code: str
    name: str
    programme: str  # the timeline programme code a referral to it records
    delivery: str  # "group" or "one_to_one"
    accredited: bool
    summary: str
    risk: Risk = field(default_factory=Risk)
    partner_abuse: bool = False  # abuse of a current or former intimate partner must be on record
    current_relationship: bool = False  # he must be in a relationship now
    requirement: bool = False  # a court requirement or licence condition to attend a programme
    marac: bool = False  # the case must be known to MARAC (referred or heard)
    genders: frozenset[str] = frozenset()  # empty: anyone
    min_months_left: int = 0  # months of the order or licence still to run at referral
    exclusions: frozenset[str] = frozenset()
    sessions: int = 0  # typical number of sessions (for planning cohorts)

    def __post_init__(self) -> None:
        unknown = self.exclusions - EXCLUSION_CODES
        if unknown:
            raise ValueError(f"intervention {self.code}: unknown exclusions {sorted(unknown)}")
        if self.programme not in TIMELINE_PROGRAMMES:
            raise ValueError(f"intervention {self.code}: unknown timeline programme {self.programme!r}")
        if self.risk.match not in {"both", "either"}:
            raise ValueError(f"intervention {self.code}: risk match must be 'both' or 'either'")


MEDIUM_OR_HIGH = frozenset({"medium", "high"})
HIGH_ROSH = frozenset({"high", "very_high"})
GROUP_EXCLUSIONS = frozenset({"active_psychosis", "categorical_denial", "insufficient_english", "learning_needs",
                              "substance_dependence"})

CATALOGUE: tuple[Intervention, ...] = (
    Intervention(
        "bbr", "Building Better Relationships", "bbr", "group", True,
        "Accredited group programme for men who have been violent or abusive to an intimate partner, at "
        "medium or high risk of doing so again. A partner link worker supports the partner.",
        risk=Risk(sara=MEDIUM_OR_HIGH), partner_abuse=True, requirement=True, genders=frozenset({"male"}),
        min_months_left=6, exclusions=GROUP_EXCLUSIONS, sessions=29,
    ),
    Intervention(
        "building_choices_high", "Building Choices (high intensity)", "building_choices", "group", True,
        "Accredited group programme (replacing BBR) at high intensity: for men at high risk of domestic abuse "
        "(SARA high) or of serious harm (RoSH high or very high).",
        risk=Risk(sara=frozenset({"high"}), rosh=HIGH_ROSH, match="either"), partner_abuse=True, requirement=True,
        genders=frozenset({"male"}), min_months_left=9,
        exclusions=frozenset({"active_psychosis", "insufficient_english", "substance_dependence"}), sessions=36,
    ),
    Intervention(
        "building_choices_moderate", "Building Choices (moderate intensity)", "building_choices", "group", True,
        "Accredited group programme (replacing BBR) at moderate intensity: for men at medium risk of domestic "
        "abuse whose risk of serious harm is low or medium.",
        risk=Risk(sara=frozenset({"medium"}), rosh=frozenset({"low", "medium"}), match="both"), partner_abuse=True,
        requirement=True, genders=frozenset({"male"}), min_months_left=6,
        exclusions=frozenset({"active_psychosis", "insufficient_english", "substance_dependence"}), sessions=24,
    ),
    Intervention(
        "kaizen", "Kaizen", "kaizen", "group", True,
        "High-intensity accredited programme for men at high risk of intimate partner violence and of serious "
        "harm, mostly begun in custody and continued on licence.",
        risk=Risk(sara=frozenset({"high"}), rosh=HIGH_ROSH, match="both"), partner_abuse=True, requirement=True,
        genders=frozenset({"male"}), min_months_left=12,
        exclusions=frozenset({"active_psychosis", "insufficient_english"}), sessions=60,
    ),
    Intervention(
        "toolkit", "Structured one-to-one toolkit work", "toolkit", "one_to_one", False,
        "Structured one-to-one sessions by the practitioner (under a rehabilitation activity requirement or "
        "licence), for people a group does not suit: women, people with learning needs or little English, "
        "lower risk, or too little time left for a group.",
        risk=Risk(sara=MEDIUM_OR_HIGH | frozenset({"low"})), exclusions=frozenset({"active_psychosis"}), sessions=12,
    ),
    Intervention(
        "drive", "Drive", "drive", "one_to_one", False,
        "Intensive one-to-one case management of high-harm, high-risk perpetrators, alongside an IDVA working "
        "with the victim; usually through MARAC, needs no court order and works with those who deny.",
        risk=Risk(sara=frozenset({"high"}), rosh=HIGH_ROSH, match="either"), partner_abuse=True, marac=True,
        sessions=0,
    ),
    Intervention(
        "other", "Other domestic abuse intervention", "other", "one_to_one", False,
        "A local or commissioned service not listed here (for example a community perpetrator programme); the "
        "practitioner records why it fits.",
    ),
)
_BY_CODE = {i.code: i for i in CATALOGUE}
INTERVENTION_CODES = tuple(_BY_CODE)


def intervention(code: str) -> Intervention:
    """The catalogue entry with this code; KeyError names the known codes."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown intervention {code!r}: known ones are {', '.join(INTERVENTION_CODES)}") from None


def for_programme(programme: str) -> list[Intervention]:
    """The catalogue entries a timeline programme code may mean (Building Choices has two intensities)."""
    return [i for i in CATALOGUE if i.programme == programme]


def default_for_programme(programme: str) -> Intervention:
    """The entry a bare timeline programme code stands for when nothing more is known."""
    found = for_programme(programme)
    return found[0] if found else _BY_CODE["other"]
