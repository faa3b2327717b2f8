"""Every default rule, one function each, grouped by theme. Importing this package registers them."""

from safeguard.policy.rules import (  # noqa: F401
    addresses,
    assessment,
    checks,
    compliance,
    contact,
    controls,
    identification,
    interventions,
    oversight,
    registers,
    reviews,
    transfer,
    victims,
)
