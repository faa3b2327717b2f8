"""docs/interventions.md, generated from the catalogue, the lifecycle table and the workload settings, so the
documentation cannot drift from the code. Write it with `safeguard manage interventions_docs`; a test
fails when the file is out of date."""

from __future__ import annotations

from pathlib import Path

from safeguard.interventions import lifecycle
from safeguard.interventions.catalogue import CATALOGUE, EXCLUSIONS, Intervention, exclusion
from safeguard.workforce.weighting import DEFAULT_WORKLOAD, Workload

DOCS_PATH = Path("docs") / "interventions.md"


def _levels(levels: frozenset[str]) -> str:
    order = {"low": 0, "medium": 1, "high": 2, "very_high": 3}
    items = [v.replace("_", " ") for v in sorted(levels, key=lambda v: order.get(v, 9))]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _risk(i: Intervention) -> str:
    parts = []
    if i.risk.sara:
        parts.append(f"SARA {_levels(i.risk.sara)}")
    if i.risk.rosh:
        parts.append(f"RoSH {_levels(i.risk.rosh)}")
    return (" and " if i.risk.match == "both" else ", or ").join(parts) or "any"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


FORMS = [
    "",
    "## Who records what: the forms",
    "",
    "Every form is a GOV.UK form: each wrong or missing answer is shown against its question and in the error "
    "summary, and nothing is saved. Each one calls the service function named (so the lifecycle table above, the "
    "roles in it and `accounts.access` decide who may), in one transaction.",
    "",
    "| form | where | who | service |",
    "|---|---|---|---|",
    "| Set up a course (intervention, location, places, start date, number of weekly sessions) | Programme queue, "
    "**Set up a course** (`/interventions/courses/new/`) | SPO, head of unit (their own delivery unit) "
    "| `create_cohort` |",
    "| Book a place (someone assessed suitable or waiting, onto a course with a free place) | Course page, **Book a "
    "place** | SPO, head of unit | `book` (to `scheduled`) |",
    "| Register for a session (attended / absent, acceptable / absent, unacceptable) | Course page, **Take the "
    "register** for a session held | SPO, head of unit for the whole course; a practitioner for the cases they "
    "can see | `record_attendance` |",
    "| A referral's next step (assessed, not ready, not suitable, start, completion, leaving, withdrawal, place "
    "cancelled) | Referral page, **What can happen next**: one page per step, offering only the steps the "
    "lifecycle allows your role | as the lifecycle table | `change_status` |",
    "| No start needed after \"not suitable\" (rule 16) | Referral page, warning after a practitioner's \"not "
    "suitable\" | SPO | `close_start_after_not_suitable` (a `manager_decision` event) |",
    "| Note and lift a suitability exclusion | Interventions for a case, **Note a suitability exclusion** / "
    "**Lift** | practitioner, SPO | `note_exclusion`, `end_exclusion` |",
    "| Cancel a course (with who is affected) | Course page, **Cancel the course** | SPO, head of unit "
    "| `cancel_cohort` |",
    "| Record a supervision session (practitioner, SPO, date, minutes, cases discussed, decisions, next "
    "session) | Team capacity, **Record a supervision session** | SPO, head of unit | "
    "`workforce.oversight.record_supervision` |",
    "",
    "**The programme provider's decisions.** Safeguard has no provider role. The programme team's suitability "
    "assessment, start, attendance, completion report and deselection reach probation as the provider's reports "
    "(for accredited programmes, the delivery unit's own interventions team); the unit's SPO or head of unit keeps "
    "the courses (set-up, bookings, registers, cancellations) and the case's practitioner or SPO records each "
    "decision on the referral, naming the provider's report in the note. Provider staff therefore never see a "
    "case record, a victim's details or other referrals; a provider role limited to referrals to its own "
    "interventions would need its own rule in `accounts.access` (not built).",
    "",
    "**Rule 16 after \"not suitable\".** The timeline has no suitability event, so rule 16 would keep asking for "
    "a start. An SPO's \"not suitable\" also records a `manager_decision` about `intervention_start` with the "
    "reason, which closes rule 16's obligation as waived; after a practitioner's, the referral page asks an SPO "
    "to record that decision. A later referral (to another intervention) opens rule 16 again.",
    "",
    "**Missed sessions and rule 21.** An unacceptable absence on a register is also a `contact` event (kind "
    "`office`, outcome `unacceptable_absence`) on the case, which rule 21 counts: two in 12 months need an "
    "enforcement decision. Once recorded it cannot be changed on the register (the case record keeps it); "
    "attended and acceptable absences stay on the course record only.",
]


