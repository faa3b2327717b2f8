"""The inspectors' measures: each one's definition as data (the registry `MEASURES`), and how it is counted.

Every measure is a numerator over a denominator, counted by the database (aggregate, annotate, Exists
subqueries and conditional expressions over the stored obligations and the case records); nothing loops
over cases in Python, so a national count is one query per measure.

How a measure counts is one of a few shapes (`Counter` subclasses):

- over stored obligations (`ObligationCounter`): the obligations a rule raised in the period are the
  cases where the work was required; those done (or done by their deadline) are the numerator;
- over the case records (cases supervised in the period, or the caseload on a day);
- over programme referrals (`Referral`: started within 12 weeks, completed).

Each counter yields rows annotated with two booleans, `counted` (in the denominator) and `met` (in the
numerator when counted), so the same rows give the numbers, the monthly trends and the cases behind any
number (safeguard.insights.dashboard).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as Conditional
from django.db.models.functions import Cast, Concat, Replace
from django.utils import timezone

from safeguard.cases.models import Case, CaseEvent, Registration
from safeguard.insights.scope import ALL_TIME, COUNTRY, Period, Scope
from safeguard.oversight.models import OPEN, Obligation
from safeguard.practice.models import Referral

DA_REGISTERS = ("ADVP", "REG30")
STARTS = ("sentenced", "released")
FULL_TIME_HOURS = 37
PROGRAMME_START_WEEKS = 12


# -- results --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    """A measure's numbers. `value` is numerator / denominator, or None when the denominator is 0."""

    numerator: int | float
    denominator: int | float

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return round(self.numerator / self.denominator, 4)

    def as_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


def flag(condition: Q) -> Conditional:
    """A boolean column: true where `condition` holds."""
    return Conditional(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def today() -> date:
    return timezone.localdate()


# -- counters -------------------------------------------------------------------------------------------
class Counter:
    """How one measure is counted. `rows` are the units counted, annotated with `counted` and `met`."""

    #: the field of a row that names its case (drill-down)
    case_field = "case_id"
    #: the date of a row the period filters, when there is one (monthly trends group by it)
    period_field: str | None = None
    #: counts the record as it stands on `as_of` (the caseload): the period does not apply
    snapshot = False

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Any]:
        raise NotImplementedError

    def count(self, scope: Scope, period: Period, as_of: date) -> Result:
        return tally(self.rows(scope, period, as_of)).get((), Result(0, 0))


def tally(rows: QuerySet[Any], *by: str) -> dict[tuple[Any, ...], Result]:
    """The numerator and denominator of rows annotated with `counted` and `met`, for each value of the fields `by`
    (one entry, keyed (), without them). One query grouped by those fields and the two flags: grouping judges each
    row once, where a FILTER clause per part would repeat every flag's expression (and its subqueries) in each."""
    totals: dict[tuple[Any, ...], list[int]] = {}
    for group in rows.values(*by, "counted", "met").annotate(n=Count("pk")).order_by():
        numerator_denominator = totals.setdefault(tuple(group[f] for f in by), [0, 0])
        if group["counted"]:
            numerator_denominator[1] += group["n"]
            numerator_denominator[0] += group["n"] if group["met"] else 0
    return {key: Result(numerator, denominator) for key, (numerator, denominator) in totals.items()}


def judge_obligations(rows: QuerySet[Obligation], as_of: date, *, on_time: bool) -> QuerySet[Any]:
    """Annotate obligation rows with the common rules (docs/measures.md, "How obligations are judged"),
    reading the record as it stood on `as_of`: obligations opened later are left out, and anything closed
    later was still open then.

    excluded: withdrawn (the record no longer supports it); waived by a manager decision (the reasoned
    alternative the policy accepts); waived otherwise (custody, supervision ended) on or before its
    deadline. A waiver other than a manager's that comes after the deadline counts as not met: the
    deadline had already been missed.
    pending: not closed by `as_of` and its deadline not yet passed on `as_of` (too early to judge).
    fulfilled: done by `as_of`; with `on_time`, done on or before the due date.
    """
    rows = rows.filter(opened__lte=as_of).annotate(waived_by_manager=Exists(
        CaseEvent.objects.filter(pk=OuterRef("closed_by_id"), type="manager_decision")))
    excluded, pending, fulfilled = obligation_conditions(as_of, Q(waived_by_manager=True))
    if on_time:
        fulfilled &= ON_TIME
    return rows.annotate(excluded=flag(excluded), pending=flag(pending), fulfilled=flag(fulfilled))


