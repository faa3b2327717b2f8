"""docs/measures.md, generated from the registry of measures (`safeguard metrics --definitions -o docs/measures.md`)."""

from __future__ import annotations

from safeguard.insights.measures import MEASURES, Measure

INTRODUCTION = """\
# Measures

<!-- Generated from src/safeguard/insights/measures.py by
     `safeguard metrics --definitions -o docs/measures.md`. Do not edit by hand. -->

The measures HM Inspectorate of Probation uses to judge domestic-abuse work, computed every day from
Safeguard's own records for any region, probation delivery unit, team or practitioner, over any period.
Each is a numerator over a denominator; the value is the numerator divided by the denominator (to 4
decimal places), or none when the denominator is 0. Where the inspectorate has published a national
figure, it is given as the reference to read the value against (the inspectors' figures come from case
samples read by inspectors; Safeguard counts every case by its recorded events, so the two are
comparable in intent, not identical in method).

```
safeguard metrics [--region R | --pdu P | --team T | --practitioner CODE] [--from D --to D] [--as-of D] [--json]
```

prints every measure; `--json` prints `{id: {"numerator": n, "denominator": d, "value": v}}`.

## How measures count

- **Scope.** A case belongs to its probation delivery unit, and so to the unit's region. It belongs to
  a team and a practitioner through the practitioner who holds it now: after a transfer, the case's
  earlier work counts for the new practitioner and team. The whole country is the default.
- **Period.** Each measure says which date the period (from and to, both inclusive) applies to:
  usually the day an obligation opened, so a period's figure is the outcome, as of the as-of day, of the
  work that became required in it. Snapshot measures (concern levels, caseload) count the caseload on the
  as-of day and ignore the period.
- **As of.** The day the record is read on (default today). Work whose deadline is on or after that
  day is *pending*: too early to judge, and left out of both numerator and denominator. Obligations,
  referrals and programme starts after that day are left out, and work done after it counts as not yet
  done, so an earlier day's figures can be read again from today's record (snapshot measures excepted:
  the stored concern level and practitioner are today's).
- **Computed by the database.** Every measure is one aggregate query (two for caseload per full-time
  practitioner; the measures that count one rule's obligations share a single query) over the stored
  obligations and the case records, with no per-case computation, so it stays fast for the whole country.
  The country's and each region's figures (all time, and the dashboard's twelve months) and their
  month-by-month trends over those twelve months are counted once a day after the daily sweep and read
  from the cache for the rest of that day (ADR 0005, decisions 9 and 30); every other scope and period is
  counted when asked.

## How obligations are judged

Most measures count the obligations that a policy rule raised (docs/policy.md): each is one occasion on
which the work was required. For each obligation opened in the period, in scope:

- **Excluded** (in neither numerator nor denominator):
  - *withdrawn*: the record no longer supports it (for example a corrected event);
  - *waived by a manager decision*: the reasoned alternative the policy accepts;
  - *waived otherwise, on or before its deadline*: the case went into custody or its supervision ended
    before the work was due.
- **Pending** (left out): not done by the as-of day, with its deadline on or after it.
- **Counted, not met**: still open after its deadline; done too late for an "on time" measure; or waived
  other than by a manager *after* its deadline (the deadline had already been missed).
- **Met**: done (by the event the rule names), or, for an "on time" measure, done on or before the due
  date.

## The measures
"""


def _section(m: Measure) -> str:
    lines = [f"#### {m.title}", "", f"`{m.id}` · counts {m.counts}"
             + (" · the value is an average, not a proportion" if m.value_is == "average" else ""), ""]
    lines += [f"- **Numerator.** {m.numerator}", f"- **Denominator.** {m.denominator}",
              f"- **Exclusions.** {m.exclusions}", f"- **Period.** {m.period}"]
    if m.rules:
        lines.append("- **Policy rules.** " + ", ".join(f"`{rule}`" for rule in m.rules))
    if m.reference is not None:
        ref = m.reference
        text = (f"- **Latest national inspection figure.** {ref.value:.0%} ({ref.year}): {ref.finding}. "
                f"Source: {ref.source}")
        if ref.url:
            text += f" <{ref.url}>"
        text += "."
        if ref.note:
            text += f" {ref.note}"
        lines.append(text)
    else:
        lines.append("- **Latest national inspection figure.** None published.")
    if m.notes:
        lines.append(f"- **Notes.** {m.notes}")
    return "\n".join(lines) + "\n"


def measures_markdown() -> str:
    """The text of docs/measures.md."""
    parts = [INTRODUCTION]
    group = None
    for m in MEASURES:
        if m.group != group:
            group = m.group
            parts.append(f"\n### {group}\n")
        parts.append("\n" + _section(m))
    parts.append(
        "\n## Not yet measured\n\n"
        "Trends of concern levels and caseload need a stored daily snapshot (today's are computed from the\n"
        "current record only). Contact frequency, victim safety work and disclosure are recorded as\n"
        "obligations (rules 12, 18 and 22) and can be added as measures in the same way.\n"
    )
    return "".join(parts)
