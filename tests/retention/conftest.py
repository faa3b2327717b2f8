from partner_fixtures import _quiet_not_found, world  # noqa: F401