ON_TIME = Q(closed_on__lte=F("due"))


def obligation_conditions(as_of: date, waived_by_manager: Q) -> tuple[Q, Q, Q]:
    """judge_obligations' rules as conditions on an obligation row: (excluded, pending, fulfilled), fulfilled
    meaning done by `as_of` (on time or late). `waived_by_manager` says how the row shows a manager's waiver."""
    closed = Q(closed_on__lte=as_of)
    excluded = Q(status="withdrawn") | (Q(status="waived") & closed & (waived_by_manager | ON_TIME))
    still_open = ~Q(status="withdrawn") & (Q(status__in=OPEN) | Q(closed_on__gt=as_of))
    pending = still_open & Q(due__gte=as_of)
    fulfilled = Q(status="done") & closed
    return excluded, pending, fulfilled


def judged(rows: QuerySet[Obligation], as_of: date, *, on_time: bool) -> QuerySet[Any]:
    """Obligation rows with `counted` (neither excluded nor pending) and `met` (fulfilled)."""
    return judge_obligations(rows, as_of, on_time=on_time).annotate(
        counted=flag(Q(excluded=False, pending=False)), met=flag(Q(fulfilled=True)))


def obligations_in(scope: Scope, period: Period, rules: tuple[str, ...], kinds: tuple[str, ...] = ()
                   ) -> QuerySet[Obligation]:
    rows = Obligation.objects.filter(rule__in=rules, case__archived_at=None).filter(
        scope.cases_q("case__"), period.q("opened"))
    return rows.filter(kind__in=kinds) if kinds else rows


@dataclass(frozen=True)
class ObligationCounter(Counter):
    """The obligations `rules` raised (of `kinds`, when given) opened in the period."""

    rules: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    on_time: bool = False
    period_field: str | None = "opened"

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Obligation]:
        return judged(obligations_in(scope, period, self.rules, self.kinds), as_of, on_time=self.on_time)

    def count(self, scope: Scope, period: Period, as_of: date) -> Result:
        # The same numbers as counting `rows` (tests/scale/test_measures_counting.py), by the cheaper query.
        return count_obligation_measures({"this": self}, scope, period, as_of)["this"]


class AssessmentSufficiency(Counter):
    """Rule 7's obligations (an assessment at each start), judged with rule 8's verdict on the assessment
    that met them."""

    period_field = "opened"

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Obligation]:
        rows = judge_obligations(obligations_in(scope, period, ("initial-assessment",)), as_of, on_time=False)
        # Rule 8 keys the gaps it finds in an assessment as "assessment-sufficiency:<the assessment's seq>".
        gaps = judged(Obligation.objects.filter(
            case_id=OuterRef("case_id"), rule="assessment-sufficiency",
            key=Concat(Value("assessment-sufficiency:"), Cast(OuterRef("assessment_seq"), CharField())),
        ), as_of, on_time=True)
        rows = rows.annotate(assessment_seq=F("closed_by__seq")).annotate(
            gaps_not_put_right=Exists(gaps.filter(counted=True, met=False)),
            gaps_pending=Exists(gaps.filter(pending=True)),
        )
        return rows.annotate(
            counted=flag(Q(excluded=False, pending=False, gaps_pending=False)),
            met=flag(Q(fulfilled=True, gaps_not_put_right=False)),
        )


class BreachResponse(Counter):
    """Rule 20's two obligations per breach (an enforcement decision and telling the police), one row per
    breach (its enforcement obligation), met when both were done by the deadline."""

    period_field = "opened"

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Obligation]:
        rows = judge_obligations(obligations_in(scope, period, ("breach-response",), ("enforcement_decision",)),
                                 as_of, on_time=True)
        police = judged(Obligation.objects.filter(
            case_id=OuterRef("case_id"), rule="breach-response", kind="control_check",
            key=Replace(OuterRef("key"), Value(":enforcement"), Value(":police")),
        ), as_of, on_time=True)
        rows = rows.annotate(
            police_told=Exists(police.filter(fulfilled=True)),
            police_pending=Exists(police.filter(pending=True)),
        )
        return rows.annotate(
            counted=flag(Q(excluded=False, pending=False, police_pending=False)),
            met=flag(Q(fulfilled=True, police_told=True)),
        )


