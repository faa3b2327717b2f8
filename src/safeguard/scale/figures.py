"""Each benchmark figure, run in a process of its own against DATABASE_URL (so its memory peak is its own):

    python -m safeguard.scale.figures NAME '{"json": "arguments"}'

prints one JSON object: the figure's numbers and `peak_rss_mb` (the process's maximum resident set).
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

FIGURES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def figure(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    FIGURES[fn.__name__] = fn
    return fn


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def peak_rss_mb() -> float:
    """The peak resident memory of this process or of the largest of its child processes (a sweep's workers)."""
    return round(max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
                 / 1024, 1)


def _as_of(args: dict[str, Any]) -> date:
    return date.fromisoformat(args["as_of"])


def _renamed_timelines(count: int, seed: int, day: date, prefix: str) -> list[dict[str, Any]]:
    """`count` synthetic timelines (as timeline documents) whose cases are named prefix000000, prefix000001, …:
    new refs, so importing them makes new cases."""
    from safeguard.demo.synth import generate_national

    _, cases = generate_national(count, seed, day)
    documents = []
    for i, synthetic in enumerate(cases):
        doc = json.loads(json.dumps(synthetic.timeline))
        doc["case"]["ref"] = f"{prefix}{i:06d}"
        documents.append(doc)
    return documents


# -- the figures -----------------------------------------------------------------------------------------
@figure
def calibration(args: dict[str, Any]) -> dict[str, Any]:
    """How fast this machine runs plain Python at the moment, for reading the other figures: the policy engine
    alone (no database) on the same 300 synthetic cases each time, the median of five runs, in cases per CPU-second. The
    machines are shared virtual machines: the same work has run at 864 and 1,217 cases per CPU-second a minute
    apart."""
    from safeguard.actions.projections import event_data
    from safeguard.demo.synth import generate_national
    from safeguard.oversight.service import active_policy
    from safeguard.policy.engine import evaluate
    from safeguard.policy.facts import CaseFacts, Event, StaffMember
    from safeguard.timeline.validate import parse_on

    day = _as_of(args)
    _, cases = generate_national(args.get("cases", 300), 99, day)
    facts = []
    for synthetic in cases:
        timeline = synthetic.timeline
        staff = {m["ref"]: StaffMember(ref=m["ref"], grade=m["grade"], da_trained=bool(m.get("da_trained")),
                                       qualified_on=parse_on(m["qualified_on"]) if m.get("qualified_on") else None)
                 for m in timeline["staff"]}
        events = tuple(Event(seq=i, on=parse_on(e["on"]), type=e["type"], data=event_data(e))
                       for i, e in enumerate(timeline["events"], start=1))
        facts.append(CaseFacts(ref=timeline["case"]["ref"], events=events, staff=staff,
                               born=parse_on(timeline["case"]["born"]), gender=timeline["case"]["gender"] or None))
    policy = active_policy()
    runs = []
    for _ in range(6):  # the first fills the calendar's caches and is not counted
        cpu = time.process_time()
        for case_facts in facts:
            evaluate(case_facts, day, policy)
        runs.append(time.process_time() - cpu)
    return {"cases": len(facts), "engine_cases_per_cpu_second": round(len(facts) / statistics.median(runs[1:]))}


@figure
def synth(args: dict[str, Any]) -> dict[str, Any]:
    from safeguard.cli import _migrate_quietly
    from safeguard.demo.synth import generate_national
    from safeguard.scale.bulk import bulk_load

    _migrate_quietly()
    org, cases = generate_national(args["cases"], args["seed"], _as_of(args))
    started = time.perf_counter()
    summary = bulk_load(org, cases, _as_of(args))
    seconds = time.perf_counter() - started
    return {"cases": len(summary.cases), "events": summary.events, "errors": len(summary.errors),
            "units": len(org.units), "regions": len(set(dict(org.unit_regions).values())), "staff": len(org.staff),
            "seconds": round(seconds, 2), "events_per_second": round(summary.events / seconds)}


@figure
def escalation_backlog(args: dict[str, Any]) -> dict[str, Any]:
    """The escalations a live service would have made day by day, made at once (committed). A synthetic dataset is
    loaded in one go, with no daily job to escalate each overdue obligation on its threshold day, so its first
    escalation meets about 100,000 of them nationally. Timed here on its own so that `sweep` measures the full sweep
    a live service runs: re-evaluating every case, then escalating that day's newly overdue obligations. On a
    dataset escalated before (a reused one), it finds none."""
    from safeguard.oversight.sweep import escalate

    started = time.perf_counter()
    escalated, emails = escalate(_as_of(args))  # one transaction
    return {"escalated": escalated, "emails": emails, "seconds": round(time.perf_counter() - started, 2)}


@figure
def sweep(args: dict[str, Any]) -> dict[str, Any]:
    from safeguard.oversight.sweep import sweep as run_sweep

    result = run_sweep(_as_of(args), full=True, workers=args.get("workers", 2))
    return {"cases": result.evaluated, "errors": len(result.errors), "seconds": round(result.seconds, 2),
            "cases_per_second": round(result.evaluated / result.seconds, 1) if result.seconds else None,
            "escalated": result.escalated, "workers": args.get("workers", 2)}


@figure
def daily_sweep(args: dict[str, Any]) -> dict[str, Any]:
    """The sweep the service runs each morning (`sweep()`: only the cases whose wake_on has come, the day
    their obligations turn due soon or overdue), for the day after the full sweep; in one process and rolled
    back, so the dataset stays as the full sweep left it."""
    from datetime import timedelta

    from django.db import transaction

    from safeguard.cases.models import Case
    from safeguard.oversight.sweep import sweep as run_sweep

    day = _as_of(args) + timedelta(days=1)
    total = Case.objects.filter(archived_at=None).count()
    with transaction.atomic():
        result = run_sweep(day, workers=1)
        transaction.set_rollback(True)
    return {"as_of": day.isoformat(), "cases": total, "woken": result.evaluated,
            "woken_share": round(result.evaluated / total, 3) if total else None, "errors": len(result.errors),
            "seconds": round(result.seconds, 2), "escalated": result.escalated}


@figure
def migrate(args: dict[str, Any]) -> dict[str, Any]:
    """A reused dataset gets the schema's later migrations (indexes) before it is measured."""
    from safeguard.cli import _migrate_quietly

    _migrate_quietly()
    return {"migrated": True}


@figure
def reevaluate(args: dict[str, Any]) -> dict[str, Any]:
    """record_event of one contact (validated, logged, projected, audited) and the case's re-evaluation,
    on sampled cases; rolled back afterwards, so the dataset stays as it was."""
    from django.db import transaction

    from safeguard.actions import record_event
    from safeguard.cases.models import Case

    day = _as_of(args)
    rng = random.Random(args.get("seed", 1))
    ids = list(Case.objects.filter(archived_at=None, practitioner__isnull=False, ended_on=None)
               .values_list("pk", flat=True))
    sample = rng.sample(ids, min(args.get("samples", 200), len(ids)))
    timings: list[float] = []
    with transaction.atomic():
        for pk in sample:
            case = Case.objects.select_related("practitioner").get(pk=pk)
            assert case.practitioner is not None
            event = {"on": day.isoformat(), "type": "contact", "kind": "office", "outcome": "attended",
                     "by": case.practitioner.code}
            started = time.perf_counter()
            record_event(case, event, source="web", as_of=day, recorded_on=day)
            timings.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    return {"samples": len(timings), "p50_ms": _ms(percentile(timings, 50)), "p95_ms": _ms(percentile(timings, 95)),
            "mean_ms": _ms(statistics.fmean(timings)) if timings else None}


@figure
def measures(args: dict[str, Any]) -> dict[str, Any]:
    from safeguard.insights.measures import MEASURES, count_all
    from safeguard.insights.scope import ALL_TIME, COUNTRY
    from safeguard.ops.routers import reporting
    from safeguard.scale.sql import obligation_measures_by_hand, obligation_measures_orm

    day = _as_of(args)
    per: dict[str, float] = {}
    with reporting():
        for m in MEASURES:  # each on its own (also warms the connection and the database's cache)
            t = time.perf_counter()
            m.counter.count(COUNTRY, ALL_TIME, day)
            per[m.id] = _ms(time.perf_counter() - t)
        together = []
        for _ in range(args.get("repeats", 3)):  # as the dashboard counts them, without the daily cache
            t = time.perf_counter()
            count_all(COUNTRY, ALL_TIME, day)
            together.append(time.perf_counter() - t)
        total = min(together)
        orm_times, sql_times = [], []
        for _ in range(args.get("repeats", 3)):
            t = time.perf_counter()
            orm = obligation_measures_orm(day)
            orm_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            by_hand = obligation_measures_by_hand(day)
            sql_times.append(time.perf_counter() - t)
    orm_best, sql_best = min(orm_times), min(sql_times)
    slowest = sorted(per.items(), key=lambda kv: -kv[1])[:3]
    return {"measures": len(per), "all_measures_ms": _ms(total), "slowest": slowest,
            "obligation_set": len(orm), "obligation_set_orm_ms": _ms(orm_best),
            "obligation_set_sql_ms": _ms(sql_best), "ratio": round(orm_best / sql_best, 2) if sql_best else None,
            "same_numbers": orm == by_hand}


@figure
def dashboard(args: dict[str, Any]) -> dict[str, Any]:
    """The dashboards as they are served on a morning after the daily job: the daily cache filled (`fill`, the
    job's last step, timed), then the country's dashboard (its numbers and charts, in process: no role opens the
    country on the pages) and the page of the region with the most cases as quality assurance opens it (the whole
    request: middleware, permissions, template), five times each: the first (the process's first charts and
    templates) and the slowest of the other four."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from safeguard.accounts.models import Profile
    from safeguard.cases.models import Case
    from safeguard.insights.scope import COUNTRY, default_period
    from safeguard.insights_web import data
    from safeguard.insights_web.choosing import Selection
    from safeguard.ops.measure_cache import fill
    from safeguard.workforce.models import DeliveryUnit

    day = _as_of(args)
    started = time.perf_counter()
    stored = fill(day)
    fill_seconds = time.perf_counter() - started
    selection = Selection(scope=COUNTRY, scope_value="country", period=default_period(day), as_of=day)
    country = []
    for _ in range(5):
        started = time.perf_counter()
        data.dashboard(selection)
        country.append(time.perf_counter() - started)
    busiest = (Case.objects.filter(archived_at=None, unit__isnull=False).values("unit__region")
               .annotate(n=Count("pk")).order_by("-n", "unit__region").first())
    region: list[float] = []
    if busiest is not None:
        unit = DeliveryUnit.objects.filter(region_id=busiest["unit__region"]).order_by("pk").first()
        user = get_user_model().objects.filter(username="bench.qa").first() or get_user_model()(username="bench.qa")
        user.set_unusable_password()
        user.is_active = True
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": "qa", "unit": unit})
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = _signed_in_session(user)
        for _ in range(5):
            started = time.perf_counter()
            response = client.get("/insights/")
            region.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"the region's dashboard answered {response.status_code}")
    return {"cached_sets": stored, "fill_seconds": round(fill_seconds, 2), "country_first_ms": _ms(country[0]),
            "country_ms": _ms(max(country[1:])), "region_cases": busiest["n"] if busiest else 0,
            "region_page_first_ms": _ms(region[0]) if region else None,
            "region_page_ms": _ms(max(region[1:])) if region else None}


@figure
def timeline_import(args: dict[str, Any]) -> dict[str, Any]:
    """`safeguard import`'s path for synthetic timelines under new refs, rolled back afterwards: import_timeline,
    one transaction per case: the case created, its events validated and projected in memory by the rules
    record_event uses and written in bulk (actions.bulk: a few inserts per case, more around check and partner
    events, whose receivers read the records), then one evaluation. `cpu_seconds` is this process's CPU time
    (the database server's is not in it)."""
    from django.db import transaction

    from safeguard.timeline.importer import import_timeline
    from safeguard.timeline.validate import validate_document

    day = _as_of(args)
    documents = [validate_document(doc, f"bench-{i}")
                 for i, doc in enumerate(_renamed_timelines(args.get("cases", 100), 777, day, "BENCH"))]
    events = sum(len(t.events) for t in documents)
    with transaction.atomic():  # a first import loads what a process loads once (the bank holidays: 1-3 s here)
        import_timeline(documents[0], as_of=day, recorded_on=day)
        transaction.set_rollback(True)
    with transaction.atomic():
        started, cpu = time.perf_counter(), time.process_time()
        for timeline in documents:
            import_timeline(timeline, as_of=day, recorded_on=day)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    return {"cases": len(documents), "events": events, "seconds": round(seconds, 2),
            "events_per_second": round(events / seconds), "cpu_seconds": round(cpu, 2),
            "events_per_cpu_second": round(events / cpu) if cpu else None}


@figure
def import_jobs(args: dict[str, Any]) -> dict[str, Any]:
    """`safeguard import --jobs N` as a user runs it: synthetic timelines written to files under new refs, then
    the command in a process of its own, committing case by case into the database it is given (the bench gives
    a throwaway copy of the dataset: the event and audit logs are append-only, so what it commits stays).
    `seconds` is the command's own (from its first case to its last); `cpu_seconds` is the command's and its
    workers' CPU time (the database server's is not in it)."""
    import subprocess
    import tempfile
    from pathlib import Path

    from safeguard.cases.models import Case

    day, jobs = _as_of(args), int(args.get("jobs", 2))
    with tempfile.TemporaryDirectory(prefix="safeguard-bench-import-") as folder:
        files = []
        for i, doc in enumerate(_renamed_timelines(args.get("cases", 100), 778, day, "BENCHJ")):
            path = Path(folder) / f"case-{i:06d}.json"
            path.write_text(json.dumps(doc))
            files.append(str(path))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-m", "safeguard.cli", "import", "--jobs", str(jobs), "--json",
                               *files], capture_output=True, text=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"safeguard import failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    seconds, events = float(summary["seconds"]), int(summary["events"])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    committed = Case.objects.filter(ref__startswith="BENCHJ").count()  # read back from another connection
    return {"cases": len(files), "committed": committed, "events": events, "jobs": jobs,
            "seconds": round(seconds, 2), "events_per_second": round(events / seconds),
            "cpu_seconds": round(cpu, 2), "events_per_cpu_second": round(events / cpu) if cpu else None,
            "errors": len(summary["errors"])}


@figure
def prepare_users(args: dict[str, Any]) -> dict[str, Any]:
    """Signed-in practitioners for the load test: one user per busy practitioner, and a case list for each."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from safeguard.accounts.models import Profile
    from safeguard.cases.models import Case
    from safeguard.workforce.models import Staff

    password = args["password"]
    users = []
    busiest = (Staff.objects.filter(grade__in=("PO", "PQiP", "PSO"), team__isnull=False)
               .annotate(n=Count("cases")).filter(n__gt=0).order_by("-n", "code")[: args["users"]])
    model = get_user_model()
    hashed = None
    for staff in busiest:
        username = f"bench.{staff.code.lower()}"
        user = model.objects.filter(username=username).first() or model(username=username)
        if hashed is None:
            user.set_password(password)
            hashed = user.password
        user.password = hashed
        user.is_active = True
        user.save()
        unit = staff.team.unit if staff.team is not None else None
        Profile.objects.update_or_create(user=user, defaults={"role": "practitioner", "unit": unit})
        if staff.user_id != user.pk:
            Staff.objects.filter(user=user).exclude(pk=staff.pk).update(user=None)
            staff.user = user
            staff.save(update_fields=["user"])
        refs = list(Case.objects.filter(practitioner=staff, archived_at=None).order_by("ref")
                    .values_list("ref", flat=True)[:50])
        users.append({"username": username, "cases": refs, "session": _signed_in_session(user)})
    with open(args["users_file"], "w") as f:
        json.dump({"password": password, "users": users}, f)
    return {"users": len(users), "cases_per_user": round(statistics.fmean(len(u["cases"]) for u in users), 1)
            if users else 0}


def _signed_in_session(user: Any) -> str:
    """A session in which `user` is signed in, as django.contrib.auth.login leaves it (the load test measures
    pages, not password hashing: 50 sign-ins at once would hash 50 passwords)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    # The backend that loads users (not django-axes' lockout backend, which only refuses sign-ins).
    store[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS
                                      if hasattr(import_string(b), "get_user"))
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    os.environ.setdefault("SAFEGUARD_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("SAFEGUARD_REQUEST_LOG", "0")
    import django

    django.setup()
    name, raw = argv[1], argv[2] if len(argv) > 2 else "{}"
    result = FIGURES[name](json.loads(raw))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
