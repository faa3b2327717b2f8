"""The MARAC's open actions on the case page's "What needs doing": `{% marac_actions case %}`."""

from __future__ import annotations

from typing import Any

from django import template

from safeguard.accounts.access import can_record
from safeguard.agencies.actions import marac_obligations
from safeguard.victims.redaction import page_values, scrub

register = template.Library()


@register.inclusion_tag("agencies/_case_marac_actions.html", takes_context=True)
def marac_actions(context: Any, case: Any) -> dict[str, Any]:
    user = context["user"]
    rows = marac_obligations(case)
    values = page_values(context, case) if rows else []
    # MARAC actions are free text: a refuge address typed into one is withheld as on every other page.
    shown = [{**row, "text": scrub(row["action"].text, case=case, user=user, channel="page", values=values)}
             for row in rows]
    return {"case": case, "rows": shown, "can_record": can_record(user, case)}
