"""A subject access export: the data held about a person on probation, as a zip of JSON files.

What is in it: the case (reference, name, date of birth, gender, delivery unit, dates, risk levels), every
case event (type, day, what was recorded), the obligations the policy engine set on the case (rule, due
day, status, reason), and the risk assessments (status, dates and the latest content).

What is taken out, because it is other people's personal data or would put them at risk (UK GDPR art.
15(4); DPA 2018 sch. 2 para. 16): the linked people's names and dates of birth (they appear as their
references, V1, C1…), every victim's and child's contact detail (not only never-disclose ones: an
address or phone number of a victim must never reach the person who harmed her), support workers' names
and phones, safety plans, and partner agencies' requests; the content (not the date and type) of MARAC, victim-contact,
disclosure, MAPPA and partner-agency events (CONTENT_WITHHELD). Free text is scrubbed of every such value, and
what was taken out is replaced by a neutral "[withheld]" that does not say whose or why, so the export
cannot even reveal that a refuge address exists. The manifest lists each file with its SHA-256 and rows.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.victims.address_match import redact
from safeguard.victims.redaction import NEVER_DISCLOSE

FORMAT = "safeguard-subject-access/1"
WITHHELD = "[withheld]"
# Events whose content is about other people's safety or comes from third parties in confidence (MARAC,
# victims' contacts, a Clare's Law disclosure to a partner, partner agencies' answers): the export shows that
# they happened and when, not what they hold (DPA 2018 sch. 2 para. 2 and sch. 3 para. 3; our own rule,
# reviewed with the data protection officer before release).
CONTENT_WITHHELD = frozenset({"marac_referred", "marac_heard", "victim_contact", "disclosure", "check_returned",
                              "information_received", "mappa"})
# Keys of event payloads that carry third parties' identifying data, dropped outright.
DROPPED_KEYS = frozenset({"name", "names", "address", "addresses", "phone", "email", "born", "plan"})


def third_party_values(case: Case) -> list[str]:
    """Every value that identifies or locates someone other than the data subject."""
    from safeguard.agencies.models import AgencyRequest
    from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker

    values: list[str] = []
    for person in case.people.all():
        if person.name:
            values.append(person.name)
            values += [part for part in person.name.split() if len(part) >= 3]
    for detail in ContactDetail.objects.filter(record__case=case):
        for sealed in (detail.value, detail.note):
            if sealed:
                values.append(sealed.unseal())
    for worker in SupportWorker.objects.filter(record__case=case):
        values += [worker.name, worker.phone.unseal() if worker.phone else ""]
    for contact in SafetyContact.objects.filter(record__case=case):
        if contact.plan:
            values.append(contact.plan.unseal())
    for request in AgencyRequest.objects.filter(case=case):
        if request.addresses:
            values += request.addresses.unseal().splitlines()
    # The app's own never-disclose marker, where stored text already had a value taken out: the export must
    # not even say that something was marked never disclose.
    values.append(NEVER_DISCLOSE)
    parts: list[str] = []
    for value in values:  # an address is also matched by its lines and parts ("7 Hidden Lane", "NT1 9ZZ")
        parts += [p.strip() for p in re.split(r"[,\n]", value or "") if len(p.strip()) >= 5]
    return sorted({v.strip() for v in values + parts if v and len(v.strip()) >= 3}, key=len, reverse=True)


def _scrubber(values: list[str]) -> Any:
    """Free text with every value found as an address (whole or by its parts, whatever its case, spacing,
    punctuation or abbreviations: safeguard.victims.address_match) replaced by WITHHELD."""

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, values, WITHHELD)
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if k not in DROPPED_KEYS}
        return value

    return scrub


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def collect(case: Case) -> dict[str, list[dict[str, Any]]]:
    from safeguard.assessments.models import RiskAssessment
    from safeguard.oversight.models import Obligation

    scrub = _scrubber(third_party_values(case))
    about = [{"ref": case.ref, "name": case.name, "born": _plain(case.born), "gender": case.gender,
              "delivery_unit": case.unit.name if case.unit_id else "", "ended_on": _plain(case.ended_on),
              "rosh": case.rosh, "sara_partner": case.sara_partner, "sara_others": case.sara_others,
              "people_linked": [{"ref": p.ref, "relationship": p.relationship} for p in case.people.all()]}]
    events = [{"seq": e.seq, "on": _plain(e.on), "type": e.type, "source": e.source,
               "recorded": WITHHELD if e.type in CONTENT_WITHHELD else scrub(e.payload)}
              for e in case.events.order_by("seq")]
    obligations = [{"rule": o.rule, "kind": o.kind, "opened": _plain(o.opened), "due": _plain(o.due),
                    "status": o.status, "reason": scrub(o.reason), "closed_on": _plain(o.closed_on)}
                   for o in Obligation.objects.filter(case=case).order_by("opened", "pk")]
    assessments = []
    for a in RiskAssessment.objects.filter(case=case).order_by("started_on", "pk"):
        latest = a.latest()
        assessments.append({"status": a.status, "started_on": _plain(a.started_on),
                            "submitted_on": _plain(a.submitted_on), "final_on": _plain(a.final_on),
                            "content": scrub(latest.content) if latest else None})
    return {"case": about, "events": events, "obligations": obligations, "assessments": assessments}


def export(case: Case, out: str | Path, *, user: Any = None) -> dict[str, Any]:
    """Write the zip (atomically) and return its manifest. Audited."""
    target = Path(out)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"no such directory: {target.parent}")
    sections = collect(case)
    manifest: dict[str, Any] = {"format": FORMAT, "case": case.ref, "made_at": timezone.now().isoformat(),
                                "files": {}, "withheld": "Other people's personal data and anything that could "
                                "locate a victim or child has been removed and replaced by [withheld]."}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sections.items():
            data = json.dumps(rows, indent=2, ensure_ascii=False, default=str).encode("utf-8")
            archive.writestr(f"{name}.json", data)
            manifest["files"][f"{name}.json"] = {"rows": len(rows), "sha256": hashlib.sha256(data).hexdigest()}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(buffer.getvalue())
    partial.chmod(0o600)
    partial.replace(target)
    write_audit("retention.subject_access", user=user, case_ref=case.ref, object_type="case",
                object_id=str(case.pk), detail={"rows": sum(len(r) for r in sections.values()),
                                                "sha256": hashlib.sha256(buffer.getvalue()).hexdigest()})
    return manifest


__all__ = ["FORMAT", "WITHHELD", "collect", "export", "third_party_values"]
