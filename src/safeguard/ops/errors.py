"""Error reporting to Sentry (issue 33, finding 10): off unless SAFEGUARD_SENTRY_DSN is set, and then nothing
personal leaves. `send_default_pii=False` keeps users, cookies and addresses out; `before_send` then removes what
the Django integration would still attach: request bodies, cookies and auth headers, query strings, and every
path segment after the first in URLs (they hold case references; the transaction name is the URL *pattern*).
Breadcrumbs go too: they carry log messages and SQL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from safeguard.ops.logs import first_segment

KEPT_HEADERS = {"content-type", "content-length", "user-agent", "x-request-id", "accept"}


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, first_segment(parts.path or "/"), "", ""))


def before_send(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for name in ("data", "cookies", "query_string", "env"):
            request.pop(name, None)
        if isinstance(request.get("url"), str):
            request["url"] = redact_url(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    event.pop("breadcrumbs", None)
    event.pop("user", None)
    return event


def init_sentry(dsn: str, environment: str) -> None:
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False, before_send=before_send,  # type: ignore[arg-type]
                    max_request_body_size="never", include_local_variables=False, traces_sample_rate=0)