class ReferralStart(Counter):
    """Referrals to a programme made in the period, started within 12 weeks."""

    period_field = "referred_on"

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Referral]:
        limit = timedelta(weeks=PROGRAMME_START_WEEKS)
        rows = Referral.objects.filter(case__archived_at=None, referred_on__lte=as_of).filter(
            scope.cases_q("case__"), period.q("referred_on"))
        rows = rows.annotate(waited=ExpressionWrapper(F("started_on") - F("referred_on"),
                                                      output_field=DurationField()))
        started = Q(started_on__lte=as_of)
        return rows.annotate(
            counted=flag(started | Q(referred_on__lte=as_of - limit)),
            met=flag(started & Q(waited__lte=limit)),
        )


class ProgrammeCompletion(Counter):
    """Programmes started in the period that have finished, completed."""

    period_field = "started_on"

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Referral]:
        rows = Referral.objects.filter(case__archived_at=None, started_on__lte=as_of).filter(
            scope.cases_q("case__"), period.q("started_on"))
        completed = Q(completed_on__lte=as_of)
        stopped = (Q(left_on__gte=F("started_on"), left_on__lte=as_of)
                   | Q(cancelled_on__gte=F("started_on"), cancelled_on__lte=as_of))
        return rows.annotate(counted=flag(completed | stopped), met=flag(completed))


# -- counting cases -------------------------------------------------------------------------------------
def started_by(day: date) -> Exists:
    return Exists(CaseEvent.objects.filter(case_id=OuterRef("pk"), type__in=STARTS, on__lte=day))


def cases_in(scope: Scope) -> QuerySet[Case]:
    return Case.objects.filter(archived_at=None).filter(scope.cases_q())


def last_day(period: Period, as_of: date) -> date:
    """The period's end, but never after the day the record is read on."""
    return min(period.end, as_of) if period.end is not None else as_of


def supervised_during(scope: Scope, period: Period, as_of: date) -> QuerySet[Case]:
    """Cases under supervision at some time in the period: sentenced or released by its end (or `as_of`,
    when it has none), and not ended before its start."""
    rows = cases_in(scope).filter(started_by(last_day(period, as_of)))
    if period.start is not None:
        rows = rows.filter(Q(ended_on=None) | Q(ended_on__gte=period.start))
    return rows


def caseload_on(scope: Scope, as_of: date) -> QuerySet[Case]:
    """The caseload on `as_of`: cases sentenced or released by then whose supervision has not ended."""
    return cases_in(scope).filter(started_by(as_of)).filter(Q(ended_on=None) | Q(ended_on__gt=as_of))


class DaIdentified(Counter):
    """DA cases supervised in the period, flagged with a DA register."""

    case_field = "pk"

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Case]:
        rows = supervised_during(scope, period, as_of).filter(da_since__isnull=False,
                                                              da_since__lte=last_day(period, as_of))
        registers = Registration.objects.filter(case_id=OuterRef("pk"), code__in=DA_REGISTERS,
                                                registered_on__lte=as_of)
        in_force = registers.filter(Q(deregistered_on=None) | Q(deregistered_on__gt=as_of)
                                    | Q(deregistered_on__gte=OuterRef("ended_on")))
        flags = judged(Obligation.objects.filter(case_id=OuterRef("pk"), rule="flag-domestic-abuse"), as_of,
                       on_time=False)
        rows = rows.annotate(
            flagged=Exists(in_force),
            decided_not_da=Exists(flags.filter(status="waived", waived_by_manager=True, closed_on__lte=as_of)),
            flag_pending=Exists(flags.filter(pending=True)),
        )
        return rows.annotate(
            counted=flag(Q(flagged=True) | Q(decided_not_da=False, flag_pending=False)),
            met=flag(Q(flagged=True)),
        )


@dataclass(frozen=True)
class ConcernLevel(Counter):
    """The caseload on `as_of` at one concern level."""

    level: str
    case_field = "pk"
    snapshot = True

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Case]:
        return caseload_on(scope, as_of).annotate(counted=Value(True, output_field=BooleanField()),
                                                  met=flag(Q(concern=self.level)))


class Caseload(Counter):
    """Cases held per practitioner holding cases, on `as_of`."""

    case_field = "pk"
    snapshot = True

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Case]:
        return caseload_on(scope, as_of).filter(practitioner__isnull=False).annotate(
            counted=Value(True, output_field=BooleanField()), met=Value(True, output_field=BooleanField()))

    def count(self, scope: Scope, period: Period, as_of: date) -> Result:
        totals = self.rows(scope, period, as_of).aggregate(cases=Count("pk"),
                                                           practitioners=Count("practitioner", distinct=True))
        return Result(totals["cases"], totals["practitioners"])


