"""Requests that break Safeguard's limits (safeguard.limits) answered plainly, never with a 500.

- A body larger than BODY_MAX bytes: 413, refused before it is read (by its Content-Length) or when Django
  stops reading it (RequestDataTooBig, for a body sent without a length).
- A value a model refuses to store (limits.Refused: a text longer than its column, say) that reached an
  action without a form or serializer stopping it first: 400, and the action's transaction is rolled back.

Under /api/ the answer is the API's problem document (application/problem+json); elsewhere a GOV.UK page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from safeguard.api.problems import TOO_LARGE, problem_response
from safeguard.limits import BODY_MAX, Refused


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def too_large(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 413, TOO_LARGE)
    # Refused before the session and the user are read: the page is rendered without them (as to a visitor).
    return HttpResponse(render_to_string("413.html", {"message": TOO_LARGE}), status=413)


def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 400, str(error))
    return render(request, "400.html", {"message": f"Field '{error.field}': {error.problem}."}, status=400)


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > BODY_MAX:
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        if isinstance(exception, Refused):
            return refused(request, exception)
        return None
