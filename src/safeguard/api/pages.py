"""A page for administrators: webhook subscriptions, recent deliveries and failures, and each delivery's log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguard.accounts.access import role_of
from safeguard.api.models import OutboxEvent, WebhookDelivery, WebhookSubscription

STATUSES = ("pending", "delivered", "failed")


def is_admin(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role_of(user) == "admin"


@require_safe
@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    rows = WebhookDelivery.objects.select_related("event", "subscription").prefetch_related("log")
    if status in STATUSES:
        rows = rows.filter(status=status)
    subscriptions = WebhookSubscription.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status="pending")),
        delivered=Count("deliveries", filter=Q(deliveries__status="delivered")),
        failed=Count("deliveries", filter=Q(deliveries__status="failed")),
    )
    return render(request, "api/deliveries.html", {
        "subscriptions": subscriptions, "deliveries": rows[:200], "status": status, "statuses": STATUSES,
        "undispatched": OutboxEvent.objects.filter(dispatched_at=None).count(),
    })
