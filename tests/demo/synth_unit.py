"""The small synthetic unit the demo tests share: 40 cases, so the tests run in seconds."""

from __future__ import annotations

from datetime import date

AS_OF = date(2025, 6, 2)
SEED = 11
CASES = 40
