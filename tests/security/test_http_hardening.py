"""Issue 33, finding 10 (HTTP part): no response with case or victim data may be stored by a browser or proxy, and
request paths (which hold case references) stay out of every log line, Django's own loggers included."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.test import Client
from matrix_walk import path_for
from secworld import SecurityWorld

from urlwalk import all_routes

# Pages, exports and API reads that carry case or victim data, by route name, and who reads them.
CARRYING = {"case": "practitioner", "victims:record": "victim_worker", "victims:case-export": "practitioner",
            "agencies:marac-pack": "practitioner", "agencies:requests-csv": "practitioner",
            "assessment-pdf": "practitioner", "api-case": "practitioner", "api-victims": "practitioner",
            "api-victim": "victim_worker", "caseload": "practitioner"}


@pytest.mark.django_db
def test_responses_with_case_or_victim_data_are_not_stored(sworld: SecurityWorld) -> None:
    routes = {r.name: r for r in all_routes() if r.name in CARRYING}
    problems = []
    for name, role in CARRYING.items():
        client = Client()
        client.force_login(sworld.player(role))
        response = client.get(path_for(routes[name], sworld))
        assert response.status_code == 200, name
        control = response.get("Cache-Control", "")
        if "no-store" not in control or "private" not in control:
            problems.append(f"{name}: Cache-Control {control!r}")
    assert not problems, problems


@pytest.mark.django_db
def test_static_files_stay_cacheable_and_conditional_gets_still_work(sworld: SecurityWorld) -> None:
    client = Client()
    static = client.get("/static/frontend/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    client.force_login(sworld.player("practitioner"))
    first = client.get(f"/api/v1/cases/{sworld.partner.case.ref}/")
    assert first.status_code == 200 and first["ETag"]
    again = client.get(f"/api/v1/cases/{sworld.partner.case.ref}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "no-store" in again["Cache-Control"]


def _console() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


@pytest.mark.django_db
def test_djangos_not_found_and_method_lines_do_not_log_the_case_ref(sworld: SecurityWorld) -> None:
    handler: Any = _console()
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.WARNING)
    try:
        client = Client()
        client.force_login(sworld.player("practitioner"))
        assert client.get("/cases/X987654/").status_code == 404
        assert client.put(f"/cases/{sworld.partner.case.ref}/").status_code == 405
        assert client.get("/no-such-page/X987654/").status_code == 404
    finally:
        request_logger.setLevel(level)
        handler.setStream(old_stream)
    written = stream.getvalue()
    assert "Not Found" in written and "Method Not Allowed" in written  # Django's lines are there...
    assert "X987654" not in written and sworld.partner.case.ref not in written  # ...without the refs
    assert "cases/<str:ref>/" in written


def test_runserver_request_lines_lose_the_path() -> None:
    from safeguard.ops.logs import RedactPathFilter

    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /cases/X123456/record/?q=1 HTTP/1.1", "200", "512"), None)
    assert RedactPathFilter().filter(record)
    assert record.getMessage() == '"GET /cases/… HTTP/1.1" 200 512'
