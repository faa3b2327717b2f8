"""Keeping agency requests and Clare's Law considerations in step with the case record, whatever recorded
it (these pages, the event form, the API, an import), and the sweep's daily chasing."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from safeguard.actions.rows import Recording
from safeguard.cases.models import CaseEvent
from safeguard.practice.models import AgencyCheck

# The events that may use partner agencies' answers: an assessment or review naming them among its sources.
USES_ANSWERS = frozenset({"assessed", "reviewed"})


def named_sources(payload: dict[str, Any]) -> list[str]:
    """The sources an assessment's or review's payload names."""
    return [source for source in payload.get("sources") or [] if isinstance(source, str)]


def answers_waiting(events: list[dict[str, Any]]) -> dict[int, frozenset[str]]:
    """For a case recorded whole (the import: its only answers are its own events'), by the seq of each
    assessment or review, the agencies it names that answered since the last event naming them (which used
    what came before): Recording.answers_waiting."""
    answered: set[str] = set()
    waiting: dict[int, frozenset[str]] = {}
    for seq, event in enumerate(events, start=1):
        if event.get("type") == "check_returned":
            answered.add(str(event.get("agency")))
        elif event.get("type") in USES_ANSWERS:
            sources = set(named_sources(event))
            waiting[seq] = frozenset(answered & sources)
            answered -= sources
    return waiting


def _latest(check: AgencyCheck, event_type: str, recording: Recording | None) -> int | None:
    """The id of the event that made or answered `check`: the one being recorded, when the writer says which;
    else the newest of its type (the projection runs after the event row is written)."""
    if recording is not None and recording.event_id is not None:
        return recording.event_id
    return CaseEvent.objects.filter(case_id=check.case_id, type=event_type).order_by("-seq") \
        .values_list("pk", flat=True).first()


def check_saved(sender: Any, instance: AgencyCheck, created: bool, raw: bool = False,
                recording: Recording | None = None, **kwargs: Any) -> None:
    """An AgencyCheck made or answered: its request record follows (made for checks recorded elsewhere)."""
    if raw:
        return
    from safeguard.agencies.actions import response_days, sending
    from safeguard.agencies.models import AgencyRequest

    # A check saved for the first time has no request pointing to it yet.
    request = None if created else AgencyRequest.objects.filter(agency_check=instance).first()
    if request is None and created:
        draft = sending.get()
        if draft is not None and draft.case_id == instance.case_id and draft.agency == instance.agency \
                and draft.agency_check_id is None:
            request = draft
        else:
            request = AgencyRequest(case_id=instance.case_id, agency=instance.agency,
                                    area_id=instance.case.unit_id)
        request.agency_check = instance
        if instance.requested_on is not None:
            request.status, request.sent_on = "sent", instance.requested_on
            if request.sent_event_id is None:
                request.sent_event_id = _latest(instance, "check_requested", recording)
        request.save()
    if request is None:
        return
    if instance.returned_on is not None and request.returned_on is None:
        request.returned_on = instance.returned_on
        request.returned_event_id = _latest(instance, "check_returned", recording)
        request.response_working_days = response_days(request.sent_on, request.returned_on)
        request.callouts = instance.callouts
        request.summary = request.summary or instance.summary
        if request.status != "used":
            request.status = "returned"
        request.save()


def event_saved(sender: Any, instance: CaseEvent, created: bool, raw: bool = False,
                recording: Recording | None = None, **kwargs: Any) -> None:
    """A new partner: open the Clare's Law disclosure consideration. A move to another area: draft the checks
    to the new area's police and children's social care (rule 25; they also answer rule 14's). An assessment
    or review naming its sources: mark the case's answered requests from those agencies used (not looked for
    when the writer knows none can be waiting: Recording.answers_waiting)."""
    if raw or not created:
        return
    if instance.type in USES_ANSWERS:
        from safeguard.agencies.actions import link_uses

        waiting = recording.answers_waiting if recording is not None else None
        if waiting is not None and not waiting.get(instance.seq):
            return

        link_uses(instance)
    elif instance.type == "relationship_started":
        from safeguard.agencies.actions import open_consideration

        open_consideration(instance)
    elif instance.type == "transferred" and instance.payload.get("area_changed"):
        from safeguard.agencies.actions import draft_area_checks

        draft_area_checks(instance)


def after_sweep(sender: Any, as_of: Any, result: Any = None, **kwargs: Any) -> None:
    from safeguard.agencies.actions import chase_and_escalate, remind_marac_actions

    emails = chase_and_escalate(as_of) + remind_marac_actions(as_of)
    if result is not None:
        result.emails += emails


def connect() -> None:
    post_save.connect(check_saved, sender=AgencyCheck, dispatch_uid="agencies.check_saved")
    post_save.connect(event_saved, sender=CaseEvent, dispatch_uid="agencies.event_saved")
    from safeguard.oversight import sweep

    signal = getattr(sweep, "swept", None)
    if signal is not None:
        signal.connect(after_sweep, dispatch_uid="agencies.after_sweep")
