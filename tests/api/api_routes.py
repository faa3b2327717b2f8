"""Every route under /api/v1/ with its parameters filled in from the tests' world (for tests that walk them all)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import URLPattern

from safeguard.agencies.models import AgencyRequest
from safeguard.api import urls as api_urls
from safeguard.oversight.models import Obligation


def api_paths(world: Any) -> list[tuple[str, bool]]:
    """Every route under /api/v1/ with its parameters filled in, and whether it is for partner agencies."""
    from safeguard.practice.models import AgencyCheck
    from safeguard.victims.actions import ensure_records

    record = ensure_records(world.case)[0]
    obligation = Obligation.objects.filter(case=world.case).first()
    values = {"ref": world.case.ref, "seq": "1", "measure": "police-checks",
              "pk": str(obligation.pk if obligation else 1)}
    found = []
    for pattern in api_urls.v1:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route.startswith(("schema", "docs")):
            continue
        name = pattern.name or ""
        pk = values["pk"]
        if name.startswith("api-check"):
            pk = str(AgencyCheck.objects.filter(case=world.case).first().pk)  # type: ignore[union-attr]
        elif name.startswith("api-request"):
            pk = str(AgencyRequest.objects.filter(case=world.case).first().pk)  # type: ignore[union-attr]
        elif name.startswith("api-victim"):
            pk = str(record.pk)
        filled = {**values, "pk": pk}
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: filled[m.group(1)], route)  # noqa: B023 (used at once)
        found.append((f"/api/v1/{path}", name.startswith(("api-check", "api-request"))))
    return found
