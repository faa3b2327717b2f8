"""OpenAPI details drf-spectacular cannot see: the bearer token scheme, the timeline event components, and
the problem-details responses every operation can give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from safeguard.api.eventschema import event_components

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details. `errors` lists the fields at fault (empty when none).",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem (about:blank for plain HTTP)"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The request path"},
        "errors": {"type": "array", "items": {
            "type": "object",
            "properties": {"field": {"type": "string"}, "location": {"type": "string"},
                           "message": {"type": "string"}},
            "required": ["field", "location", "message"]}},
    },
    "required": ["type", "title", "status", "detail", "instance", "errors"],
}
COMMON = {"400": "The request is not valid (query parameters or body)",
          "401": "No valid session or bearer token",
          "403": "Not allowed (role, scope or CSRF)",
          "404": "No such resource, or not one you may see",
          "405": "Method not allowed",
          "406": "Only JSON is offered",
          "415": "Send JSON",
          "429": "Too many requests: wait for Retry-After seconds",
          "500": "An unexpected error (nothing was saved)"}
WRITES = {"409": "The request conflicts with the resource's state",
          "412": "If-Match does not match the case's current ETag",
          "428": "If-Match is required on writes that change a case"}


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "safeguard.api.authentication.TokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer",
                "description": "A token from `safeguard token create` (scopes: read, write_events, partner_agency, "
                               "victims, create_cases)"}


def add_problem_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM
    schemas.update(event_components())
    ref = {"$ref": "#/components/schemas/Problem"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            extra = dict(COMMON)
            if method != "get":
                extra.update(WRITES)
            responses = operation.setdefault("responses", {})
            if any(p.get("name") == "If-None-Match" for p in operation.get("parameters", [])):
                responses.setdefault("304", {"description": "Not modified: the ETag in If-None-Match is current",
                                             "headers": {"ETag": {"schema": {"type": "string"}}}})
            for code, description in extra.items():
                responses.setdefault(code, {"description": description,
                                            "content": {"application/problem+json": {"schema": ref}}})
    return result
