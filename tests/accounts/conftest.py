"""Sign-in, two-factor, sessions and user management: real database, real middleware, the test client."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from web_scenarios import Org, make_org  # noqa: E402

from sign_ins import make_user  # noqa: E402


@pytest.fixture
def org(db: None) -> Org:
    return make_org()


@pytest.fixture
def admin(org: Org) -> Any:
    return make_user("ada", "admin", None, None)
