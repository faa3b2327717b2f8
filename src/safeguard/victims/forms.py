from __future__ import annotations

from django import forms

from safeguard.limits import field_limit
from safeguard.victims.models import CONTACT_BY, WORKER_ROLES, ContactDetail, SafetyContact, SupportWorker

DATE = forms.DateInput(attrs={"type": "date"})


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
