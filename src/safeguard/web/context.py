"""Navigation shown on every page (a context processor)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from safeguard.accounts.access import role_of, teams_overseen
from safeguard.insights_web.nav import insights_nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    path = request.path
    role = role_of(user)
    oversees = teams_overseen(user).exists()  # asked once: it decides two items
    items = [{"href": reverse("caseload"), "text": "Caseload", "active": path.startswith("/caseload")
              or path.startswith("/cases/")}]
    if oversees:
        items.append({"href": reverse("team"), "text": "Team", "active": path.startswith("/team")})
    items.append({"href": reverse("agencies:index"), "text": "Partner agencies",
                  "active": path.startswith("/agencies/")})
    if role in {"victim_worker", "practitioner", "spo"}:
        items.append({"href": reverse("victims:list"), "text": "Victims", "active": path.startswith("/victims/")})
    if role in {"practitioner", "spo", "head", "qa"}:
        items.append({"href": reverse("interventions-queue"), "text": "Programmes",
                      "active": path.startswith("/interventions/")})
    if oversees:
        items.append({"href": reverse("workforce-capacity"), "text": "Team capacity",
                      "active": path.startswith("/workforce/")})
    items += insights_nav(user, path)
    staff = getattr(user, "staff", None)
    return {"nav": items, "who": (staff.name if staff is not None and staff.name else user.get_username())}
