"""The risk management plan's open actions on the case page: `{% risk_plan_actions case %}`."""

from __future__ import annotations

from typing import Any

from django import template

from safeguard.accounts.access import can_record
from safeguard.assessments import service
from safeguard.victims.redaction import page_values, scrub

register = template.Library()


@register.inclusion_tag("assessments/_case_plan.html", takes_context=True)
def risk_plan_actions(context: Any, case: Any) -> dict[str, Any]:
    user = context["user"]
    rows = service.plan_obligations(case)
    values = page_values(context, case) if rows else []
    # Plan actions are free text: a refuge address typed into one is withheld as on every other page.
    actions = [{**row, "text": scrub(row["action"].action, case=case, user=user, channel="page", values=values),
                "owner": row["action"].owner} for row in rows]
    return {"case": case, "actions": actions, "can_record": can_record(user, case)}
