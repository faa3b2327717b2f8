from partner_fixtures import _no_throttling, _quiet_not_found, world  # noqa: F401
