"""Writing a case back out as a timeline document."""

from __future__ import annotations

from typing import Any

from safeguard.cases.models import Case
from safeguard.oversight.service import STAFF_FIELDS
from safeguard.timeline.schema import FORMAT
from safeguard.workforce.models import Staff


def export_case(case: Case) -> dict[str, Any]:
    """The case as a `safeguard-timeline/1` document; importing it gives the same events. Events marked void
    (entered in error, ADR 0006) are left out: the format has no place for a void, and a file that carried the
    event would put it back in force on import."""
    from safeguard.victims.redaction import scrub_payload

    # An export leaves the service: a never-disclose address typed into a note is withheld (nobody's export
    # may carry one), so re-importing gives the same events with that text withheld.
    events = [scrub_payload(dict(e.payload), case=case, user=None, channel="export")
              for e in case.events_in_force().order_by("seq")]
    codes = sorted({e[f] for e in events for f in STAFF_FIELDS if isinstance(e.get(f), str)})
    staff = [
        {"ref": s.code, "grade": s.grade, "qualified_on": s.qualified_on.isoformat() if s.qualified_on else None,
         "da_trained": s.da_trained}
        for s in Staff.objects.filter(code__in=codes).order_by("code")
    ]
    document_case: dict[str, Any] = {"ref": case.ref, "pdu": case.unit.name}
    if case.born:
        document_case["born"] = case.born.isoformat()
    if case.gender:
        document_case["gender"] = case.gender
    return {"format": FORMAT, "case": document_case, "staff": staff, "events": events}
