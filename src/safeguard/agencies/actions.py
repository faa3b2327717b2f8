"""Every change in partner-agency work. Anything that happens on a case is a timeline event recorded through
record_event (so the policy engine sees it: rules 3-5, 17, 19-20, 22); the rest is this app's own record."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from safeguard import concurrency
from safeguard.actions import record_event
from safeguard.agencies import notify
from safeguard.agencies.models import (
    AgencyRequest,
    BreachReport,
    ControlTerms,
    DisclosureConsideration,
    MaracAction,
    MaracReferral,
)
from safeguard.agencies.receivers import USES_ANSWERS, named_sources
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent, Control, LinkedPerson, Registration
from safeguard.oversight.models import Obligation
from safeguard.oversight.service import active_policy, today
from safeguard.policy.calendar import add_working_days, working_days_between
from safeguard.victims.redaction import never_disclose_values, scrub_values

DASH_THRESHOLD = 14
REPORTED_BY_ROLE = {"police": "police", "practitioner": "practitioner", "spo": "practitioner",
                    "victim_worker": "victim"}


class AgencyError(ValueError):
    """An action refused: str() is a sentence to show the user. Nothing was written. `field` names the form
    field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _audit(action: str, case: Case, obj: Any, user: Any, **detail: Any) -> None:
    write_audit(action, user=user, case_ref=case.ref, object_type=type(obj).__name__.lower(), object_id=str(obj.pk),
                detail=detail)


def _safe_for_log(case: Case, text: str) -> str:
    """Free text on its way into the case's event log, with the case's never-disclose values taken out: the
    log is shown to everyone who can see the case."""
    return scrub_values(text, never_disclose_values(case)) if text else text


# -- requests to partner agencies ------------------------------------------------------------------------------
NEVER_DISCLOSE_ADDRESS = ("An address in this request is marked never disclose on a victim's record: take it out. "
                          "Nothing was saved or sent.")


def _refuse_never_disclose_address(case: Case, addresses: str) -> None:
    """A request's addresses go to the agency: none may match a never-disclose value of the case (a refuge
    address), in any wording the matcher knows. Checked when a request is drafted, changed and sent."""
    hidden = never_disclose_values(case)
    if hidden and addresses and scrub_values(addresses, hidden) != addresses:
        raise AgencyError(NEVER_DISCLOSE_ADDRESS, field="addresses")

# The request being sent, so the AgencyCheck its event makes is linked to it (receivers.check_saved).
sending: ContextVar[AgencyRequest | None] = ContextVar("sending", default=None)


@transaction.atomic
def draft_request(case: Case, *, agency: str, question: str, about: list[LinkedPerson], addresses: str = "",
                  area: Any = None, user: Any) -> AgencyRequest:
    _refuse_never_disclose_address(case, addresses)
    request = AgencyRequest.objects.create(case=case, agency=agency, area=area or case.unit, question=question,
                                           addresses=addresses, created_by=_user(user))
    request.about.set(about)
    _audit("agency_request.drafted", case, request, user, agency=agency)
    return request


@transaction.atomic
def update_draft(request: AgencyRequest, *, question: str, about: list[LinkedPerson], addresses: str,
                 area: Any, user: Any, edit_token: str | None = None) -> AgencyRequest:
    """Change a draft. With `edit_token` (the version the editor read), a stale edit raises StaleEdit and
    nothing is written (safeguard.concurrency)."""
    if edit_token is not None:
        concurrency.claim(request, edit_token)
    if request.status != "drafted":
        raise AgencyError("Only a draft can be changed: this request has been sent.")
    _refuse_never_disclose_address(request.case, addresses)
    request.question, request.addresses, request.area = question, addresses, area
    request.save(update_fields=["question", "addresses", "area"])
    request.about.set(about)
    _audit("agency_request.changed", request.case, request, user)
    return request


@transaction.atomic
def send_request(request: AgencyRequest, *, user: Any) -> AgencyRequest:
    """Send a draft: a `check_requested` event (rule 5's chase clock starts) and an email to the agency."""
    if request.status != "drafted":
        raise AgencyError("This request has already been sent.")
    if not request.question.strip():
        raise AgencyError("Enter the question for the agency before sending.")
    case = request.case
    _refuse_never_disclose_address(case, request.addresses.unseal())
    day = today()
    event: dict[str, Any] = {"on": day.isoformat(), "type": "check_requested", "agency": request.agency}
    refs = sorted(request.about.values_list("ref", flat=True))
    if refs:
        event["about"] = refs
    token = sending.set(request)
    try:
        logged = record_event(case, event, user=user)
    finally:
        sending.reset(token)
    request.refresh_from_db()
    request.sent_event = logged
    request.save(update_fields=["sent_event"])
    _audit("agency_request.sent", case, request, user, agency=request.agency)
    notify.send(notify.agency_addresses(request.agency, request.area_id), f"new request {request.ref}",
                f"Request {request.ref} is waiting in your Safeguard queue.", kind="request_sent", ref=request.ref)
    return request


