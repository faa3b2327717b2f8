"""Page-number pagination: ?page=N&page_size=M (1 to 200, default 50), with count and next/previous links.

Strict like the filters: a page or page size that is not a whole number in range is a 400 naming it (a page
past the end is a 404)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from safeguard.api.filters import QueryValidationError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        errors: dict[str, list[str]] = {}
        for name, top in ((self.page_query_param, None), (self.page_size_query_param, self.max_page_size)):
            for raw in request.query_params.getlist(name):
                if not (raw.isascii() and raw.isdigit() and int(raw) >= 1 and (top is None or int(raw) <= top)):
                    limit = f"1 to {top}" if top else "1 or more"
                    errors[name] = [f"expected a whole number from {limit}, got {raw!r}"]
        if errors:
            raise QueryValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
