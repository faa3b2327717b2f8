"""The API's JSON parser: DRF's, refusing a body nested deeper than limits.JSON_DEPTH_MAX with a 400 (Python's
json module would give up with a RecursionError, a 500, a few thousand levels down)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from safeguard.limits import JSON_DEPTH_MAX, json_depth_exceeds


class JSONParser(parsers.JSONParser):
    def parse(self, stream: IO[Any], media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body):
            raise ParseError(f"JSON parse error - arrays and objects are nested more than {JSON_DEPTH_MAX} deep.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