RECORD_RELATIONSHIPS = frozenset({"partner", "ex_partner", "child", "partners_child"})
AREA_CHECK_QUESTIONS = {
    "police": "This case has moved to your area. Please tell us about any domestic-abuse call-outs, incidents "
              "or intelligence you hold about the person and the people named, with dates.",
    "childrens_services": "This case has moved to your area. Please tell us whether the children named (or any "
                          "children living with or visiting the person) are known to you, and their child "
                          "protection status.",
}


def new_area(event: CaseEvent) -> Any:
    """The area a `transferred` event with area_changed moves the case to: the new practitioner's unit."""
    from safeguard.workforce.models import Staff

    staff = Staff.objects.filter(code=event.payload.get("practitioner")).select_related("team__unit").first()
    if staff is not None and staff.team is not None:
        return staff.team.unit
    return Case.objects.get(pk=event.case_id).unit


def draft_area_checks(event: CaseEvent) -> list[AgencyRequest]:
    """Draft the police and children's-services checks a move to another area needs (rule 25; rule 14's checks
    for new people after a change are met by the same answers, so no second request is drafted). None is drafted
    for an agency that already has a draft or an open request to the new area. The practitioner checks each
    draft, chooses the people and addresses, and sends it."""
    case = Case.objects.get(pk=event.case_id)
    area = new_area(event)
    people = [p for p in LinkedPerson.objects.filter(case=case)
              if p.victim or p.current_partner or p.relationship in RECORD_RELATIONSHIPS]
    drafted = []
    for agency, question in AREA_CHECK_QUESTIONS.items():
        pending = AgencyRequest.objects.filter(case=case, agency=agency, area=area,
                                               status__in=["drafted", "sent", "chased"])
        if pending.exists():
            continue
        request = AgencyRequest.objects.create(case=case, agency=agency, area=area, question=question)
        request.about.set(people)
        _audit("agency_request.drafted", case, request, None, agency=agency, source="area_change")
        drafted.append(request)
    return drafted


def callout_dates(text: str) -> list[date]:
    """Dates, one a line (YYYY-MM-DD or DD/MM/YYYY); AgencyError naming the first that is not one."""
    found = []
    for line in (text or "").splitlines():
        value = line.strip()
        if not value:
            continue
        try:
            if "/" in value:
                d, m, y = (int(p) for p in value.split("/"))
                found.append(date(y, m, d))
            else:
                found.append(date.fromisoformat(value))
        except ValueError:
            raise AgencyError(f"'{value[:20]}' is not a date: give each call-out date as DD/MM/YYYY") from None
    return sorted(found)


@dataclass
class Answer:
    callouts: int | None
    callout_dates: list[date]
    children_known: bool | None
    child_protection: str
    other_information: str
    summary: str


def _known_to_childrens_services(agency: str, answer: Answer) -> bool | None:
    if agency != "childrens_services":
        return None
    if answer.child_protection in {"child_in_need", "child_protection_plan", "looked_after"} or answer.children_known:
        return True
    if answer.child_protection == "none" and answer.children_known is False:
        return False
    return None


CHILD_PROTECTION_EVENT_STATUSES = frozenset({"none", "child_in_need", "child_protection_plan", "looked_after"})


def _children_answered_for(request: AgencyRequest, answer: Answer) -> list[LinkedPerson]:
    """The children a children's social care answer gives a protection status for: the children the request
    was about (all the case's children when it named none), leaving out those whose recorded status is already
    the answer's. "Not known" records nothing."""
    if request.agency != "childrens_services" or answer.child_protection not in CHILD_PROTECTION_EVENT_STATUSES:
        return []
    from safeguard.policy.facts import age_on

    day = today()

    def is_child(person: LinkedPerson) -> bool:
        age = age_on(person.born, day) if person.born is not None else None
        return (age is not None and age < 18) or (age is None and person.relationship in {"child",
                                                                                         "partners_child"})

    named = list(request.about.all())
    people = named if named else list(LinkedPerson.objects.filter(case_id=request.case_id))
    return [p for p in people if is_child(p) and p.child_protection != answer.child_protection]