class CaseloadPerFullTime(Caseload):
    """Cases held per full-time-equivalent practitioner (contracted hours / 37), on `as_of`."""

    def count(self, scope: Scope, period: Period, as_of: date) -> Result:
        from safeguard.workforce.models import Staff

        rows = self.rows(scope, period, as_of)
        cases = rows.count()
        hours = Staff.objects.filter(pk__in=rows.values("practitioner_id")).aggregate(
            hours=Sum("contracted_hours"))["hours"]
        return Result(cases, round(float(hours or 0) / FULL_TIME_HOURS, 2))


class Unallocated(Counter):
    """The caseload on `as_of` with no practitioner."""

    case_field = "pk"
    snapshot = True

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Case]:
        return caseload_on(scope, as_of).annotate(counted=Value(True, output_field=BooleanField()),
                                                  met=flag(Q(practitioner__isnull=True)))


class TrainedAllocation(Counter):
    """DA cases in the caseload on `as_of` held by a practitioner trained in domestic abuse."""

    case_field = "pk"
    snapshot = True

    def rows(self, scope: Scope, period: Period, as_of: date) -> QuerySet[Case]:
        rows = caseload_on(scope, as_of).filter(da_since__isnull=False, da_since__lte=as_of,
                                                practitioner__isnull=False)
        return rows.annotate(counted=Value(True, output_field=BooleanField()),
                             met=flag(Q(practitioner__da_trained=True)))


# -- definitions ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    """The latest published national inspection figure a measure can be read against."""

    value: float
    year: str
    finding: str
    source: str
    url: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "year": self.year, "finding": self.finding, "source": self.source,
                "url": self.url, "note": self.note}


@dataclass(frozen=True)
class Measure:
    """One measure: what it counts, in words, and how."""

    id: str
    title: str
    group: str
    counts: str
    numerator: str
    denominator: str
    exclusions: str
    period: str
    rules: tuple[str, ...]
    counter: Counter = field(repr=False)
    reference: Reference | None = None
    notes: str = ""
    value_is: str = "proportion"  # "proportion" (0 to 1) or "average" (per practitioner)

    def count(self, scope: Scope = COUNTRY, period: Period = ALL_TIME, as_of: date | None = None) -> Result:
        return self.counter.count(scope, period, as_of or today())


THEMATIC_2018 = ("HM Inspectorate of Probation, Domestic abuse: the work undertaken by Community Rehabilitation "
                 "Companies (thematic inspection, 2018)")
THEMATIC_2018_URL = "https://www.russellwebster.com/private-probation-failing-domestic-abuse-victims/"
THEMATIC_2023 = ("HM Inspectorate of Probation, A thematic inspection of work undertaken, and progress made, by "
                 "the Probation Service to reduce the incidence of domestic abuse and protect victims (July 2023)")
THEMATIC_2023_URL = "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2023/07/domestic-abuse-2023/"
INSPECTIONS_2022_23 = ("HM Inspectorate of Probation inspection findings, 2022-23, as cited in Safeguard's default "
                       "policy")

OBLIGATION_RULES = ("Counted per obligation: exclusions, pending and deadlines as in \"How obligations are "
                    "judged\".")


def obligation_measure(*, id: str, title: str, group: str, numerator: str, denominator: str, period: str,
                       rules: tuple[str, ...], kinds: tuple[str, ...], on_time: bool = False, also_excluded: str = "",
                       reference: Reference | None = None, notes: str = "") -> Measure:
    """A measure over the obligations `rules` raised (of `kinds`), judged by the common rules
    (ObligationCounter): the registry's commonest shape."""
    return Measure(id=id, title=title, group=group, counts="obligations", numerator=numerator,
                   denominator=denominator, exclusions=OBLIGATION_RULES + also_excluded, period=period, rules=rules,
                   counter=ObligationCounter(rules, kinds, on_time=on_time), reference=reference, notes=notes)


