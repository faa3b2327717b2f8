"""Names other modules and the CLI share, importable before Django is set up."""

SCOPES = ("read", "write_events", "partner_agency", "victims", "create_cases")
SCOPE_HELP = {
    "read": "read cases, linked people, events, obligations and measures the token's user may see",
    "write_events": "post timeline events to cases the token's user may record on",
    "partner_agency": "the partner-agency queue: requests addressed to the user's agency and area, and answering them",
    "victims": "victims' and children's safety records the token's user may see (never-disclose details withheld)",
    "create_cases": "create cases (integration accounts, in their own delivery unit)",
}

EVENT_RECORDED = "safeguard.event.recorded"
EVENT_VOIDED = "safeguard.event.voided"
CHECK_REQUESTED = "safeguard.check.requested"
OBLIGATION_OVERDUE = "safeguard.obligation.overdue"
CONCERN_CHANGED = "safeguard.concern.changed"
EVENT_TYPES = (EVENT_RECORDED, EVENT_VOIDED, CHECK_REQUESTED, OBLIGATION_OVERDUE, CONCERN_CHANGED)
