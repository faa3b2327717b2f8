"""The actions on risk assessments. Pages (and later the API) call only these.

    start_assessment      a new draft (pre-filled from the last final assessment, without its explanations)
    save_draft            a new version of a draft or returned assessment
    submit                records an `assessed` event through record_event; final at once, or waiting for
                          an SPO's countersignature when policy rule 9 asks for one
    countersign           an SPO records `countersigned`: the assessment becomes final
    return_for_changes    an SPO sends it back with a reason (recorded on the case as a note)
    complete_plan_action  a risk-plan action done

Every action checks who may take it (accounts.access.can_record; countersigning grades from policy rule 9's
settings), writes the models and the case event in one transaction, and writes an audit entry.

Workflow, as data (from, action, to, who may, hint): TRANSITIONS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from safeguard.accounts.access import can_record, role_of
from safeguard.actions import record_event
from safeguard.assessments import checks
from safeguard.assessments import content as c
from safeguard.assessments.models import AssessmentVersion, PlanAction, RiskAssessment
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.oversight.service import active_policy, facts_for, today
from safeguard.policy.engine import evaluate
from safeguard.policy.facts import StaffMember
from safeguard.workforce.models import Staff


@dataclass(frozen=True)
class Transition:
    source: tuple[str, ...]
    action: str
    target: tuple[str, ...]
    who: str
    hint: str


TRANSITIONS = (
    Transition(("draft", "returned"), "save", ("draft", "returned"), "the practitioner (or an SPO of the team)",
               "Each save keeps a new version; nothing is recorded on the case yet"),
    Transition(("draft", "returned"), "submit", ("final", "awaiting_countersignature"),
               "the practitioner (or an SPO of the team)",
               "Records the assessment on the case (`assessed`). Final at once, unless rule 9 asks for an SPO's "
               "countersignature: an assessor who is a PSO or PQiP, qualified under 12 months or not trained in "
               "domestic abuse, on a case with RoSH high or very high or with children"),
    Transition(("awaiting_countersignature",), "countersign", ("final",), "an SPO of the team, not the author",
               "Records `countersigned` on the case"),
    Transition(("awaiting_countersignature",), "return", ("returned",), "an SPO of the team, not the author",
               "Sends it back with a reason, recorded on the case as a note"),
)


class AssessmentError(Exception):
    """The action was refused; the message says why. Nothing was written."""


class SubmissionRefused(AssessmentError):
    def __init__(self, problems: list[str]):
        super().__init__("The assessment cannot be submitted yet: " + "; ".join(problems))
        self.problems = problems


def staff_of(user: Any) -> Staff | None:
    return getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None


def _require_recorder(user: Any, case: Case) -> Staff:
    staff = staff_of(user)
    if staff is None or not can_record(user, case):
        raise AssessmentError(f"You may not record on case {case.ref}")
    return staff


def countersigner_grades(day: date) -> list[str]:
    return list(active_policy().rule_settings("countersign-inexperienced", day)["countersigner_grades"])


def may_countersign(user: Any, assessment: RiskAssessment, day: date | None = None) -> bool:
    staff = staff_of(user)
    return (staff is not None and role_of(user) == "spo" and can_record(user, assessment.case)
            and staff.grade in countersigner_grades(day or today()) and staff.pk != assessment.author_id)


def context_for(case: Case, on: date, *, by: str = "", rosh_in_force: str | None = "auto") -> checks.Context:
    names = {ref: name for ref, name in case.people.values_list("ref", "name") if name}
    threshold = int(active_policy().rule_settings("marac-referral", on)["dash_threshold"])
    return checks.Context(facts=facts_for(case), on=on, by=by, dash_threshold=threshold, names=names,
                          rosh_in_force=rosh_in_force)


def assessment_context(assessment: RiskAssessment, on: date | None = None) -> checks.Context:
    """The checks' context for this assessment: once submitted, RoSH is compared with the level before it."""
    staff = assessment.author
    before: str | None = "auto"
    if assessment.submitted_event_id is not None:
        before = assessment.rosh_in_force or None
    return context_for(assessment.case, on or today(), by=staff.code, rosh_in_force=before)


def _locked(assessment: RiskAssessment) -> RiskAssessment:
    return RiskAssessment.objects.select_for_update().select_related("case", "author").get(pk=assessment.pk)


