"""What production must set for itself (issue 33, finding 6). Pure: no Django, so settings.py can ask before
Django starts, and the system checks (safeguard.victims.checks, `check --deploy`) ask the same questions.

Production is `SAFEGUARD_HTTPS=1` (docs/operations.md): there Safeguard refuses to start with the published
development secret key, or without field-encryption keys of its own."""

from __future__ import annotations

# Public on purpose: they protect nothing. Never configure them in a deployment.
DEV_SECRET_KEY = "dev-only-not-secret-" + "x" * 40
DEV_FIELD_KEY = "c2FmZWd1YXJkLWRldmVsb3BtZW50LWtleS1ub3Qtc2U="
MIN_SECRET_KEY_LENGTH = 50
MAKE_SECRET_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_problem(secret_key: str) -> str | None:
    """Why this SECRET_KEY will not do in production, naming the variable to set; None when it will."""
    if not secret_key or secret_key == DEV_SECRET_KEY:
        return ("SAFEGUARD_SECRET_KEY is not set: sessions and CSRF tokens would be signed with the published "
                "development key. Set SAFEGUARD_SECRET_KEY to a new random value from the secret store (for example "
                f"from `{MAKE_SECRET_KEY}`).")
    if len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        return (f"SAFEGUARD_SECRET_KEY is too short or too simple: use at least {MIN_SECRET_KEY_LENGTH} random "
                f"characters (for example from `{MAKE_SECRET_KEY}`).")
    return None


def field_keys_problem(field_keys: list[str]) -> str | None:
    """Why these field-encryption keys will not do in production, naming the variable to set; None when they will."""
    if not field_keys:
        return ("SAFEGUARD_FIELD_KEYS is not set: victims' contact details could not be encrypted. Generate a key "
                "with `safeguard keys generate` and set SAFEGUARD_FIELD_KEYS (newest first, comma-separated).")
    if DEV_FIELD_KEY in field_keys:
        return ("SAFEGUARD_FIELD_KEYS holds the published development key: generate a key of your own with "
                "`safeguard keys generate`, put it first, run `safeguard keys rotate`, then remove the development "
                "key.")
    return None


def production_problems(secret_key: str, field_keys: list[str]) -> list[str]:
    return [p for p in (secret_key_problem(secret_key), field_keys_problem(field_keys)) if p]


class NotConfiguredForProduction(RuntimeError):
    """Raised by settings.py when SAFEGUARD_HTTPS=1 and a key production needs is missing."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Safeguard will not start in production (SAFEGUARD_HTTPS=1):\n"
                         + "\n".join(f"- {p}" for p in problems))