def interventions_markdown(workload: Workload = DEFAULT_WORKLOAD) -> str:
    lines = [
        "# Interventions and the workforce",
        "",
        "<!-- Generated by `safeguard manage interventions_docs` from safeguard.interventions (catalogue, "
        "lifecycle) and safeguard.workforce.weighting; do not edit by hand. -->",
        "",
        "## Catalogue and eligibility",
        "",
        "Every intervention also needs domestic abuse on record and the person under supervision. A criterion "
        "that the record cannot answer yet (SARA not assessed, gender or sentence length not recorded) makes the "
        "answer \"cannot tell yet\", never \"eligible\".",
        "",
        "| code | intervention | delivery | risk | partner abuse | court requirement | MARAC | for | months left "
        "| ruled out by | sessions |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i in CATALOGUE:
        ruled_out = ", ".join(exclusion(c).phrase for c in sorted(i.exclusions)) or "none"
        lines.append(
            f"| `{i.code}` | {i.name} | {i.delivery.replace('_', '-')}{' (accredited)' if i.accredited else ''} "
            f"| {_risk(i)} | {'yes' if i.partner_abuse else '-'} | {'yes' if i.requirement else '-'} "
            f"| {'yes' if i.marac else '-'} | {', '.join(sorted(i.genders)) or 'anyone'} "
            f"| {i.min_months_left or '-'} | {ruled_out} | {i.sessions or '-'} |")
    lines += ["", "Programme summaries:", ""]
    lines += [f"- **{i.name}** (`{i.code}`, timeline programme `{i.programme}`): {i.summary}" for i in CATALOGUE]
    lines += ["", "### Suitability exclusions", "", "Noted on a case while they last; each rules out the "
              "interventions listed above.", "", "| code | exclusion | meaning |", "|---|---|---|"]
    lines += [f"| `{e.code}` | {e.label} | {_cell(e.hint)} |" for e in EXCLUSIONS]
    lines += [
        "",
        "## Referral lifecycle",
        "",
        "Transitions marked with an event are timeline events, recorded through `record_event` so that rules 15, "
        "16, 18 and 21 follow; the others are recorded on the referral (who, when, reason) and audited. Any "
        "other change is refused with an error naming both statuses and what is allowed.",
        "",
        "```mermaid",
        lifecycle.mermaid(),
        "```",
        "",
        "| status | meaning | waiting | final |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{s.code}` | {s.label}: {s.description} | {'yes' if s.waiting else '-'} "
              f"| {'yes' if s.terminal else '-'} |" for s in lifecycle.STATUSES]
    lines += ["", "| from | to | who may | event | reason | hint |", "|---|---|---|---|---|---|"]
    for t in lifecycle.TRANSITIONS:
        who = ", ".join(sorted(t.roles))
        reason = ", ".join(f"`{r}`" for r in t.reasons) or "-"
        lines.append(f"| {('`' + t.from_status + '`') if t.from_status else '(new)'} | `{t.to_status}` | {who} "
                     f"| {('`' + t.event + '`') if t.event else '-'} | {reason} | **{t.label}**: {_cell(t.hint)} |")
    lines += FORMS
    lines += [
        "",
        "## Caseload weighting and capacity",
        "",
        "Settings (`SAFEGUARD_WORKLOAD` in Django settings overrides any of them). A case's points are its tier's "
        "points plus each domestic-abuse complexity that applies; a practitioner's available points are their "
        "grade's full-time points scaled by contracted hours; capacity is points held as a percentage of points "
        "available.",
        "",
        "| tier | meaning | points |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {workload.tier_meaning(t)} | {p} |" for t, p in workload.tier_points.items()]
    lines += ["", "| complexity | points |", "|---|---|"]
    lines += [f"| {c.replace('_', ' ')} | {p} |" for c, p in workload.complexity_points.items()]
    lines += ["", f"| grade | points at {workload.full_time_hours:g} hours a week |", "|---|---|"]
    lines += [f"| {g} | {p} |" for g, p in workload.grade_points.items()]
    lines += [
        "",
        "Allocation ranks practitioners by fit, then capacity after the allocation. For a domestic abuse case with "
        "RoSH high or very high, a practitioner whose holding it would raise rule 10 (`allocation-fit`: a PSO, or "
        "not trained in domestic abuse) always ranks below everyone else, and one whose work would need "
        "countersigning under rule 9 ranks below those who would not; rule 9 also applies when children are "
        "involved.",
        "",
    ]
    return "\n".join(lines)


def write(path: Path = DOCS_PATH) -> None:
    path.write_text(interventions_markdown())