def _version(assessment: RiskAssessment, change: str, content: dict[str, Any], *, user: Any, on: date,
             staff: Staff | None, reason: str = "", event: Any = None) -> AssessmentVersion:
    latest = assessment.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return AssessmentVersion.objects.create(assessment=assessment, number=latest + 1, change=change,
                                            status=assessment.status, content=content, reason=reason, by=staff,
                                            user=user if getattr(user, "is_authenticated", False) else None,
                                            event=event, on=on)


def _audit(action: str, assessment: RiskAssessment, user: Any, **detail: Any) -> None:
    write_audit(f"assessment.{action}", user=user, case_ref=assessment.case.ref, object_type="risk_assessment",
                object_id=str(assessment.pk), detail={"status": assessment.status, **detail})


@transaction.atomic
def start_assessment(case: Case, user: Any, *, on: date | None = None) -> RiskAssessment:
    day = on or today()
    staff = _require_recorder(user, case)
    if RiskAssessment.objects.filter(case=case).exclude(status="final").exists():
        raise AssessmentError(f"Case {case.ref} already has an assessment in progress: finish that one first")
    previous = RiskAssessment.objects.filter(case=case, status="final").order_by("-final_on", "-id").first()
    content = previous.content() if previous else c.normalise(None)
    content["explanations"] = {}
    content["rosh_rationale"] = ""
    if previous is not None:
        open_actions = {(a.action, a.due_on.isoformat()) for a in previous.plan_actions.filter(status="open")}
        content["plan"] = [p for p in content["plan"] if (p["action"], p["due_on"]) in open_actions]
    assessment = RiskAssessment.objects.create(case=case, author=staff, started_on=day, rosh_in_force=case.rosh)
    version = _version(assessment, "started", content, user=user, on=day, staff=staff)
    _audit("started", assessment, user, version=version.number)
    return assessment


@transaction.atomic
def save_draft(assessment: RiskAssessment, content: dict[str, Any], user: Any, *,
               on: date | None = None) -> AssessmentVersion | None:
    """A new version with this content; None when nothing changed."""
    locked = _locked(assessment)
    staff = _require_recorder(user, locked.case)
    if not locked.editable:
        raise AssessmentError("Only a draft or a returned assessment can be changed")
    new = c.normalise(content)
    if new == locked.content():
        return None
    version = _version(locked, "saved", new, user=user, on=on or today(), staff=staff)
    _audit("saved", locked, user, version=version.number)
    return version


@transaction.atomic
def submit(assessment: RiskAssessment, user: Any, *, on: date | None = None) -> RiskAssessment:
    """Record the assessment on the case (`assessed`). Raises SubmissionRefused with what must be fixed first."""
    day = on or today()
    locked = _locked(assessment)
    case = locked.case
    staff = _require_recorder(user, case)
    if not locked.editable:
        raise AssessmentError("Only a draft or a returned assessment can be submitted")
    first = locked.submitted_event_id is None
    before = (case.rosh or None) if first else (locked.rosh_in_force or None)
    ctx = context_for(case, day, by=staff.code, rosh_in_force=before)
    content = locked.content()
    problems = checks.problems(content, ctx)
    if problems:
        raise SubmissionRefused(problems)
    logged = record_event(case, checks.event_for(content, ctx), user=user, source="web")
    result = evaluate(facts_for(case), day, active_policy())
    key = f"countersign-inexperienced:{logged.seq}"
    months = int(active_policy().rule_settings("countersign-inexperienced", day)["qualified_months"])
    needs = any(o.key == key and o.closed_on is None for o in result.obligations) \
        or checks.countersignature_needed(ctx, StaffMember(staff.code, staff.grade, staff.qualified_on,
                                                           staff.da_trained), content["rosh"], months)
    if first:
        locked.rosh_in_force = before or ""
    locked.author = staff
    locked.status = "awaiting_countersignature" if needs else "final"
    locked.countersignature_required = needs
    locked.submitted_on = day
    locked.submitted_event = logged
    locked.final_on = None if needs else day
    locked.save()
    version = _version(locked, "submitted", content, user=user, on=day, staff=staff, event=logged)
    _replace_plan(locked, content, version.number)
    _audit("submitted", locked, user, version=version.number, seq=logged.seq)
    return locked


