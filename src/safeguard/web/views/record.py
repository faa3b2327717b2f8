"""Recording events: the menu of every event type, and one generated form per type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.accounts.access import MANAGER_EVENTS, can_record, can_record_event, recordable_event_types
from safeguard.actions import ConflictError
from safeguard.cases.models import Case, CaseEvent
from safeguard.timeline import schema
from safeguard.timeline.validate import TimelineError
from safeguard.web import labels, queries
from safeguard.web.eventforms import EventForm, new_token
from safeguard.web.recording import Saved, record_once

CONFLICT = ("Someone else recorded something on this case after you opened this form. Nothing has been saved. "
            "Check what changed, below, then save again if what you entered is still right.")
EXPIRED = "This form has expired. Nothing has been saved. Open it again from the case page."


def _recordable_case(request: HttpRequest, ref: str, event_type: str | None = None) -> Case:
    case = queries.visible_case(request.user, ref)
    if case is None:
        raise Http404("No such case")
    if not can_record(request.user, case):
        raise PermissionDenied("You cannot record on this case: it is held by another practitioner")
    if event_type is not None and not can_record_event(request.user, case, event_type):
        raise PermissionDenied("Only a senior probation officer can record this, in their own name")
    return case


@require_safe
@login_required
def record_menu(request: HttpRequest, ref: str) -> HttpResponse:
    case = _recordable_case(request, ref)
    allowed = recordable_event_types(request.user, case, schema.EVENTS)
    groups = [(title, [(t, labels.event_title(t)) for t in types if t in allowed])
              for title, types in labels.EVENT_GROUPS]
    listed = {t for _, types in labels.EVENT_GROUPS for t in types}
    others = [(t, labels.event_title(t)) for t in allowed if t not in listed]
    if others:
        groups.append(("Other", others))
    return render(request, "web/record_menu.html", {"case": case, "groups": groups})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def record(request: HttpRequest, ref: str, event_type: str) -> HttpResponse:
    if event_type not in schema.EVENTS:
        raise Http404("No such event type")
    case = _recordable_case(request, ref, event_type)
    return record_page(request, case, event_type)


def record_page(request: HttpRequest, case: Case, event_type: str, *, prefill: dict[str, Any] | None = None,
                then: Callable[[CaseEvent], None] | None = None, extra: dict[str, Any] | None = None) -> HttpResponse:
    """The form for one event type on a case the user may record on, and saving it. `prefill` fills in answers
    (from initial_from_event: the person still checks them and saves); `then(event)` runs in the transaction
    that saves the event; `extra` is added to the page's context."""
    options = queries.choices_for(case, request.user, only_me=event_type in MANAGER_EVENTS)
    changes: list[Any] = []
    if request.method == "POST":
        form = EventForm(event_type, options, data=request.POST)
        form.guard(request.user, case)
        if form.is_valid():
            try:
                saved = record_once(case, form.to_event(), user=request.user, token=form.cleaned_data["form_token"],
                                    expected_version=form.cleaned_data["version"], then=then)
            except ConflictError:
                changes = list(case.events.filter(seq__gt=form.cleaned_data["seen_seq"]).order_by("seq"))
                form = _refreshed(event_type, options, case, request.POST)
                form.add_error(None, CONFLICT)
            except TimelineError as exc:
                form.add_timeline_error(exc)
            except IntegrityError:
                form.add_error(None, EXPIRED)
            else:
                _remember(request, case, event_type, saved)
                return redirect("case", ref=case.ref)
    else:
        form = EventForm(event_type, options, initial={**_initial(event_type, case, request.GET), **(prefill or {})})
    context = {
        "case": case,
        "form": form,
        "event_type": event_type,
        "title": labels.event_title(event_type),
        "intro": labels.EVENTS[event_type].hint if event_type in labels.EVENTS else "",
        "changes": changes,
        **queries.form_context(event_type, case),
        **(extra or {}),
    }
    return render(request, "web/record.html", context, status=200 if not form.errors else 400)


def _initial(event_type: str, case: Case, params: QueryDict) -> dict[str, Any]:
    """A new form: today's date, the case's version as the user sees it, a one-time token, and any
    choices the link that led here suggests (e.g. ?agency=police from an obligation's action link)."""
    initial: dict[str, Any] = {"on": queries.today(), "form_token": new_token(), "version": case.version,
                               "seen_seq": case.events.order_by("-seq").values_list("seq", flat=True).first() or 0}
    for name, spec in schema.EVENTS[event_type].items():
        value = params.get(name)
        if value is not None and spec.kind == "enum" and value in spec.choices:
            initial[name] = value
    return initial


def _refreshed(event_type: str, options: Any, case: Case, data: QueryDict) -> EventForm:
    """The user's answers again, now against the case as it is: saving once more records them."""
    case.refresh_from_db(fields=["version"])
    fresh = data.copy()
    fresh["version"] = str(case.version)
    fresh["seen_seq"] = str(case.events.order_by("-seq").values_list("seq", flat=True).first() or 0)
    form = EventForm(event_type, options, data=fresh)
    form.is_valid()
    return form


def _remember(request: HttpRequest, case: Case, event_type: str, saved: Saved) -> None:
    """What the case page says next: what was saved and what it changed in the case's obligations."""
    request.session[f"web.saved.{case.pk}"] = {
        "title": ("This was already saved" if saved.duplicate
                  else f"{labels.event_past(event_type)} recorded"),
        "duplicate": saved.duplicate,
        "met": [labels.obligation_label(o.kind) for o in saved.met],
        "raised": [(labels.obligation_label(o.kind), f"{o.due.day} {o.due:%B %Y}") for o in saved.raised],
    }
