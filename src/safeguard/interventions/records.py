"""What a programme event does to a place on a course. The projections of `referred` and `programme_*` events
(safeguard.actions.projections) apply it, so a programme event recorded anywhere (the service here, the
generic event form, the API, an import or a replay) leaves the same records."""

from __future__ import annotations

# How a programme event ends a place on a course (programme_started keeps it).
PLACE_OUTCOME = {"programme_completed": "completed", "programme_left": "left", "programme_cancelled": "cancelled"}
