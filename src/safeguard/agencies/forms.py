"""Forms for partner-agency work. Rendered by agencies/_form.html in GOV.UK Frontend markup."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.agencies.models import AGENCIES, CHILD_PROTECTION, ControlTerms, MaracAction
from safeguard.cases.models import Case, LinkedPerson
from safeguard.limits import CASE_REF_MAX, TEXT_MAX, field_limit
from safeguard.timeline import schema
from safeguard.victims.forms import NeverDiscloseMixin
from safeguard.workforce.models import DeliveryUnit

YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]
DATE = forms.DateInput(attrs={"type": "date"})


def tri_state(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def person_choices(case: Case) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.name or p.ref} ({p.get_relationship_display()})")
            for p in LinkedPerson.objects.filter(case=case).order_by("ref")]


class PeopleMixin:
    """A form with `about` / `protects`: checkboxes of the case's linked people."""

    person_field = "about"

    def set_people(self, case: Case) -> None:
        field = self.fields[self.person_field]  # type: ignore[attr-defined]
        field.choices = person_choices(case)

    def people(self, case: Case) -> list[LinkedPerson]:
        ids = [int(i) for i in self.cleaned_data.get(self.person_field) or []]  # type: ignore[attr-defined]
        return list(LinkedPerson.objects.filter(case=case, pk__in=ids))


class RequestForm(NeverDiscloseMixin, PeopleMixin, forms.Form):
    never_disclose_skip = ("addresses",)  # refused when sending (agencies.actions.send_request)
    agency = forms.ChoiceField(choices=AGENCIES, widget=forms.RadioSelect, label="Agency")
    area = forms.ModelChoiceField(queryset=DeliveryUnit.objects.order_by("name"), label="Area",
                                  help_text="The area whose agency should answer: the case's own unless they moved")
    about = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                      label="People involved", help_text="The agency sees their names and dates of "
                                      "birth. Leave all unticked to ask about the whole household.")
    addresses = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                                label="Addresses to check",
                                help_text="One a line. Never include an address marked never disclose.")
    question = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), label="Your question",
                               help_text="What you need to know. The agency sees only this, the names and dates "
                                         "of birth, and the addresses.")


class AnswerForm(forms.Form):
    callouts = forms.IntegerField(required=False, min_value=0, label="Domestic call-outs found",
                                  widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    callout_dates = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                                    label="Dates of the call-outs", help_text="One a line, as DD/MM/YYYY")
    children_known = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False, widget=forms.RadioSelect,
                                       label="Are children known to you at these addresses or with these people?")
    child_protection = forms.ChoiceField(choices=[("", "Not asked / not applicable"), *CHILD_PROTECTION],
                                         required=False, label="Child protection status")
    other_information = forms.CharField(required=False, max_length=TEXT_MAX,
                                        widget=forms.Textarea(attrs={"rows": 4}),
                                        label="Other information", help_text="Anything else probation should know "
                                        "to keep people safe (bail conditions, intelligence, warnings)")
    summary = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                              label="Summary of your answer",
                              help_text="This is recorded on the case as your answer")


class UseForm(forms.Form):
    event = forms.ChoiceField(label="The assessment or review that used this answer")