@transaction.atomic
def answer_request(request: AgencyRequest, answer: Answer, *, user: Any) -> AgencyRequest:
    """A partner agency's answer: a `check_returned` event (rules 3-5 are met) and an email to the practitioner."""
    if not request.is_open:
        raise AgencyError("This request has already been answered.")
    check = request.agency_check
    if check is not None:
        later = AgencyRequest.objects.filter(case=request.case, agency=request.agency, status__in=["sent", "chased"],
                                             pk__gt=request.pk)
        if later.exists():
            raise AgencyError(f"A later request to your agency about the same person is open ({later.last()}): "
                              "answer that one, which covers this.")
    if answer.callouts is None and answer.callout_dates:
        answer.callouts = len(answer.callout_dates)
    case = request.case
    event: dict[str, Any] = {"on": today().isoformat(), "type": "check_returned", "agency": request.agency,
                             "summary": _safe_for_log(case, answer.summary)}
    if answer.callouts is not None:
        event["callouts"] = answer.callouts
    known = _known_to_childrens_services(request.agency, answer)
    if known is not None:
        event["known_to_childrens_services"] = known
    record_event(case, event, user=user)
    for person in _children_answered_for(request, answer):
        # The engine and the tier read a child's protection status from `child_protection` events only.
        record_event(case, {"on": today().isoformat(), "type": "child_protection", "ref": person.ref,
                            "status": answer.child_protection}, user=user)
    request.refresh_from_db()
    request.callouts = answer.callouts
    request.callout_dates = [d.isoformat() for d in answer.callout_dates]
    request.children_known = answer.children_known
    request.child_protection = answer.child_protection
    request.other_information = answer.other_information
    request.summary = answer.summary
    request.answered_by = _user(user)
    request.save()
    _audit("agency_request.answered", case, request, user, agency=request.agency)
    notify.send(notify.case_addresses(case, spo=False), f"request {request.ref} answered (case {case.ref})",
                f"The {request.get_agency_display()} answered request {request.ref} on case {case.ref}.",
                kind="request_answered", case_ref=case.ref, ref=request.ref)
    return request


def uses_for(request: AgencyRequest) -> QuerySet[CaseEvent]:
    """The assessments and reviews that could have used a returned request's answer."""
    after = request.returned_event.seq if request.returned_event is not None else 0
    return CaseEvent.objects.filter(case_id=request.case_id, type__in=sorted(USES_ANSWERS), seq__gt=after)


@transaction.atomic
def mark_used(request: AgencyRequest, event: CaseEvent, *, user: Any) -> AgencyRequest:
    if request.status not in {"returned", "used"}:
        raise AgencyError("Only an answered request can be marked as used.")
    if not uses_for(request).filter(pk=event.pk).exists():
        raise AgencyError("Choose an assessment or review recorded after the answer came back.")
    request.status, request.used_in, request.used_on = "used", event, event.on
    request.save(update_fields=["status", "used_in", "used_on"])
    _audit("agency_request.used", request.case, request, user, seq=event.seq)
    return request


def link_uses(event: CaseEvent) -> int:
    """Mark the case's returned requests used by `event`, a new assessment or review, from the agencies it names
    as sources. Each is the first later one to name them: an earlier one would have linked them as it was
    recorded. One UPDATE, in SQL: every imported assessment comes here, and the ORM's building of it cost the
    import a sixth of its time. Returns the requests marked."""
    sources = named_sources(event.payload)
    if not sources:
        return 0
    requests, events = AgencyRequest._meta.db_table, CaseEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {requests} SET status = 'used', used_in_id = %s, used_on = %s "
                       f"WHERE case_id = %s AND status = 'returned' AND agency IN ({', '.join(['%s'] * len(sources))}) "
                       f"AND (returned_event_id IS NULL OR returned_event_id IN "
                       f"(SELECT id FROM {events} WHERE case_id = %s AND seq < %s))",
                       [event.pk, event.on, event.case_id, *sources, event.case_id, event.seq])
        return int(cursor.rowcount)


def chase_due_on(request: AgencyRequest) -> date | None:
    """When rule 5 wants the answer back: its obligation's due date (the policy's working days)."""
    return _chase_state(request)[0]


