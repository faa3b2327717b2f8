from partner_fixtures import _one_jinja_environment, _quiet_not_found, world  # noqa: F401
