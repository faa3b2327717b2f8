"""Names other modules and the CLI share, importable before Django is set up."""

SCOPES = ("read", "write_events", "partner_agency")
SCOPE_HELP = {
    "read": "read cases, linked people, events and obligations the token's user may see",
    "write_events": "post timeline events to cases the token's user may record on",
    "partner_agency": "the partner-agency queue: checks addressed to the user's agency, and returning them",
}

EVENT_RECORDED = "safeguard.event.recorded"
CHECK_REQUESTED = "safeguard.check.requested"
OBLIGATION_OVERDUE = "safeguard.obligation.overdue"
CONCERN_CHANGED = "safeguard.concern.changed"
EVENT_TYPES = (EVENT_RECORDED, CHECK_REQUESTED, OBLIGATION_OVERDUE, CONCERN_CHANGED)
