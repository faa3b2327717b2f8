"""Two imports at once that name the same new member of staff or delivery unit: the second waits for the
first's record and uses it, instead of failing on the unique code (seen with two `safeguard import` processes)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from safeguard.actions import ensure_staff, ensure_unit
from safeguard.workforce.models import DeliveryUnit, Staff

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")]

MEMBER = {"ref": "NEW-PO-1", "grade": "PO", "da_trained": True}


def _while_another_transaction_holds(make: Any) -> tuple[Any, Any]:
    """`make()` in a transaction on another connection, left open while `make()` runs here, then committed:
    (the other's result, this one's)."""
    made, go, errors = threading.Event(), threading.Event(), []
    theirs: list[Any] = []

    def other() -> None:
        try:
            with transaction.atomic():
                theirs.append(make())
                made.set()
                go.wait(30)
        except BaseException as exc:  # noqa: BLE001  (re-raised in the test's thread)
            errors.append(exc)
            made.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    assert made.wait(30) and not errors
    # This connection's insert waits on the other's uncommitted row: let the other commit shortly after.
    timer = threading.Timer(0.5, go.set)
    timer.start()
    try:
        mine = make()
    finally:
        go.set()
        thread.join(30)
        timer.cancel()
    if errors:
        raise errors[0]
    return theirs[0], mine


def test_the_same_new_staff_member_from_two_imports_is_one_record() -> None:
    theirs, mine = _while_another_transaction_holds(lambda: ensure_staff(MEMBER))
    assert theirs.pk == mine.pk and Staff.objects.filter(code="NEW-PO-1").count() == 1


def test_the_same_new_unit_from_two_imports_is_one_record() -> None:
    theirs, mine = _while_another_transaction_holds(lambda: ensure_unit("New unit"))
    assert theirs.pk == mine.pk and DeliveryUnit.objects.filter(name="New unit").count() == 1
