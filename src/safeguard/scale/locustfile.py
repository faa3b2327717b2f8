"""The page load test (locust, headless), run by `safeguard bench` against gunicorn on loopback.

Each simulated user signs in as one of the benchmark's practitioners (BENCH_USERS_FILE) and then opens
their caseload and one of their cases in turn. Server time is read from each response's Server-Timing
header (written by safeguard.ops.logs) and recorded as its own entries ("server caseload", "server case").
The run stops itself after BENCH_MAX_REQUESTS requests (locust's --run-time bounds it in time too).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, constant, events, task

_SETTINGS = json.load(open(os.environ["BENCH_USERS_FILE"]))  # noqa: SIM115
_ACCOUNTS = itertools.cycle(_SETTINGS["users"])
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
PAGES = os.environ.get("BENCH_PAGES", "caseload,case").split(",")
_THINK = [float(x) for x in os.environ.get("BENCH_THINK", "2,8").split(",")]
_TIMING = re.compile(r"app;dur=([0-9.]+)")
_sent = 0


class Practitioner(HttpUser):
    # A person reads a page before the next, BENCH_THINK="least,most" seconds ("0": no pause, to find the most
    # the server can do).
    wait_time = constant(0) if _THINK == [0.0] else between(_THINK[0], _THINK[-1])

    def on_start(self) -> None:
        account = next(_ACCOUNTS)
        self.cases = account["cases"] or ["none"]
        if account.get("session"):  # already signed in (see safeguard.scale.figures.prepare_users)
            from urllib.parse import urlparse

            self.client.cookies.set("sessionid", account["session"], domain=urlparse(self.host).hostname or "")
            return
        page = self.client.get("/sign-in/", name="sign-in form")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post("/sign-in/", {"username": account["username"], "password": _SETTINGS["password"],
                                       "csrfmiddlewaretoken": token},
                         headers={"Referer": page.url or ""}, name="sign-in")

    def _get(self, path: str, name: str) -> None:
        global _sent
        _sent += 1
        if _sent > MAX_REQUESTS:
            self.environment.runner.quit()
            return
        started = time.perf_counter()
        # Redirects are not followed: a page that sends the user to sign in is a failure, not a fast page.
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "").split("?")[0]
                response.failure(f"status {response.status_code}" + (f" to {where}" if where else ""))
                return
            found = _TIMING.search(response.headers.get("Server-Timing", ""))
            if found:
                events.request.fire(request_type="SERVER", name=f"server {name}", response_time=float(found.group(1)),
                                    response_length=0, exception=None, context={},
                                    start_time=started)

    @task
    def caseload_then_case(self) -> None:
        """As a practitioner works: the caseload, then one of its cases."""
        if "caseload" in PAGES:
            self._get("/caseload/", "caseload")
        if "case" in PAGES:
            self._get(f"/cases/{random.choice(self.cases)}/", "case")
