"""Nothing a user does hard-deletes a record: corrections and withdrawals keep the history.

The scan walks every module of the application for row deletions (`.delete()` on a queryset or model,
raw `DELETE FROM`) and checks each against a short list of places where deleting is right and is not a
user removing a record. Adding a delete anywhere else fails this test: make it a withdrawal instead
(a `removed_at`/`withdrawn_at` stamp with who and why, or a correcting event on the case)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from partner_world import World
from safeguard.audit.models import AuditEntry
from safeguard.victims.models import ContactDetail

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"

# (module, why a delete is right there). None of these is reachable as "a user deletes a record".
ALLOWED = {
    "backup.py": "restore --force empties the database it replaces, after writing a backup of it (operator only)",
    "api/outbox.py": "prunes webhook outbox rows already delivered (transport copies, not records)",
    "accounts/two_factor.py": "replaces or resets a user's own two-factor secrets (credentials, not records)",
    "audit/appendonly.py": "defines delete() to refuse it",
}


def _deletes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "delete":
            lines.append(node.lineno)
        if isinstance(node, ast.FunctionDef) and node.name == "delete":
            lines.append(node.lineno)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(
                r"\bDELETE\s+FROM\b", node.value, re.I):
            lines.append(node.lineno)
    return lines


def _fstring_deletes(source: str) -> list[int]:
    return [n for n, line in enumerate(source.splitlines(), 1) if re.search(r"\bDELETE\s+FROM\b", line)]


def test_no_module_deletes_rows_outside_the_known_places() -> None:
    found: dict[str, list[int]] = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative:
            continue
        source = path.read_text()
        lines = sorted(set(_deletes(source)) | set(_fstring_deletes(source)))
        # The database guards' trigger text names DELETE (they refuse it); not a deletion.
        if relative == "audit/guards.py":
            continue
        if lines:
            found[relative] = lines
    unexpected = {m: lines for m, lines in found.items() if m not in ALLOWED}
    assert not unexpected, f"rows are deleted here (make it a withdrawal that keeps the history): {unexpected}"
    assert "backup.py" in found  # the scan does find deletions


def _views() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append((prefix + str(p.pattern), p.callback))

    walk(get_resolver().url_patterns, "")
    return out


def test_no_route_answers_the_http_delete_method() -> None:
    offenders = []
    for route, callback in _views():
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view_class is not None and hasattr(view_class, "delete"):
            offenders.append(route)
    assert not offenders, f"routes with a DELETE handler: {offenders}"
    assert len(_views()) > 30


@pytest.mark.django_db
def test_removing_a_victims_contact_detail_withdraws_it_and_keeps_the_history(world: World) -> None:
    detail = ContactDetail.objects.filter(record=world.victim, removed_at=None).exclude(pk=world.refuge.pk).first()
    assert detail is not None
    client = Client()
    client.force_login(world.users["pp"])
    response = client.post(f"/victims/details/{detail.pk}/remove/")
    assert response.status_code == 302
    kept = ContactDetail.objects.get(pk=detail.pk)  # still there, stamped
    assert kept.removed_at is not None
    assert kept.value.unseal() == detail.value.unseal()
    assert AuditEntry.objects.filter(action="victim.detail_removed", user=world.users["pp"]).exists()
    page = client.get(f"/victims/{world.victim.pk}/").content.decode()
    assert detail.value.unseal() not in page  # withdrawn: no longer shown as current
    # a second removal of the same detail is refused, not repeated
    assert client.post(f"/victims/details/{detail.pk}/remove/").status_code == 404
