"""The insights and case-audit links for the service navigation (called from safeguard.web.context)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeguard.accounts.access import can_audit_cases, insight_scopes


def insights_nav(user: Any, path: str) -> list[dict[str, Any]]:
    items = []
    if any(rows.exists() for rows in insight_scopes(user).values()):
        items.append({"href": reverse("insights_web:dashboard"), "text": "Insights",
                      "active": path.startswith("/insights/")})
    if can_audit_cases(user):
        items.append({"href": reverse("insights_web:audit-samples"), "text": "Case audit",
                      "active": path.startswith("/audit-sample/")})
    return items
