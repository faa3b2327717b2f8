"""Every change to a case goes through these functions, whatever the entry point (web, API, import, replay).

    create_case(...)        a new person on probation
    record_event(case, ev)  any timeline event: validate, append to the log, update the records,
                            audit, re-evaluate obligations, all in one transaction
"""

from safeguard.actions.cases import create_case, ensure_staff, ensure_team, ensure_unit, name_people
from safeguard.actions.events import ConflictError, record_event

__all__ = ["ConflictError", "create_case", "ensure_staff", "ensure_team", "ensure_unit", "name_people",
           "record_event"]
