"""What a programme event does to a referral's history and its place on a course.

Called only by the projections of `referred` and `programme_*` events (safeguard.actions.projections),
inside record_event's transaction, so a programme event recorded anywhere (the service here, the
generic event form, the API, an import or a replay) leaves the same records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeguard.interventions.models import Enrolment, ReferralTransition

if TYPE_CHECKING:
    from safeguard.cases.models import CaseEvent
    from safeguard.practice.models import Referral

# How a programme event ends a place on a course (programme_started keeps it).
PLACE_OUTCOME = {"programme_completed": "completed", "programme_left": "left", "programme_cancelled": "cancelled"}


def follow_event(referral: Referral, event: CaseEvent, from_status: str) -> None:
    """Record the change the event made (from `from_status` to the referral's new status), and end the
    referral's place on a course when the event ends it."""
    data = event.payload
    ReferralTransition.objects.create(
        referral=referral, from_status=from_status, to_status=referral.status, on=event.on,
        reason=str(data.get("reason") or data.get("by") or ""), event=event, by=event.recorded_by,
    )
    outcome = PLACE_OUTCOME.get(event.type)
    if outcome is not None:
        Enrolment.objects.filter(referral=referral, outcome="").update(outcome=outcome, ended_on=event.on)