def _chase_state(request: AgencyRequest) -> tuple[date | None, date | None]:
    """The request's due date and the day the sweep escalated its rule 5 obligation (None if not)."""
    if request.sent_event is None:
        return None, None
    row = Obligation.objects.filter(case_id=request.case_id, key=f"check-chase:{request.sent_event.seq}")\
        .values_list("due", "escalated_on").first()
    if row is not None:
        return row
    assert request.sent_on is not None
    days = active_policy().rule_settings("check-chase", request.sent_on)["return_working_days"]
    return add_working_days(request.sent_on, days), None


def chase_and_escalate(as_of: date) -> int:
    """Rule 5 in the requests' terms, run by the daily sweep after it escalated obligations: a request not
    answered by its due date is chased (email to the agency and the practitioner); once the sweep has
    escalated its obligation to the SPO, the agency is told it is escalated. Returns the emails sent.
    Requests already escalated have nothing left to send and are not read."""
    emails = 0
    open_requests = (AgencyRequest.objects.filter(status__in=["sent", "chased"], case__archived_at=None,
                                                  sent_on__lte=as_of, escalated_on=None)
                     .select_related("case", "case__practitioner", "sent_event"))
    for request in open_requests:
        due, escalated = _chase_state(request)
        if due is None or as_of < due:
            continue
        case = request.case
        with transaction.atomic():
            if request.chase_count == 0:
                request.status, request.chased_on, request.chase_count = "chased", as_of, 1
                request.save(update_fields=["status", "chased_on", "chase_count"])
                _audit("agency_request.chased", case, request, None, agency=request.agency)
                emails += notify.send(notify.agency_addresses(request.agency, request.area_id),
                                      f"request {request.ref} is due",
                                      f"Request {request.ref} was due an answer by {due:%d %B %Y}. Please answer it "
                                      "in your Safeguard queue.", kind="request_chased", ref=request.ref)
                emails += notify.send(notify.case_addresses(case, spo=False),
                                      f"request {request.ref} chased (case {case.ref})",
                                      f"Request {request.ref} on case {case.ref} has not been answered by "
                                      f"{due:%d %B %Y}: it has been chased.", kind="request_chased",
                                      case_ref=case.ref, ref=request.ref)
            if escalated is not None:
                request.escalated_on, request.chase_count = escalated, request.chase_count + 1
                request.save(update_fields=["escalated_on", "chase_count"])
                _audit("agency_request.escalated", case, request, None, agency=request.agency)
                emails += notify.send(notify.agency_addresses(request.agency, request.area_id),
                                      f"request {request.ref} is overdue and escalated",
                                      f"Request {request.ref} is overdue: a probation manager has been told. Please "
                                      "answer it in your Safeguard queue today.", kind="request_escalated",
                                      ref=request.ref)
    return emails


def response_days(sent_on: date | None, returned_on: date | None) -> int | None:
    if sent_on is None or returned_on is None:
        return None
    return working_days_between(sent_on, returned_on)


# -- MARAC and MAPPA --------------------------------------------------------------------------------------------
@transaction.atomic
def refer_to_marac(case: Case, *, dash_yes: int | None, escalation: bool, incidents: int | None, judgement: bool,
                   reasons: str, user: Any) -> MaracReferral:
    """A MARAC referral with the criteria met (SafeLives: visible high risk, potential escalation,
    professional judgement): a `marac_referred` event, which meets rule 17."""
    if judgement and not reasons.strip():
        raise AgencyError("Give the reasons for your professional judgement.")
    referral = MaracReferral(case=case, dash_yes=dash_yes, escalation=escalation, incidents=incidents,
                             judgement=judgement, judgement_reasons=reasons, referred_on=today(),
                             referred_by=_user(user))
    met = referral.criteria()
    if not met:
        raise AgencyError(f"No MARAC criterion is met: DASH needs {DASH_THRESHOLD} or more yes answers; otherwise "
                          "record potential escalation or your professional judgement with reasons.")
    reason = "Criteria met: " + "; ".join(met)
    if judgement:
        reason += f". Professional judgement: {reasons.strip()}"
    referral.referred_event = record_event(case, {"on": referral.referred_on.isoformat(), "type": "marac_referred",
                                                  "reason": _safe_for_log(case, reason)}, user=user)
    referral.save()
    _audit("marac.referred", case, referral, user)
    return referral


