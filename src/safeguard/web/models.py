"""What the web pages keep of their own: the one-time tokens of forms already saved."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SubmittedForm(models.Model):
    """A form token that has been used. A second post of the same form (a double click, a resent request,
    the back button) finds its token here and is shown what the first one saved instead of saving again."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("cases.CaseEvent", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.token[:8]}… {self.case_id}/{self.event_id}"
