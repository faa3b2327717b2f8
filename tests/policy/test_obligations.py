"""The engine's obligation values: the fast constructors make the same values as the dataclass."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.policy.obligations import Obligation

OPENED, DUE = date(2025, 3, 3), date(2025, 3, 10)


def test_opening_makes_what_the_dataclass_makes() -> None:
    made = Obligation.opening("contact", "contact-frequency", "contact-frequency:4", OPENED, DUE, "See him",
                              "v1", 4, critical=True)
    assert made == Obligation(kind="contact", rule="contact-frequency", key="contact-frequency:4", opened=OPENED,
                              due=DUE, reason="See him", policy_version="v1", trigger=4, critical=True)
    assert made.closed_on is None and made.status_on(DUE) == "due" and not made.immediate


def test_opening_refuses_a_flag_obligations_do_not_have() -> None:
    with pytest.raises(TypeError, match="no flag 'urgent'"):
        Obligation.opening("contact", "r", "r:1", OPENED, DUE, "x", "v1", None, urgent=True)


def test_close_and_changed_copy_without_touching_the_original() -> None:
    opened = Obligation.opening("review", "r", "r:1", OPENED, DUE, "x", "v1", 1)
    closed = opened.close(DUE, "done", 7, "reviewed")
    assert (closed.closed_on, closed.closed_as, closed.closed_by, closed.closed_note) == (DUE, "done", 7, "reviewed")
    assert opened.closed_on is None and closed.status_on(DUE) == "done"
    assert closed == Obligation(kind="review", rule="r", key="r:1", opened=OPENED, due=DUE, reason="x",
                                policy_version="v1", trigger=1, closed_on=DUE, closed_as="done", closed_by=7,
                                closed_note="reviewed")
    with pytest.raises(TypeError, match="no field 'status'"):
        opened.changed(status="done")
