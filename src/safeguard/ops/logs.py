"""Structured JSON logs with a request id, and nothing sensitive in them.

`RequestLogMiddleware` (outermost) gives every request an id (the caller's X-Request-ID when it is a plain
token, else a new one), returns it in the X-Request-ID header, makes it available to every log line written
while the request is served, and logs one line per request: method, the matched URL *pattern* (never the
path with its case ref, never the query string), status, duration and the user's numeric id. POST bodies,
names and query strings are never logged.

`JsonFormatter` writes each record as one JSON object: time, level, logger, message, request id, and the
exception's type and traceback when there is one.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("safeguard_request_id", default="")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
logger = logging.getLogger("safeguard.request")

# Extra fields a log call may attach (logger.info(..., extra={...})); anything else is dropped.
EXTRA_FIELDS = ("method", "route", "status", "duration_ms", "user_id", "view", "event", "count", "seconds")


def current_request_id() -> str:
    return request_id_var.get()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestIdFilter(logging.Filter):
    """Stamps every record with the request id (for handlers with other formatters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RedactPathFilter(logging.Filter):
    """Keeps request paths (which hold case references: /cases/X123456/) out of every log line, Django's own
    included: "Not Found: /cases/X123456/" from django.request, "Method Not Allowed (PUT): …", django.security's
    CSRF failures, and runserver's request lines (django.server). The path becomes its URL *pattern* when the
    request was matched (/cases/<str:ref>/), else only its first segment. On the handler, so every logger's
    records pass through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and path:
            message = record.getMessage()
            if path in message:
                record.msg, record.args = message.replace(path, redacted_path(request)), ()
        elif record.name == "django.server":
            record.msg, record.args = _REQUEST_LINE.sub(_redact_request_line, record.getMessage()), ()
        return True


_REQUEST_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) (?P<protocol>HTTP/[0-9.]+)"')


def _redact_request_line(match: re.Match[str]) -> str:
    return f'"{match["method"]} {first_segment(match["path"])} {match["protocol"]}"'


def first_segment(path: str) -> str:
    """/cases/X123456/record/?q=1 -> /cases/…: enough to say which part of the app, nothing that names a case."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    return f"/{parts[0]}/…" if len(parts) > 1 else f"/{parts[0]}"


def redacted_path(request: Any) -> str:
    route = route_of(request)
    return f"/{route}" if route != "unmatched" else first_segment(str(request.path))


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return str(match.route or match.view_name or "unmatched")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            # Server time for load tests and browsers' developer tools (no data, one number).
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            return response
        finally:
            duration = time.perf_counter() - started
            user = getattr(request, "user", None)
            route = route_of(request)
            from safeguard.ops.metrics import observe_request

            observe_request(request.method or "", route, status, duration)
            logger.info("request", extra={
                "method": request.method, "route": route, "status": status,
                "duration_ms": round(duration * 1000, 1),
                "user_id": user.pk if user is not None and getattr(user, "is_authenticated", False) else None,
            })
            request_id_var.reset(token)
