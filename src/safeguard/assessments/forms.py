"""The free text typed on the assessment pages outside the assessment itself: the reason an SPO returns an
assessment for changes and the note marking a plan action done. Emptiness and length are the service's to refuse
(safeguard.assessments.service); the forms refuse a case's never-disclose value (NeverDiscloseMixin)."""

from __future__ import annotations

from django import forms

from safeguard.victims.forms import NeverDiscloseMixin


class ReturnForm(NeverDiscloseMixin, forms.Form):
    reason = forms.CharField(required=False, strip=False)


class PlanDoneForm(NeverDiscloseMixin, forms.Form):
    note = forms.CharField(required=False, strip=False)
