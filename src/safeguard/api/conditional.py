"""Conditional GETs: every response that carries an ETag answers If-None-Match with 304 Not Modified (no body,
the same ETag) when the client's copy is current, so a system polling a case or its queue saves the transfer."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="An ETag you hold: 304 Not Modified (no body) when it is still current")


def content_tag(data: Any) -> str:
    """An ETag for a representation without a version of its own: a digest of its JSON."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def matches(header: str | None, tag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, `*` matches anything."""
    if not header:
        return False
    wanted = tag.removeprefix("W/")
    for candidate in (t.strip() for t in header.split(",")):
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def respond(request: Request, data: Any, tag: str | None = None, **headers: str) -> Response:
    """`data` with its ETag, or 304 when the request's If-None-Match already holds it."""
    tag = tag or content_tag(data)
    if request.method in ("GET", "HEAD") and matches(request.headers.get("If-None-Match"), tag):
        return Response(status=304, headers={"ETag": tag})
    return Response(data, headers={"ETag": tag, **headers})
