"""Email through Django's email backend (the console in the demo). References only: a request's REQ- number,
a case's ref, a breach's BR- number; never a name, an address, a date of birth or anything typed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.oversight.sweep import spo_for

ROLES_OF_AGENCY = {"police": "police", "childrens_services": "csc"}


def agency_addresses(agency: str, area_id: int) -> list[str]:
    """Every active partner-agency user of `agency` in the area, with an email address."""
    users = get_user_model().objects.filter(is_active=True, profile__role=ROLES_OF_AGENCY[agency],
                                            profile__unit_id=area_id).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def case_addresses(case: Case, *, spo: bool = True) -> list[str]:
    """The case's practitioner and (with `spo`) the SPO of the practitioner's team."""
    people: list[Any] = [case.practitioner]
    if spo and case.practitioner is not None:
        people.append(spo_for(case))
    emails = {s.user.email for s in people if s is not None and s.user is not None and s.user.email}
    return sorted(emails)


def send(to: list[str], subject: str, body: str, *, kind: str, case_ref: str = "", ref: str = "") -> int:
    if not to:
        return 0
    send_mail(f"Safeguard: {subject}", body + "\n\nSign in to Safeguard to see the details.", None, to)
    write_audit("notification.sent", case_ref=case_ref, object_type="email", detail={"kind": kind, "count": len(to),
                                                                                      "ref": ref})
    return 1
