"""`Cache-Control: no-store, private` on every response the app itself makes (issue 33, finding 10).

Case pages, victims' records, MARAC packs, CSV exports and API reads carry case and victim data: no browser
cache, shared computer or proxy may keep a copy. The app's static files are served (cacheable) by WhiteNoise,
which answers before this middleware is reached; it sits below WhiteNoise in settings.MIDDLEWARE. Conditional
requests still work: ETag and If-None-Match (the API's 304s) concern validators, not storage.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
