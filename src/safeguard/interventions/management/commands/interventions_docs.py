"""`safeguard manage interventions_docs [--check] [--output PATH]`: write docs/interventions.md from the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.interventions.docs import DOCS_PATH, interventions_markdown


class Command(BaseCommand):
    help = "Write docs/interventions.md (catalogue, referral lifecycle diagram, workload settings) from the data"
    requires_system_checks: list[str] = []  # reads no database and no URLs

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(DOCS_PATH), help="where to write (default docs/interventions.md)")
        parser.add_argument("--check", action="store_true", help="fail if the file is not up to date; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        text = interventions_markdown()
        if options["check"]:
            if not path.exists() or path.read_text() != text:
                raise CommandError(f"{path} is out of date: run `safeguard manage interventions_docs`")
            self.stdout.write(f"{path} is up to date")
            return
        path.write_text(text)
        self.stdout.write(f"Wrote {path}")
