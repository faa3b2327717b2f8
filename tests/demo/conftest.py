"""A small synthetic unit, loaded once for this folder's tests and rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from synth_unit import AS_OF, CASES, SEED

from safeguard.demo.synth import LoadSummary, Organisation, generate, load


@pytest.fixture(scope="module")
def synthetic_unit(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Organisation, LoadSummary]]:
    with django_db_blocker.unblock(), transaction.atomic():
        org, cases = generate(CASES, SEED, AS_OF)
        summary = load(org, cases, AS_OF)
        yield org, summary
        transaction.set_rollback(True)
