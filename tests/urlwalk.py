"""Walking every URL the project defines: the patterns come from django.urls.get_resolver(), recursively,
and each path parameter is filled with every candidate value the test gives for its name.

Used by the access and never-disclose tests (tests/agencies, tests/victims): a page added tomorrow is walked
without anyone remembering to add it to a list."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    template: str  # "agencies/requests/<int:pk>/"
    name: str  # "agencies:request" ("" when the pattern has no name)

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.template)]

    @property
    def converters(self) -> dict[str, str]:
        return {m.group("name"): m.group("converter") or "str" for m in PARAM.finditer(self.template)}

    def fill(self, values: dict[str, list[str]]) -> Iterator[tuple[str, dict[str, str]]]:
        """Every path with each parameter replaced by each of its candidate values: those given for its name,
        else those given for its converter ("int", "str", "slug")."""
        names = self.params
        converters = self.converters
        choices = []
        for name in names:
            found = values.get(name, values.get(converters[name]))
            if found is None:
                raise KeyError(f"no candidate values for {name!r} ({converters[name]}) in {self.template!r}")
            choices.append(found)
        for combo in itertools.product(*choices):
            chosen = dict(zip(names, combo, strict=True))
            path = PARAM.sub(lambda m, chosen=chosen: str(chosen[m.group("name")]), self.template)
            yield "/" + path, chosen


def _piece(pattern: object) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex.lstrip("^").rstrip("$")
        regex = NAMED_GROUP.sub(lambda m: f"<{m.group('name')}>", regex)
        return regex.replace(".*", "zzz-walked").replace("\\", "")
    raise TypeError(f"unknown URL pattern type {type(pattern).__name__}")


def all_routes() -> list[Route]:
    """Every URL pattern of the project, prefixes and namespaces joined."""
    found: list[Route] = []

    def walk(patterns: list[object], prefix: str, namespaces: list[str]) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                spaces = namespaces + ([item.namespace] if item.namespace else [])
                walk(list(item.url_patterns), prefix + _piece(item.pattern), spaces)
            elif isinstance(item, URLPattern):
                name = ":".join([*namespaces, item.name]) if item.name else ""
                found.append(Route(prefix + _piece(item.pattern), name))

    walk(list(get_resolver().url_patterns), "", [])
    return found


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    """Lower case, letters and digits only: a value found here is found whatever the spacing or markup."""
    return re.sub(r"[\W_]+", "", text).lower()


def body_text(response: object) -> str:
    """A response's content as text to search: a PDF's extracted text, anything else decoded."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) \
        else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "")  # type: ignore[attr-defined]
    if kind.startswith("application/pdf"):
        return pdf_text(content)
    return content.decode("utf-8", errors="replace")