class MaracReferralForm(NeverDiscloseMixin, forms.Form):
    dash_yes = forms.IntegerField(required=False, min_value=0, max_value=24, label="DASH yes answers",
                                  help_text="14 or more is visible high risk",
                                  widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    escalation = forms.BooleanField(required=False, label="Potential escalation (repeated incidents: 3 or more "
                                                          "domestic police incidents in 12 months)")
    incidents = forms.IntegerField(required=False, min_value=0, label="Domestic police incidents in 12 months",
                                   widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    judgement = forms.BooleanField(required=False, label="Professional judgement")
    reasons = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                              label="Reasons for your professional judgement")


class HearingForm(NeverDiscloseMixin, forms.Form):
    heard_on = forms.DateField(widget=DATE, label="Date of the hearing")
    outcome = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), label="Outcome")
    register_imar = forms.BooleanField(required=False, initial=True, label="Register the case as MARAC (IMAR)")

    def __init__(self, *args: Any, rows: int = 5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(rows):
            self.fields[f"action_{i}"] = forms.CharField(required=False, max_length=TEXT_MAX, label=f"Action {i + 1}")
            self.fields[f"owner_{i}"] = forms.ChoiceField(choices=MaracAction.OWNERS, required=False,
                                                          label=f"Action {i + 1}: who")
            self.fields[f"due_{i}"] = forms.DateField(required=False, widget=DATE, label=f"Action {i + 1}: by")
        self.rows = rows

    def actions(self) -> list[tuple[str, str, Any]]:
        found = []
        for i in range(self.rows):
            text = (self.cleaned_data.get(f"action_{i}") or "").strip()
            if text:
                found.append((text, self.cleaned_data.get(f"owner_{i}") or "probation",
                              self.cleaned_data.get(f"due_{i}")))
        return found


class MappaForm(forms.Form):
    category = forms.TypedChoiceField(choices=[(i, f"Category {i}") for i in range(1, 5)], coerce=int,
                                      widget=forms.RadioSelect, label="MAPPA category")
    level = forms.TypedChoiceField(choices=[(i, f"Level {i}") for i in range(1, 4)], coerce=int,
                                   widget=forms.RadioSelect, label="MAPPA level")
    register = forms.BooleanField(required=False, initial=True, label="Register the case as MAPPA (MAPP)")


CONTROL_CHOICES = [(c, c.replace("_", " ").capitalize().replace("Dapo", "DAPO (domestic abuse protection order)"))
                   for c in schema.CONTROLS]


class ControlForm(NeverDiscloseMixin, PeopleMixin, forms.Form):
    person_field = "protects"
    control = forms.ChoiceField(choices=CONTROL_CHOICES, widget=forms.RadioSelect, label="Kind of control")
    protects = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                         label="People it protects")
    until = forms.DateField(required=False, widget=DATE, label="End date", help_text="Leave empty if open-ended")
    terms = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), label="Terms",
                            help_text="What the order or condition forbids or requires (kept encrypted)")
    made_by = forms.CharField(required=False, max_length=field_limit(ControlTerms, "made_by"), label="Made by",
                              help_text="The court or issuing body")
    reference = forms.CharField(required=False, max_length=field_limit(ControlTerms, "reference"), label="Reference")


class BreachForm(NeverDiscloseMixin, forms.Form):
    never_disclose_skip = ("case_ref",)
    case_ref = forms.CharField(required=False, max_length=CASE_REF_MAX, label="Case reference (CRN)",
                               help_text="Or report from the request in your queue")
    control = forms.ChoiceField(choices=[("", "Not sure"), *CONTROL_CHOICES], required=False,
                                label="Which order or condition was breached?")
    occurred_on = forms.DateField(widget=DATE, label="When did it happen?")
    reported_by = forms.ChoiceField(choices=[("victim", "The victim told me"), ("police", "Police"),
                                             ("practitioner", "Probation"), ("other", "Someone else")],
                                    widget=forms.RadioSelect, label="Who is reporting it?")
    description = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}), label="What happened",
                                  help_text="Kept encrypted; only the practitioner and their manager read it")


class ConsiderForm(NeverDiscloseMixin, forms.Form):
    police_consulted = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False, widget=forms.RadioSelect,
                                         label="Have the police been consulted?")
    considerations = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                                     label="What you considered")
    decision = forms.ChoiceField(choices=[("", "Not decided yet"), ("disclose", "Apply for a Right to Know "
                                                                                "disclosure"),
                                          ("not_disclose", "Do not disclose (a manager must confirm)")],
                                 required=False, widget=forms.RadioSelect, label="Decision")
    reasons = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                              label="Reasons")


class DisclosedForm(forms.Form):
    scheme = forms.ChoiceField(choices=[("right_to_know", "Right to Know"), ("right_to_ask", "Right to Ask")],
                               widget=forms.RadioSelect, label="Scheme")