def _replace_plan(assessment: RiskAssessment, content: dict[str, Any], version: int) -> None:
    PlanAction.objects.filter(case=assessment.case, status="open").update(status="superseded")
    PlanAction.objects.bulk_create([
        PlanAction(assessment=assessment, case=assessment.case, version=version, action=item["action"],
                   owner=item["owner"], person=item["person"], due_on=date.fromisoformat(item["due_on"]))
        for item in content["plan"]
    ])


def _require_countersigner(user: Any, assessment: RiskAssessment, day: date) -> Staff:
    staff = staff_of(user)
    if assessment.status != "awaiting_countersignature":
        raise AssessmentError("This assessment is not waiting for a countersignature")
    if staff is not None and staff.pk == assessment.author_id:
        raise AssessmentError("You cannot countersign or return your own assessment")
    if staff is None or not may_countersign(user, assessment, day):
        raise AssessmentError("Only a senior probation officer of the team may countersign or return an assessment")
    return staff


@transaction.atomic
def countersign(assessment: RiskAssessment, user: Any, *, on: date | None = None) -> RiskAssessment:
    day = on or today()
    locked = _locked(assessment)
    staff = _require_countersigner(user, locked, day)
    logged = record_event(locked.case, {"on": day.isoformat(), "type": "countersigned", "by": staff.code},
                          user=user, source="web")
    locked.status = "final"
    locked.countersigned_by = staff
    locked.countersigned_event = logged
    locked.final_on = day
    locked.save()
    version = _version(locked, "countersigned", locked.content(), user=user, on=day, staff=staff, event=logged)
    _audit("countersigned", locked, user, version=version.number, seq=logged.seq)
    return locked


@transaction.atomic
def return_for_changes(assessment: RiskAssessment, user: Any, reason: str, *,
                       on: date | None = None) -> RiskAssessment:
    day = on or today()
    locked = _locked(assessment)
    staff = _require_countersigner(user, locked, day)
    reason = reason.strip()
    if not reason:
        raise AssessmentError("Say what must change before the assessment can be countersigned")
    logged = record_event(locked.case, {"on": day.isoformat(), "type": "note", "by": staff.code,
                                        "text": f"Risk assessment returned for changes: {reason}"},
                          user=user, source="web")
    locked.status = "returned"
    locked.save()
    version = _version(locked, "returned", locked.content(), user=user, on=day, staff=staff, reason=reason,
                       event=logged)
    _audit("returned", locked, user, version=version.number, seq=logged.seq)
    return locked


@transaction.atomic
def complete_plan_action(action: PlanAction, user: Any, note: str = "", *, on: date | None = None) -> PlanAction:
    locked = PlanAction.objects.select_for_update().select_related("case").get(pk=action.pk)
    staff = _require_recorder(user, locked.case)
    if locked.status != "open":
        raise AssessmentError("This plan action is not open")
    locked.status = "done"
    locked.done_on = on or today()
    locked.done_by = staff
    locked.done_note = note.strip()
    locked.save()
    write_audit("assessment.plan_action_done", user=user, case_ref=locked.case.ref, object_type="plan_action",
                object_id=str(locked.pk), detail={"status": "done"})
    return locked


def plan_obligations(case: Case, day: date | None = None) -> list[dict[str, Any]]:
    """The case's open risk-plan actions in the shape of its obligations (kind, status, due, reason), to show
    beside them."""
    day = day or today()
    return [{"kind": "risk_plan_action", "rule": "risk-management-plan", "status": a.status_on(day), "due": a.due_on,
             "opened": a.assessment.submitted_on, "reason": f"Risk management plan: {a.action}"
             + (f" ({a.owner})" if a.owner else ""), "action": a}
            for a in PlanAction.objects.filter(case=case, status="open").select_related("assessment")]


# -- documents -----------------------------------------------------------------------------------------
def _case_info(case: Case) -> dict[str, Any]:
    practitioner = case.practitioner
    return {"ref": case.ref, "name": case.name or "Not recorded",
            "born": case.born.strftime("%-d %B %Y") if case.born else "Not recorded",
            "gender": case.gender or "Not recorded", "unit": case.unit.name,
            "practitioner": (practitioner.name or practitioner.code) if practitioner else "Not allocated"}


