"""The insights and case-audit links for the service navigation (called from safeguard.web.context)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeguard.accounts.access import can_audit_cases, insight_scopes


def insights_nav(user: Any, path: str) -> list[dict[str, Any]]:
    items = []
    # Every level insight_scopes gives starts from the user's own staff record, team or unit, rows their foreign
    # keys keep: a level that is not empty has a row, so no query is needed to know (once on every page).
    if any(not rows.query.is_empty() for rows in insight_scopes(user).values()):
        items.append({"href": reverse("insights_web:dashboard"), "text": "Insights",
                      "active": path.startswith("/insights/")})
    if can_audit_cases(user):
        items.append({"href": reverse("insights_web:audit-samples"), "text": "Case audit",
                      "active": path.startswith("/audit-sample/")})
    return items
