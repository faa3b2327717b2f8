from __future__ import annotations

from typing import Any

from django import forms

from safeguard.limits import field_limit
from safeguard.victims.models import CONTACT_BY, WORKER_ROLES, ContactDetail, SafetyContact, SupportWorker
from safeguard.victims.redaction import ON_ENTRY, hidden_on_entry, withheld_on_entry

DATE = forms.DateInput(attrs={"type": "date"})


class NeverDiscloseMixin:
    """A form of free text about a case that must not hold the case's never-disclose values (a refuge address
    typed into a note, a question, a MARAC referral). The view calls `guard(user, case)` before validation;
    then a text field holding one is refused with ON_ENTRY and shown again with the value taken out, so saving
    again stores the redacted text. Users entitled to see the values on screen are not refused.
    `never_disclose_fields()` names the fields checked: every text field but `never_disclose_skip`."""

    never_disclose_skip: tuple[str, ...] = ()
    _hidden: list[str] = []

    def guard(self, user: Any, case: Any) -> None:
        self._hidden = hidden_on_entry(user, case)

    def never_disclose_fields(self) -> list[str]:
        fields = self.fields  # type: ignore[attr-defined]
        return [n for n, f in fields.items() if isinstance(f, forms.CharField) and n not in self.never_disclose_skip
                and not isinstance(f.widget, forms.HiddenInput)]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        cleaned = getattr(self, "cleaned_data", None)
        if not self._hidden or cleaned is None:
            return
        found = withheld_on_entry({n: cleaned.get(n) for n in self.never_disclose_fields()}, self._hidden)
        if found:
            data = self.data.copy()  # type: ignore[attr-defined,has-type]
            for name, redacted in found.items():
                data[self.add_prefix(name)] = redacted  # type: ignore[attr-defined]
            self.data = data
            for name in found:
                self.add_error(name, ON_ENTRY)  # type: ignore[attr-defined]


class DetailForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactDetail.KINDS, widget=forms.RadioSelect, label="Kind")
    value = forms.CharField(max_length=field_limit(ContactDetail, "value"), widget=forms.Textarea(attrs={"rows": 3}),
                            label="Detail")
    never_disclose = forms.BooleanField(required=False, label="Never disclose (for example a refuge address): "
                                                              "only victim-facing workers see it, on screen only, "
                                                              "and only they may add or remove it")
    note = forms.CharField(required=False, max_length=field_limit(ContactDetail, "note"), label="Note",
                           help_text="When and how it may be used")


class WorkerForm(forms.Form):
    role = forms.ChoiceField(choices=WORKER_ROLES, widget=forms.RadioSelect, label="Role")
    name = forms.CharField(label="Name", max_length=field_limit(SupportWorker, "name"))
    organisation = forms.CharField(required=False, max_length=field_limit(SupportWorker, "organisation"),
                                   label="Organisation")
    phone = forms.CharField(required=False, max_length=field_limit(SupportWorker, "phone"), label="Phone")


class SafetyContactForm(forms.Form):
    by = forms.ChoiceField(choices=CONTACT_BY, widget=forms.RadioSelect, label="Who made contact")
    safety_plan = forms.BooleanField(required=False, label="A safety plan was made or reviewed")
    plan = forms.CharField(required=False, max_length=field_limit(SafetyContact, "plan"),
                           widget=forms.Textarea(attrs={"rows": 4}), label="Safety plan",
                           help_text="Kept encrypted with the victim's record, never in the case's record")
    plan_review_on = forms.DateField(required=False, widget=DATE, label="Review the plan by")