@transaction.atomic
def record_hearing(referral: MaracReferral, *, heard_on: date, outcome: str,
                   actions: list[tuple[str, str, date | None]], register_imar: bool, user: Any) -> MaracReferral:
    """The hearing: a `marac_heard` event with its actions (each tracked here to done), and the IMAR register."""
    if referral.heard_event_id is not None:
        raise AgencyError("The hearing for this referral is already recorded.")
    case = referral.case
    day = today()
    listed = "; ".join(f"{text} ({dict(MaracAction.OWNERS)[owner]})" for text, owner, _ in actions)
    referral.heard_event = record_event(case, {"on": day.isoformat(), "type": "marac_heard",
                                               "actions": _safe_for_log(case, listed or outcome)}, user=user)
    referral.heard_on, referral.outcome = heard_on, outcome
    for text, owner, due in actions:
        MaracAction.objects.create(referral=referral, text=text, owner=owner, due_on=due)
    if register_imar and not Registration.objects.filter(case=case, code="IMAR", deregistered_on=None).exists():
        referral.imar_event = record_event(case, {"on": day.isoformat(), "type": "registered", "code": "IMAR"},
                                           user=user)
    referral.save()
    _audit("marac.heard", referral.case, referral, user, count=len(actions))
    return referral


@transaction.atomic
def complete_action(action: MaracAction, *, user: Any) -> MaracAction:
    if action.done_on is None:
        action.done_on = today()
        action.save(update_fields=["done_on"])
        _audit("marac.action_done", action.referral.case, action, user)
    return action


def marac_action_status(action: MaracAction, day: date) -> str:
    """due, overdue or done: the same words as the case's obligations (an action with no date is due)."""
    if action.done_on is not None:
        return "done"
    return "overdue" if action.due_on is not None and action.due_on < day else "due"


def marac_obligations(case: Case, day: date | None = None) -> list[dict[str, Any]]:
    """The case's open MARAC actions in the shape of its obligations (kind, status, due, reason), to show beside
    them, as risk-plan actions are (safeguard.assessments.service.plan_obligations). They are stored here, not as
    engine obligations: the timeline's `marac_heard` carries the actions as one text, and the engine withdraws any
    stored obligation it did not derive from the event log. Probation's own actions come first."""
    day = day or today()
    owners = dict(MaracAction.OWNERS)
    rows = [{"kind": "marac_action", "rule": "marac-actions", "status": marac_action_status(a, day), "due": a.due_on,
             "opened": a.referral.heard_on, "owner": owners.get(a.owner, a.owner),
             "reason": f"MARAC action for {owners.get(a.owner, a.owner).lower()}", "action": a}
            for a in MaracAction.objects.filter(referral__case=case, done_on=None).select_related("referral")]
    return sorted(rows, key=lambda r: (r["action"].owner != "probation", r["due"] or date.max, r["action"].pk))


def remind_marac_actions(as_of: date) -> int:
    """Email the practitioner once about each MARAC action that probation owns and is overdue."""
    emails = 0
    overdue = MaracAction.objects.filter(done_on=None, reminded_on=None, due_on__lt=as_of, owner="probation",
                                         referral__case__archived_at=None).select_related("referral__case")
    for action in overdue:
        case = action.referral.case
        emails += notify.send(notify.case_addresses(case), f"MARAC action overdue (case {case.ref})",
                              f"A MARAC action owned by probation on case {case.ref} is overdue.",
                              kind="marac_action_overdue", case_ref=case.ref)
        action.reminded_on = as_of
        action.save(update_fields=["reminded_on"])
    return emails


@transaction.atomic
def record_mappa(case: Case, *, category: int, level: int, register: bool, user: Any) -> CaseEvent:
    day = today().isoformat()
    logged = record_event(case, {"on": day, "type": "mappa", "category": category, "level": level}, user=user)
    if register and not Registration.objects.filter(case=case, code="MAPP", deregistered_on=None).exists():
        record_event(case, {"on": day, "type": "registered", "code": "MAPP"}, user=user)
    return logged


# -- external controls and breaches ----------------------------------------------------------------------------
@transaction.atomic
def impose_control(case: Case, *, control: str, protects: list[LinkedPerson], until: date | None, terms: str,
                   made_by: str, reference: str, user: Any) -> Control:
    event: dict[str, Any] = {"on": today().isoformat(), "type": "control_imposed", "control": control,
                             "protects": sorted(p.ref for p in protects)}
    if until is not None:
        event["until"] = until.isoformat()
    record_event(case, event, user=user)
    imposed = Control.objects.filter(case=case).order_by("-id").first()
    assert imposed is not None
    ControlTerms.objects.create(control=imposed, terms=terms, made_by=made_by, reference=reference)
    _audit("control.imposed", case, imposed, user, kind=control)
    return imposed