def _meta(assessment: RiskAssessment, version: AssessmentVersion | None) -> dict[str, Any]:
    def who(staff: Staff | None) -> str:
        return f"{staff.name or staff.code} ({staff.grade})" if staff else ""

    return {"status": assessment.get_status_display(), "version": version.number if version else 0,
            "author": who(assessment.author), "started_on": assessment.started_on.strftime("%-d %B %Y"),
            "submitted_on": assessment.submitted_on.strftime("%-d %B %Y") if assessment.submitted_on else "",
            "countersigned_by": who(assessment.countersigned_by),
            "final_on": assessment.final_on.strftime("%-d %B %Y") if assessment.final_on else "",
            "made_on": today().strftime("%-d %B %Y")}


def document_context(assessment: RiskAssessment) -> checks.Context:
    """The record as it stood when the assessment was submitted (today for a draft)."""
    return assessment_context(assessment, assessment.submitted_on if not assessment.editable else None)


def assessment_pdf(assessment: RiskAssessment, audience: str, *, user: Any = None,
                   details: dict[str, Any] | None = None, version: AssessmentVersion | None = None) -> bytes:
    """The assessment as PDF for `audience`, made by `user` (whose entitlement decides which victims' contact
    details it may carry; `details` replaces the stored ones, for tests of the documents alone)."""
    from safeguard.assessments import documents

    who = documents.Audience(audience)
    if who is documents.Audience.PERSON_ON_PROBATION:
        return probation_copy_pdf(assessment, user=user, details=details)
    details = documents.contact_details(assessment.case, user) if details is None else details
    version = version or assessment.latest()
    ctx = document_context(assessment)
    doc = documents.assessment_document(ctx, version.content if version else {}, case=_case_info(assessment.case),
                                        meta=_meta(assessment, version), audience=who, details=details)
    strings = documents.withheld_strings(who, details)
    return documents.render_pdf("assessments/pdf_assessment.html", doc, strings)


def probation_copy_refusal(assessment: RiskAssessment) -> str:
    """Why the person on probation's copy may not be made from this assessment ("" when it may): only a final
    assessment a senior probation officer countersigned is his plan."""
    if assessment.status != "final":
        return (f"The copy for the person on probation is made only from a final, countersigned assessment: this "
                f"one is {assessment.get_status_display().lower()}. Nothing was made.")
    if assessment.countersigned_by_id is None:
        return ("The copy for the person on probation is made only from a countersigned assessment: this one was "
                "not countersigned by a senior probation officer. Nothing was made.")
    return ""


def probation_copy_pdf(assessment: RiskAssessment, *, user: Any = None,
                       details: dict[str, Any] | None = None) -> bytes:
    """The person on probation's copy (documents.probation_copy): refused with AssessmentError unless the
    assessment is final and countersigned."""
    from safeguard.assessments import documents

    refusal = probation_copy_refusal(assessment)
    if refusal:
        raise AssessmentError(refusal)
    details = documents.contact_details(assessment.case, user) if details is None else details
    version = assessment.latest()
    doc = documents.probation_copy(document_context(assessment), version.content if version else {},
                                   case=_case_info(assessment.case), meta=_meta(assessment, version), details=details)
    strings = documents.withheld_strings(documents.Audience.PERSON_ON_PROBATION, details)
    return documents.render_pdf("assessments/pdf_probation_copy.html", doc, strings)


def marac_pdf(assessment: RiskAssessment, *, user: Any = None, details: dict[str, Any] | None = None) -> bytes:
    from safeguard.assessments import documents

    details = documents.contact_details(assessment.case, user) if details is None else details
    version = assessment.latest()
    ctx = document_context(assessment)
    settings = active_policy().rule_settings("marac-referral", ctx.on)
    doc = documents.marac_document(ctx, version.content if version else {}, case=_case_info(assessment.case),
                                   meta=_meta(assessment, version), details=details,
                                   high_risk_features=list(settings["high_risk_features"]),
                                   incidents_threshold=int(settings["incidents_threshold"]),
                                   incidents_months=int(settings["incidents_months"]))
    strings = documents.withheld_strings(documents.Audience.PARTNER_AGENCY, details)
    return documents.render_pdf("assessments/pdf_marac.html", doc, strings)
