"""Navigation shown on every page (a context processor)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from safeguard.accounts.access import teams_overseen


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    path = request.path
    items = [{"href": reverse("caseload"), "text": "Caseload", "active": path.startswith("/caseload")
              or path.startswith("/cases/")}]
    if teams_overseen(user).exists():
        items.append({"href": reverse("team"), "text": "Team", "active": path.startswith("/team")})
    staff = getattr(user, "staff", None)
    return {"nav": items, "who": (staff.name if staff is not None and staff.name else user.get_username())}
