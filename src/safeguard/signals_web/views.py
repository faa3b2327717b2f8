"""Confirming a suggestion (the matching event form, pre-filled) and dismissing one (saying why). Thin: access
from Case.objects.visible_to and accounts.access, the event through the web app's form and record_event."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.accounts.access import can_record, can_record_event
from safeguard.cases.models import Case, CaseEvent
from safeguard.signals_web import service
from safeguard.signals_web.models import DISMISS_REASONS
from safeguard.victims.forms import NeverDiscloseMixin
from safeguard.web import queries
from safeguard.web.eventforms import initial_from_event
from safeguard.web.views.record import record_page

GONE = "No such suggestion: it may have been recorded or dismissed already"


def _open(request: HttpRequest, ref: str, seq: int) -> tuple[Case, service.Suggestion]:
    case = queries.visible_case(request.user, ref)
    if case is None:
        raise Http404("No such case")
    if not can_record(request.user, case):
        raise PermissionDenied("Only the case's practitioner or their senior probation officer can act on this")
    suggestion = service.find_open(case, seq, request.GET.get("kind", ""))
    if suggestion is None:
        raise Http404(GONE)
    return case, suggestion


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def confirm(request: HttpRequest, ref: str, seq: int) -> HttpResponse:
    """The event form the suggestion names, pre-filled; saving it records the event and the confirmation in one
    transaction."""
    case, suggestion = _open(request, ref, seq)
    event_type = suggestion.event_type
    if not can_record_event(request.user, case, event_type):
        raise PermissionDenied("Only a senior probation officer can record this, in their own name")

    def confirmed(recorded: CaseEvent) -> None:
        service.confirm(suggestion, recorded, user=request.user)

    prefill = initial_from_event(event_type, suggestion.details["event"])
    return record_page(request, case, event_type, prefill=prefill, then=confirmed,
                       extra={"intro_template": "signals_web/_evidence.html", "suggestion": suggestion})


class DismissForm(NeverDiscloseMixin, forms.Form):
    reason = forms.ChoiceField(choices=DISMISS_REASONS, error_messages={
        "required": "Select why this is not new information to record", "invalid_choice": "Select a reason"})
    reason_text = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == "other" and not str(cleaned.get("reason_text", "")).strip():
            self.add_error("reason_text", "Say why you are dismissing it")
        return cleaned


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def dismiss(request: HttpRequest, ref: str, seq: int) -> HttpResponse:
    case, suggestion = _open(request, ref, seq)
    form = DismissForm(request.POST if request.method == "POST" else None)
    form.guard(request.user, case)
    if request.method == "POST" and form.is_valid():
        service.dismiss(suggestion, user=request.user, reason=form.cleaned_data["reason"],
                        reason_text=form.cleaned_data["reason_text"])
        request.session[f"web.saved.{case.pk}"] = {"title": "Suggestion dismissed", "duplicate": False, "met": [],
                                                   "raised": []}
        return redirect("case", ref=case.ref)
    errors = [(f"#{'reason' if name == 'reason' else 'reason_text'}", str(e))
              for name, errs in form.errors.items() for e in errs]
    return render(request, "signals_web/dismiss.html", {
        "case": case, "suggestion": suggestion, "form": form, "errors": errors, "reasons": DISMISS_REASONS,
    }, status=400 if errors else 200)
