"""The links from a case page to the case's other pages, each shown only to those its page admits."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeguard.accounts.access import (
    can_restrict,
    can_see_case_access_log,
    can_see_victims,
    role_of,
    teams_overseen,
)

STAFF_ROLES = frozenset({"practitioner", "spo", "head", "qa"})


def case_links(user: Any, case: Any) -> list[dict[str, str]]:
    """Each link: href, text and a one-line hint. Access is still checked by each page itself."""
    links = [
        {"href": reverse("assessment-list", args=[case.ref]), "text": "Risk assessments",
         "hint": "Drafts, countersigning, versions, PDF and MARAC referral"},
        {"href": reverse("agencies:case", args=[case.ref]), "text": "Partner agencies, MARAC and controls",
         "hint": "Police and children's services requests, MARAC, MAPPA, orders and breaches"},
    ]
    if can_see_victims(user, case):
        links.append({"href": reverse("victims:case", args=[case.ref]), "text": "Victims' safety records",
                      "hint": "Contact details, safety plans and the workers supporting them"})
    if role_of(user) in STAFF_ROLES:
        links.append({"href": reverse("interventions-case", args=[case.ref]), "text": "Programmes",
                      "hint": "Eligibility, referrals and waiting time"})
    if teams_overseen(user).exists():
        links.append({"href": reverse("workforce-allocate", args=[case.ref]), "text": "Allocate",
                      "hint": "Who in the team fits this case, and their capacity"})
    if can_see_case_access_log(user, case):
        links.append({"href": reverse("case-access-log", args=[case.ref]), "text": "Who looked at this case",
                      "hint": "Every opening and change of the case, newest first"})
    if can_restrict(user, case):
        links.append({"href": reverse("case-restriction", args=[case.ref]), "text": "Restrict access",
                      "hint": "Keep named staff out of this case, or open it only to named staff"})
    return links