MEASURES: tuple[Measure, ...] = (
    Measure(
        id="da-identified", title="Domestic abuse identified", group="Identification",
        counts="cases",
        numerator="Cases in the denominator with an ADVP or REG30 register in force on the day (or, for a case "
                  "whose supervision has ended, in force when it ended).",
        denominator="Cases under supervision in the period whose record shows domestic abuse (an offence, "
                    "previous offence, police incident, victim, protective order or MARAC showing abuse of a "
                    "partner, ex-partner or family member; or a DA register) by the end of the period.",
        exclusions="Cases where a manager decided, with reasons, that the record does not show domestic abuse "
                   "(rule 1's obligation waived by a manager decision), and cases still inside rule 1's two "
                   "working days to register; neither is excluded once the case is registered.",
        period="Cases under supervision at any time in the period (sentenced or released by its end, supervision "
               "not ended before its start).",
        rules=("flag-domestic-abuse",), counter=DaIdentified(),
        notes="HMI Probation (2023) found abuse of family members often not recognised as domestic abuse; no "
              "national rate has been published.",
    ),
    obligation_measure(
        id="police-checks", title="Police checks made where required", group="Information from other agencies",
        numerator="Those done: police domestic-abuse information returned (on time or late).",
        denominator="Obligations for police domestic-abuse information raised before sentence (rule 2: a court "
                    "report on a DA case, or a proposed curfew) or at the start of supervision (rule 3: a DA case "
                    "sentenced or released with no police information from the last 3 months), opened in the "
                    "period.",
        period="Obligations opened in the period (the court report request, sentence or release).",
        rules=("police-check-before-sentence", "police-check-at-start"), kinds=("police_check",),
        reference=Reference(0.49, "2022-23", "49% of needed police domestic-abuse checks made",
                            INSPECTIONS_2022_23 + " (rule 3)"),
        notes="One obligation per court report and one per start: a case whose check was missed before "
              "sentence and again at the start counts twice. Checks re-opened by a change (rules 14 and 25) "
              "are not in this measure.",
    ),
    obligation_measure(
        id="police-checks-before-sentence", title="Police information before sentence",
        group="Information from other agencies",
        numerator="Those done on time: police information returned on or before the court date.",
        denominator="Rule 2's obligations (a court report requested on a DA case, or on any case with a curfew "
                    "proposed), opened in the period.",
        period="Obligations opened in the period (the day the report was requested, or the day the case was "
               "recognised as a DA case, if later).",
        rules=("police-check-before-sentence",), kinds=("police_check",), on_time=True,
        reference=Reference(0.54, "2022", "police checks missing in 46% of electronic-monitoring curfew cases",
                            "HM Inspectorate of Probation, electronic monitoring thematic inspection (2022), as "
                            "cited in Safeguard's default policy (rule 2)",
                            note="Derived: 100% less the 46% missing. Curfew cases only; no national figure for "
                                 "all DA cases before sentence has been published."),
    ),
    obligation_measure(
        id="childrens-checks", title="Children's services checks made where required",
        group="Information from other agencies",
        numerator="Those done: children's social care information returned (on time or late).",
        denominator="Rule 4's obligations (a DA case with a child under 18 linked to it, or a pregnancy), opened "
                    "in the period.",
        period="Obligations opened in the period (the day the child was linked, or the case recognised as DA).",
        rules=("childrens-check",), kinds=("childrens_services_check",),
        reference=Reference(0.55, "2022-23", "55% of needed child safeguarding enquiries made",
                            INSPECTIONS_2022_23 + " (rule 4)"),
        notes="Children's checks re-opened because a change brings new people in (rules 14 and 25) are not in "
              "this measure.",
    ),
    Measure(
        id="assessments-sufficient", title="Assessments sufficient", group="Assessment",
        counts="obligations",
        numerator="Those where an assessment setting RoSH and both SARA levels was recorded (rule 7 done) and "
                  "that assessment was sufficient: rule 8 found nothing missing in it (every known victim and "
                  "child considered, returned checks used, previous abuse analysed), or what was missing was put "
                  "right by rule 8's deadline.",
        denominator="Rule 7's obligations (a DA case sentenced, released or allocated: assess within 15 working "
                    "days), opened in the period.",
        exclusions=OBLIGATION_RULES + " Also pending while rule 8's deadline to put the assessment right has not "
                                      "passed.",
        period="Obligations opened in the period (the start of supervision).",
        rules=("initial-assessment", "assessment-sufficiency"), counter=AssessmentSufficiency(),
        reference=Reference(0.28, "2023", "28% of assessments sufficiently analysed the risk of domestic abuse "
                                          "(17 of 60 cases)", THEMATIC_2023, THEMATIC_2023_URL),
        notes="A late but sufficient assessment counts as sufficient (timeliness is rule 7's deadline, shown on "
              "the case); a missing assessment past its deadline counts as not sufficient. Inspectors judge "
              "sufficiency by reading the assessment; Safeguard's test is rule 8's checklist, which is narrower.",
    ),
    obligation_measure(
        id="home-visits", title="Home visits done where required", group="Delivery",
        numerator="Those done: an attended home-visit contact (on time or late).",
        denominator="Rule 11's obligations (a DA case living with a partner or a child: at the start, after a "
                    "move, a new relationship or someone moving in; then every 3 months while RoSH is high), "
                    "opened in the period.",
        also_excluded=" A visit waived because the case went into custody before it was due is excluded.",
        period="Obligations opened in the period.",
        rules=("home-visit",), kinds=("home_visit",),
        reference=Reference(0.19, "2018", "home visits done in 19% of the cases where one was required",
                            THEMATIC_2018, THEMATIC_2018_URL),
    ),
    obligation_measure(
        id="scheduled-reviews-on-time", title="Scheduled reviews on time", group="Reviewing",
        numerator="Those done on time: a written review (or a full reassessment) recorded by the due date.",
        denominator="Rule 13's obligations (a written review every 16 weeks from the last assessment or review), "
                    "opened in the period.",
        period="Obligations opened in the period (the assessment or review that started the 16 weeks).",
        rules=("scheduled-review",), kinds=("review",), on_time=True,
        reference=Reference(0.32, "2018", "written reviews completed in 32% of cases", THEMATIC_2018,
                            THEMATIC_2018_URL,
                            note="In 2023 inspectors judged reviewing sufficient in 23% of cases (a judgement of "
                                 "quality, not of timeliness)."),
    ),
    obligation_measure(
        id="triggered-reviews-on-time", title="Reviews after a change, on time", group="Reviewing",
        numerator="Those done on time: a written review (or reassessment) dated after the change, by the due "
                  "date (5 working days; 1 for a domestic police incident or a breach).",
        denominator="Rule 14's review obligations (a new or ended relationship, a move, a pregnancy or birth, a "
                    "change in child protection, a police incident, a breach, information about risk), opened in "
                    "the period.",
        period="Obligations opened in the period (the change).",
        rules=("triggered-review",), kinds=("review",), on_time=True,
        reference=Reference(0.23, "2023", "reviewing focused sufficiently on the risks of domestic abuse in 23% "
                                          "of cases", THEMATIC_2023, THEMATIC_2023_URL,
                            note="The nearest published figure: inspectors judged reviewing as a whole, including "
                                 "whether it responded to changes; no figure for reviews after a change alone."),
        notes="The police and children's checks rule 14 re-opens for new people are not in this measure.",
    ),
    obligation_measure(
        id="intervention-referrals", title="Referred to an intervention where eligible", group="Interventions",
        numerator="Those done: a referral to a domestic-abuse programme recorded (on time or late).",
        denominator="Rule 15's obligations (SARA risk to partners or others medium or high, or a programme "
                    "required by the court or the licence, with no referral), opened in the period.",
        period="Obligations opened in the period (the assessment, sentence or release that made the case "
               "eligible).",
        rules=("intervention-referral",), kinds=("intervention_referral",),
        reference=Reference(0.27, "2018", "27% of perpetrators referred to Building Better Relationships",
                            THEMATIC_2018, THEMATIC_2018_URL,
                            note="In 2023, 45% of the inspected cases should have had an intervention and had "
                                 "not (a share of all cases, not of eligible ones)."),
    ),
    Measure(
        id="interventions-started-12-weeks", title="Interventions started within 12 weeks", group="Interventions",
        counts="referrals",
        numerator="Those where the programme started within 12 weeks (84 days) of the referral.",
        denominator="Referrals to a domestic-abuse programme made in the period.",
        exclusions="Referrals not yet started whose 12 weeks have not passed (too early to judge).",
        period="Referrals made in the period.",
        rules=("intervention-start",), counter=ReferralStart(),
        reference=Reference(0.45, "2018", "13 of the 29 men referred to Building Better Relationships had "
                                          "started (45%)", THEMATIC_2018, THEMATIC_2018_URL,
                            note="Started at the time of the inspection, however long after the referral; "
                                 "inspectors also found courses cancelled and long waits."),
        notes="A referral whose course was cancelled and then started again counts by its latest start. Fixed at "
              "12 weeks for comparison between regions, whatever a regional policy sets for rule 16.",
    ),
    Measure(
        id="interventions-completed", title="Interventions completed", group="Interventions",
        counts="referrals",
        numerator="Those completed.",
        denominator="Domestic-abuse programmes started in the period that have finished: completed, left or "
                    "cancelled after the start.",
        exclusions="Programmes still running (too early to judge).",
        period="Programmes started in the period.",
        rules=("intervention-start",), counter=ProgrammeCompletion(),
        reference=Reference(0.45, "2016-17", "2,041 of the 4,452 people who started Building Better "
                                             "Relationships completed it (45%)", THEMATIC_2018, THEMATIC_2018_URL,
                            note="National programme statistics quoted in the 2018 thematic."),
    ),
    obligation_measure(
        id="marac-referrals", title="MARAC referral where criteria met", group="Protecting victims",
        numerator="Those done: a MARAC referral recorded (on time or late).",
        denominator="Rule 17's obligations (DASH 14 or more; 3 or more domestic police incidents in 12 months; "
                    "an incident with strangulation, threats to kill, a weapon or stalking), opened in the period.",
        also_excluded=" A manager's decision not to refer, with reasons, is excluded.",
        period="Obligations opened in the period (the assessment or incident that met the criteria).",
        rules=("marac-referral",), kinds=("marac_referral",),
    ),
    obligation_measure(
        id="controls-verified", title="Controls verified", group="Protecting victims",
        numerator="Those done: the control verified with the person it protects, or a police check returned, "
                  "after it was imposed (on time or late).",
        denominator="Rule 19's obligations (a restraining order, non-molestation order, DAPO, exclusion "
                    "requirement or licence condition imposed: check within 10 working days, then every 3 "
                    "months), opened in the period.",
        period="Obligations opened in the period.",
        rules=("control-check",), kinds=("control_check",),
        notes="HMI Probation (2018) found external controls often not monitored; no rate has been published. "
              "Breaches are the next measure.",
    ),
    Measure(
        id="breaches-acted-on", title="Breaches acted on within a working day", group="Protecting victims",
        counts="breaches",
        numerator="Breaches where both were done by the deadline (the next working day): an enforcement "
                  "decision recorded, and the police asked or heard from after the breach.",
        denominator="Breaches of a control reported in the period (rule 20 raises two obligations per breach; "
                    "counted once per breach).",
        exclusions="As in \"How obligations are judged\", applied to the enforcement obligation; pending while "
                   "either obligation is open and its deadline has not passed.",
        period="Breaches dated in the period.",
        rules=("breach-response",), counter=BreachResponse(),
    ),
    *(Measure(
        id=f"concern-{level}", title=f"Cases at concern level {level}", group="Concern",
        counts="cases",
        numerator=f"Cases in the caseload whose concern level is {level} ({meaning}).",
        denominator="The caseload on the day: cases sentenced or released whose supervision has not ended.",
        exclusions="None.",
        period="A snapshot on the as-of day (default today); the period does not apply. The concern level is "
               "the one stored at the case's last evaluation (kept current by the daily sweep).",
        rules=(), counter=ConcernLevel(level),
    ) for level, meaning in (
        ("immediate", "action the same day: a victim at a proposed address, a breach not acted on, or critical "
                      "work overdue on a high-RoSH case or one with children"),
        ("serious", "safeguarding work overdue"),
        ("watch", "other work overdue, or safeguarding work due soon"),
        ("none", "nothing overdue"),
    )),
    Measure(
        id="caseload", title="Caseload per practitioner", group="Caseload and capacity",
        counts="cases", value_is="average",
        numerator="Cases in the caseload held by a practitioner.",
        denominator="Practitioners holding those cases (each counted once).",
        exclusions="Cases with no practitioner (counted by `unallocated`).",
        period="A snapshot on the as-of day; the period does not apply. Team and practitioner scopes follow the "
               "practitioner who holds the case now.",
        rules=(), counter=Caseload(),
        notes="The value is an average number of cases, not a proportion. Practitioners who hold no cases are "
              "not in the denominator.",
    ),
    Measure(
        id="caseload-per-fte", title="Caseload per full-time practitioner", group="Caseload and capacity",
        counts="cases", value_is="average",
        numerator="Cases in the caseload held by a practitioner.",
        denominator="The full-time equivalent of the practitioners holding them: their contracted hours "
                    f"added up, divided by {FULL_TIME_HOURS}.",
        exclusions="Cases with no practitioner.",
        period="A snapshot on the as-of day; the period does not apply.",
        rules=(), counter=CaseloadPerFullTime(),
        notes="The value is cases per full-time practitioner: capacity, with part-time staff counted as part of "
              "a post.",
    ),
    Measure(
        id="unallocated", title="Cases without a practitioner", group="Caseload and capacity",
        counts="cases",
        numerator="Cases in the caseload with no practitioner.",
        denominator="The caseload on the day.",
        exclusions="None.",
        period="A snapshot on the as-of day; the period does not apply. Always 0 for a team or practitioner "
               "(an unallocated case belongs to no team).",
        rules=(), counter=Unallocated(),
    ),
    Measure(
        id="da-trained-allocation", title="DA cases held by DA-trained practitioners", group="Caseload and capacity",
        counts="cases",
        numerator="Those held by a practitioner recorded as trained in domestic abuse.",
        denominator="DA cases in the caseload held by a practitioner.",
        exclusions="Cases with no practitioner.",
        period="A snapshot on the as-of day; the period does not apply.",
        rules=("allocation-fit", "countersign-inexperienced"), counter=TrainedAllocation(),
        notes="HMI Probation (2018) found inexperienced, untrained staff holding complex domestic-abuse cases; "
              "no rate has been published.",
    ),
)

