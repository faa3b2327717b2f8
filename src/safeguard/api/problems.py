"""Every API error as an RFC 9457 problem details document (application/problem+json):

    {"type": ..., "title": ..., "status": 400, "detail": ..., "instance": "/api/v1/...",
     "errors": [{"field": "outcome", "location": "event (contact)", "message": "..."}]}

`errors` is always present (empty when the problem is not about particular fields)."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

from safeguard.limits import BODY_MAX, Refused
from safeguard.timeline.validate import TimelineError

logger = logging.getLogger("safeguard.api")

CONTENT_TYPE = "application/problem+json"
BLANK = "about:blank"
TYPES = {
    "validation": "urn:safeguard:problem:validation",
    "timeline": "urn:safeguard:problem:timeline-event",
    "precondition_failed": "urn:safeguard:problem:precondition-failed",
    "precondition_required": "urn:safeguard:problem:precondition-required",
    "conflict": "urn:safeguard:problem:conflict",
}

TOO_LARGE = f"The request is too large: at most {BODY_MAX // 1024:,} KB may be sent at once."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The case has changed since you read it: fetch it again and use its new ETag in If-Match."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = ("This request changes a case: send If-Match with the case's ETag (from GET on the case) so "
                      "that a change made meanwhile is not overlooked.")
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class TimelineRejected(exceptions.APIException):
    """A timeline event that the timeline validator refused; carries the validator's own location and message."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, error: TimelineError):
        self.error = error
        super().__init__(str(error))


_FIELD = re.compile(r"field '([^']+)'")


def timeline_errors(error: TimelineError) -> list[dict[str, str]]:
    """The validator's location (e.g. `event (sentenced): field 'requirements[0]'`), the field it names, and its
    message, exactly as `safeguard import` would print them."""
    found = _FIELD.findall(f"{error.where}: {error.problem}")
    return [{"field": found[-1] if found else "", "location": error.where, "message": error.problem}]


def _title(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def problem(status_code: int, detail: str, *, instance: str = "", type_: str = BLANK, title: str = "",
            errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"type": type_, "title": title or _title(status_code), "status": status_code, "detail": detail,
            "instance": instance, "errors": errors or []}


def _flatten(data: Any, location: str, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested validation errors as a flat list of {field, location, message}."""
    out: list[dict[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = "" if key in {"non_field_errors", "detail"} else str(key)
            out += _flatten(value, location, f"{prefix}.{name}" if prefix and name else (name or prefix))
    elif isinstance(data, list):
        if all(not isinstance(v, (dict, list)) for v in data):
            out += [{"field": prefix, "location": location, "message": str(v)} for v in data]
        else:
            for index, value in enumerate(data):
                out += _flatten(value, location, f"{prefix}[{index}]")
    else:
        out.append({"field": prefix, "location": location, "message": str(data)})
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse:
    """DRF's exception handler: every exception, including unexpected ones (500), becomes a problem document,
    always rendered as JSON (whatever renderer the view offers, e.g. the schema's YAML)."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        body = problem(413, TOO_LARGE, instance=instance)
    elif isinstance(exc, Refused):  # a value a model refused to store, that no serializer stopped first
        body = problem(400, str(exc), instance=instance, type_=TYPES["validation"], title="The request is not valid",
                       errors=[{"field": exc.field, "location": exc.where, "message": exc.problem}])
    elif isinstance(exc, TimelineRejected):
        body = problem(400, str(exc.error), instance=instance, type_=TYPES["timeline"],
                       title="The event does not meet the timeline format", errors=timeline_errors(exc.error))
    elif isinstance(exc, exceptions.ValidationError):
        location = getattr(exc, "location", "body")
        errors = _flatten(exc.detail, location)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        body = problem(400, detail or "The request is not valid.", instance=instance, type_=TYPES["validation"],
                       title="The request is not valid", errors=errors)
    elif isinstance(exc, exceptions.APIException):
        code = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else "; ".join(
            e["message"] for e in _flatten(exc.detail, "request"))
        type_ = TYPES.get(str(exc.default_code), BLANK) if code in {409, 412, 428} else BLANK
        body = problem(code, str(detail), instance=instance, type_=type_)
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(int(wait))
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)) and request is not None:
            # DRF turns these into 403 when no authenticator offers a challenge; the bearer scheme always does.
            body["status"] = code = status.HTTP_401_UNAUTHORIZED
            body["title"] = _title(code)
            headers["WWW-Authenticate"] = 'Bearer realm="safeguard"'
    else:
        logger.exception("Unexpected error in the API at %s", instance)
        body = problem(500, "Something went wrong on our side. Nothing was saved; try again later.",
                       instance=instance)
    set_rollback()
    response = JsonResponse(body, status=body["status"], content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name] = value
    return response


def problem_response(request: HttpRequest, status_code: int, detail: str) -> HttpResponse:
    """A problem document outside DRF views (unknown API paths, Django's own 404/500 under /api/)."""
    return JsonResponse(problem(status_code, detail, instance=request.path), status=status_code,
                        content_type=CONTENT_TYPE)


@csrf_exempt  # no state changes here: a POST to an unknown address is a 404, not a CSRF failure
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return problem_response(request, 404, "There is no API resource at this address.")
