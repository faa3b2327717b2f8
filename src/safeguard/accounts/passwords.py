"""Password strength (issue 33, finding 10): twelve characters are not enough if they are "Password1234".

`StrengthValidator` is a Django password validator (settings.AUTH_PASSWORD_VALIDATORS) scoring the password
with zxcvbn, which knows common passwords, names, dictionary words, keyboard walks, dates and repeats, and counts
the user's own username and names against it. Scores run 0-4; 3 ("safely unguessable": about 10^8 guesses
and more) is the least accepted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

MIN_SCORE = 3
TOO_WEAK = ("Enter a password that is harder to guess. Use three or four random words together, for example, "
            "and not your name, your username or a common password")


class StrengthValidator:
    def __init__(self, min_score: int = MIN_SCORE) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        inputs = [str(getattr(user, name, "") or "") for name in ("username", "first_name", "last_name", "email")]
        result = zxcvbn(password[:100], user_inputs=[i for i in inputs if i])  # zxcvbn slows on very long input
        if result["score"] < self.min_score:
            raise ValidationError(TOO_WEAK, code="password_too_weak")

    def get_help_text(self) -> str:
        return "Your password must be hard to guess: three or four random words together work well."