MEASURE_BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}


def measure(measure_id: str) -> Measure:
    try:
        return MEASURE_BY_ID[measure_id]
    except KeyError:
        raise KeyError(f"no measure {measure_id!r}; known: {', '.join(MEASURE_BY_ID)}") from None


def compute_all(scope: Scope = COUNTRY, period: Period = ALL_TIME, as_of: date | None = None) -> dict[str, Result]:
    """Every measure for one scope and period, in registry order: the obligation measures in one aggregate query
    (count_obligation_measures), the others one aggregate query each."""
    from safeguard.ops.measure_cache import cached

    day = as_of or today()
    return cached(scope, period, day) or count_all(scope, period, day)


def count_all(scope: Scope, period: Period, day: date) -> dict[str, Result]:
    """compute_all without the daily cache of the country's and regions' figures (safeguard.ops.measure_cache)."""
    counters = {m.id: m.counter for m in MEASURES if type(m.counter) is ObligationCounter}
    together = count_obligation_measures(counters, scope, period, day)  # type: ignore[arg-type]
    return {m.id: together[m.id] if m.id in together else m.counter.count(scope, period, day) for m in MEASURES}


def count_obligation_measures(counters: dict[str, ObligationCounter], scope: Scope, period: Period, as_of: date
                              ) -> dict[str, Result]:
    """ObligationCounter.count for several measures in one query over their obligations (issue 11). The same
    numbers: each measure's rows are the same filter on rule and kind, judged by the same rules.

    The query counts each rule and kind once (GROUP BY rule, kind, with a FILTER clause for each count on
    PostgreSQL), and each measure adds up its own rules and kinds: the rules are written out three times in SQL,
    not once per measure and part, which Django would build and PostgreSQL evaluate for every clause."""
    if not counters:
        return {}
    rules = tuple(sorted({r for c in counters.values() for r in c.rules}))
    # The manager's waiver through a join rather than judge_obligations' subquery (one per obligation).
    rows = obligations_in(scope, period, rules).filter(opened__lte=as_of).annotate(
        manager=FilteredRelation("closed_by", condition=Q(closed_by__type="manager_decision")))
    excluded, pending, fulfilled = obligation_conditions(as_of, Q(manager__isnull=False))
    counted = ~excluded & ~pending
    per_kind = list(rows.values("rule", "kind").order_by().annotate(
        counted=Count("pk", filter=counted),
        met=Count("pk", filter=counted & fulfilled),
        met_on_time=Count("pk", filter=counted & fulfilled & ON_TIME),
    ))
    results = {}
    for measure_id, counter in counters.items():
        mine = [row for row in per_kind
                if row["rule"] in counter.rules and (not counter.kinds or row["kind"] in counter.kinds)]
        met: Literal["met", "met_on_time"] = "met_on_time" if counter.on_time else "met"
        results[measure_id] = Result(sum(row[met] for row in mine), sum(row["counted"] for row in mine))
    return results
