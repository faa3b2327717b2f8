"""Prometheus metrics at /metrics: request latency, obligations by status, the sweep's duration and lag.

Under gunicorn (`safeguard serve`) each worker is a process: PROMETHEUS_MULTIPROC_DIR is set, and the
request histogram is aggregated across workers by prometheus_client's multiprocess collector. The database
figures are read when scraped (cheap, indexed counts: open obligations only, the sweep's backlog).

/metrics answers only requests from the loopback address (a sidecar or node agent scraping locally), or
ones carrying `Authorization: Bearer <SAFEGUARD_METRICS_TOKEN>`; to anyone else it does not exist (404).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator
from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)
REQUEST_SECONDS = Histogram(
    "safeguard_request_seconds", "Time to serve a request (server side), by route pattern",
    ["method", "route", "status"], registry=REGISTRY,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SWEEP_SECONDS = Histogram("safeguard_sweep_seconds", "Duration of sweeps run in this process",
                          registry=REGISTRY, buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800))
SWEEP_FUNC = "safeguard.oversight.sweep.scheduled_sweep"


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    if route == "metrics":
        return
    REQUEST_SECONDS.labels(method=method, route=route, status=f"{status // 100}xx").observe(seconds)


class DatabaseCollector(Collector):
    """Figures read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count, Min
        from django.utils import timezone

        from safeguard.cases.models import Case
        from safeguard.oversight.models import OPEN, Obligation

        obligations = GaugeMetricFamily("safeguard_obligations", "Open obligations by status", labels=["status"])
        counts = dict(Obligation.objects.filter(status__in=OPEN, case__archived_at=None)
                      .values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        for status in OPEN:
            obligations.add_metric([status], counts.get(status, 0))
        yield obligations

        today = timezone.localdate()
        behind = (Case.objects.filter(archived_at=None, wake_on__lt=today)
                  .aggregate(n=Count("id"), oldest=Min("wake_on")))
        yield GaugeMetricFamily("safeguard_sweep_backlog_cases",
                                "Cases whose re-evaluation day has passed without a sweep", value=behind["n"])
        oldest: date | None = behind["oldest"]
        yield GaugeMetricFamily("safeguard_sweep_lag_days", "Days since the oldest missed re-evaluation day",
                                value=(today - oldest).days if oldest else 0)
        try:
            from django_q.models import Task

            last = (Task.objects.filter(func=SWEEP_FUNC, success=True).order_by("-stopped")
                    .values_list("started", "stopped").first())
        except Exception:  # django-q's tables missing: report no sweep
            last = None
        if last is not None:
            started, stopped = last
            yield GaugeMetricFamily("safeguard_sweep_last_duration_seconds", "Duration of the last scheduled sweep",
                                    value=(stopped - started).total_seconds())
            yield GaugeMetricFamily("safeguard_sweep_last_run_age_seconds", "Seconds since the last scheduled sweep "
                                    "finished", value=(timezone.now() - stopped).total_seconds())


def allowed(request: HttpRequest) -> bool:
    token = os.environ.get("SAFEGUARD_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if request.headers.get("X-Forwarded-For"):  # came through a proxy: not a local scrape
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@require_safe
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponseNotFound()
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Local())
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _Local(Collector):
    def collect(self):  # type: ignore[no-untyped-def]
        yield from REGISTRY.collect()
