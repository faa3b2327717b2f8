"""The GOV.UK date input (day, month and year boxes) as a Django form field, with GOV.UK's error wording."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

PARTS = ("day", "month", "year")


class DatePartsWidget(forms.MultiWidget):
    """Three text boxes named <name>_day, <name>_month and <name>_year."""

    def __init__(self) -> None:
        super().__init__({part: forms.TextInput() for part in PARTS})

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovDateField(forms.MultiValueField):
    widget = DatePartsWidget

    def __init__(self, *, label: str, required: bool, earliest: date | None = None, latest: date | None = None,
                 earliest_reason: str = "", latest_reason: str = "", **kwargs: Any) -> None:
        self.noun = label
        self.earliest, self.latest = earliest, latest
        self.earliest_reason, self.latest_reason = earliest_reason, latest_reason
        parts = tuple(forms.CharField(required=False) for _ in PARTS)
        super().__init__(parts, required=required, require_all_fields=False, label=label,
                         error_messages={"required": f"Enter the {label.lower()}",
                                         "incomplete": f"Enter the {label.lower()}"}, **kwargs)

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list:
            return None
        values = [str(v or "").strip() for v in data_list]
        missing = [part for part, v in zip(PARTS, values, strict=True) if not v]
        if len(missing) == 3:
            return None
        if missing:
            raise forms.ValidationError(f"{self.noun} must include a {' and a '.join(missing)}")
        if not all(v.isdigit() for v in values):
            raise forms.ValidationError(f"{self.noun} must be a real date")
        if len(values[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            day = date(int(values[2]), int(values[1]), int(values[0]))
        except ValueError:
            raise forms.ValidationError(f"{self.noun} must be a real date") from None
        if self.latest is not None and day > self.latest:
            raise forms.ValidationError(self.latest_reason or f"{self.noun} must be today or in the past")
        if self.earliest is not None and day < self.earliest:
            raise forms.ValidationError(self.earliest_reason or f"{self.noun} is too early")
        return day