@transaction.atomic
def report_breach(case: Case, *, control: str, occurred_on: date, description: str, reported_by: str,
                  user: Any) -> BreachReport:
    """Anyone's report of a breach: a `control_breached` event (rule 20: concern immediate until acted on) and,
    at once, email to the practitioner and their SPO."""
    event: dict[str, Any] = {"on": max(today(), occurred_on).isoformat(), "type": "control_breached",
                             "reported_by": reported_by}
    if control:
        event["control"] = control
    logged = record_event(case, event, user=user)
    report = BreachReport.objects.create(case=case, event=logged, control=control, occurred_on=occurred_on,
                                         reported_by=reported_by, reporter=_user(user), description=description)
    report.notified = notify.send(
        notify.case_addresses(case), f"URGENT: breach reported on case {case.ref}",
        f"A breach of a protective order or condition on case {case.ref} was reported ({report.ref}). Act on it "
        "today: record an enforcement decision and ask the police what they know.",
        kind="breach_reported", case_ref=case.ref, ref=report.ref)
    report.save(update_fields=["notified"])
    _audit("breach.reported", case, report, user, source=reported_by)
    return report


# -- Clare's Law -----------------------------------------------------------------------------------------------
def open_consideration(event: CaseEvent) -> DisclosureConsideration | None:
    """The consideration a `relationship_started` event needs (made once)."""
    person = LinkedPerson.objects.filter(case_id=event.case_id, ref=event.payload.get("ref")).first()
    if person is None:
        return None
    consideration, _ = DisclosureConsideration.objects.get_or_create(
        trigger=event, defaults={"case_id": event.case_id, "person": person, "opened_on": event.on})
    return consideration


def sync_considerations(case: Case) -> list[DisclosureConsideration]:
    have = set(DisclosureConsideration.objects.filter(case=case).values_list("trigger_id", flat=True))
    for event in CaseEvent.objects.filter(case=case, type="relationship_started").exclude(pk__in=have):
        open_consideration(event)
    return list(DisclosureConsideration.objects.filter(case=case).select_related("person"))


@transaction.atomic
def consider(item: DisclosureConsideration, *, police_consulted: bool | None, considerations: str,
             decision: str, reasons: str, user: Any) -> DisclosureConsideration:
    if item.outcome:
        raise AgencyError("The outcome of this consideration is already recorded.")
    if decision and not reasons.strip():
        raise AgencyError("Give the reasons for the decision.")
    day = today()
    item.considered_on, item.considered_by = item.considered_on or day, _user(user)
    item.police_consulted, item.considerations = police_consulted, considerations
    if decision:
        item.decision, item.reasons, item.decided_on, item.decided_by = decision, reasons, day, _user(user)
    item.save()
    _audit("disclosure.considered", item.case, item, user, outcome=decision)
    return item


@transaction.atomic
def record_disclosed(item: DisclosureConsideration, *, scheme: str, user: Any) -> DisclosureConsideration:
    """The police made the disclosure: a `disclosure` event to the new partner (rule 22 met)."""
    if item.decision != "disclose" or item.outcome:
        raise AgencyError("Record the decision to disclose first.")
    item.outcome_event = record_event(item.case, {"on": today().isoformat(), "type": "disclosure", "scheme": scheme,
                                                  "to": item.person.ref}, user=user)
    item.outcome = "disclosed"
    item.save(update_fields=["outcome_event", "outcome"])
    _audit("disclosure.disclosed", item.case, item, user, kind=scheme)
    return item


@transaction.atomic
def record_not_disclosed(item: DisclosureConsideration, *, user: Any) -> DisclosureConsideration:
    """The SPO confirms not disclosing: a manager decision about `disclosure_consideration` (rule 22 waived)."""
    staff = getattr(user, "staff", None)
    if item.decision != "not_disclose" or item.outcome:
        raise AgencyError("Record the decision not to disclose first.")
    if staff is None or staff.grade != "SPO":
        raise AgencyError("A senior probation officer must confirm a decision not to disclose.")
    item.outcome_event = record_event(item.case, {
        "on": today().isoformat(), "type": "manager_decision", "by": staff.code, "about": "disclosure_consideration",
        "decision": _safe_for_log(item.case, f"Not to disclose to {item.person.ref}: {item.reasons}")}, user=user)
    item.outcome = "manager_decision"
    item.save(update_fields=["outcome_event", "outcome"])
    _audit("disclosure.not_disclosed", item.case, item, user)
    return item
