"""Saving a form's event exactly once, against the version of the case the user was looking at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from safeguard.actions import ConflictError, record_event
from safeguard.cases.models import Case, CaseEvent
from safeguard.oversight.models import OPEN, Obligation
from safeguard.web.models import SubmittedForm


@dataclass
class Saved:
    event: CaseEvent
    duplicate: bool = False  # the same form was already saved: nothing new was written
    met: list[Obligation] = field(default_factory=list)  # obligations this event discharged
    raised: list[Obligation] = field(default_factory=list)  # obligations that opened because of it


def record_once(case: Case, event: dict[str, Any], *, user: Any, token: str, expected_version: int,
                then: Callable[[CaseEvent], None] | None = None) -> Saved:
    """Record `event` through record_event unless this form token was used already. `then(event)`, when
    given, runs in the same transaction (to record what saving this form confirmed).

    Raises ConflictError (nothing written) when the case changed since `expected_version`, and
    TimelineError when record_event refuses the event.
    """
    previous = _already(token, user, case)
    if previous is not None:
        return previous
    before = set(Obligation.objects.filter(case=case, status__in=OPEN).values_list("key", flat=True))
    try:
        with transaction.atomic():
            logged = record_event(case, event, user=user, source="web", expected_version=expected_version)
            SubmittedForm.objects.create(token=token, user=user, case=case, event=logged)
            if then is not None:
                then(logged)
    except (ConflictError, IntegrityError):
        # Two posts of one form racing: the second waits for the first, then finds the case changed.
        previous = _already(token, user, case)
        if previous is not None:
            return previous
        raise
    after = Obligation.objects.filter(case=case)
    return Saved(event=logged, met=list(after.filter(closed_by=logged, status__in=("done", "waived"))),
                 raised=list(after.filter(status__in=OPEN).exclude(key__in=before).order_by("due")))


def _already(token: str, user: Any, case: Case) -> Saved | None:
    done = SubmittedForm.objects.filter(token=token, user=user, case=case).select_related("event").first()
    return Saved(event=done.event, duplicate=True) if done is not None else None
