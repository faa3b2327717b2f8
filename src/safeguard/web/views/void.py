"""Marking an event of a case as entered in error: the case's SPO (whoever may record a manager decision on it)
confirms, with a reason. Access: accounts.access.can_void_event (404 for anyone who cannot see the case, 403 for
those who can but may not void); the change through safeguard.actions.voids, which validates and audits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguard.accounts.access import can_void_event
from safeguard.actions import ConflictError
from safeguard.actions.voids import NoSuchEvent, VoidError, void_event
from safeguard.cases.models import CaseEvent
from safeguard.web import queries
from safeguard.web.eventforms import VoidForm


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def void_page(request: HttpRequest, ref: str, seq: int) -> HttpResponse:
    case = queries.visible_case(request.user, ref)
    if case is None:
        raise Http404("No such case")
    if not can_void_event(request.user, case):
        raise PermissionDenied("Only the case's senior probation officer can mark an event as entered in error")
    event = CaseEvent.objects.filter(case=case, seq=seq).select_related("void__voided_by__staff").first()
    if event is None:
        raise Http404("No such event")
    errors: list[tuple[str, str]] = []
    form = VoidForm(request.POST if request.method == "POST" else None)
    form.guard(request.user, case)
    if request.method == "POST" and not form.is_valid():  # a never-disclose value: shown again, redacted
        errors += [(f"#{name}", str(m)) for name, messages in form.errors.items() for m in messages]
    elif request.method == "POST":
        version = request.POST.get("version", "")
        try:
            void_event(case, seq, reason=form.cleaned_data["reason"], user=request.user,
                       expected_version=int(version) if version.isdigit() else None)
        except NoSuchEvent:
            raise Http404("No such event") from None
        except VoidError as error:
            errors.append((f"#{error.field}", error.message))
        except ConflictError:
            errors.append(("#reason", "The case changed since you opened this page: check the event and confirm "
                                      "again"))
            case.refresh_from_db()
        else:
            return redirect(f"{reverse('case', args=[case.ref])}?timeline=all#event-{seq}")
    return render(request, "web/void.html", {"case": case, "event": event, "errors": errors,
                                            "reason": form.data.get("reason", "")},
                  status=400 if errors else 200)
