"""The interventions and workforce forms, drawn as GOV.UK questions (web/fields/*.html) with per-field errors.

Each form is a plain Django form; `controls` turns its bound fields into the web app's Control objects so the
pages use the same templates, error messages and error summary as the case record forms. What a service
function refuses is shown against the field it concerns (or above the form).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from safeguard.interventions import lifecycle
from safeguard.interventions.catalogue import CATALOGUE, EXCLUSIONS
from safeguard.interventions.models import Attendance, Cohort
from safeguard.victims.forms import NeverDiscloseMixin
from safeguard.web.datefield import GovDateField
from safeguard.web.eventforms import Choice, Control


def words(code: str) -> str:
    return code.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # date | input | number | textarea | radios | select | checkboxes
    hint: str = ""
    width: str = ""


class GovForm(NeverDiscloseMixin, forms.Form):
    """A form whose questions render as GOV.UK controls (set `questions` in the subclass). A view of a form about
    one case calls `guard(user, case)` before validation: free text holding a never-disclose value of the case is
    refused and shown again redacted (safeguard.victims.forms.NeverDiscloseMixin)."""

    questions: Sequence[Question] = ()
    form_id = "iv-form"

    def controls(self) -> list[Control]:
        found = []
        for q in self.questions:
            field = self.fields[q.name]
            choices = [Choice(str(v), str(label)) for v, label in getattr(field, "choices", []) if v != ""]
            found.append(Control(name=q.name, kind=q.kind, label=str(field.label), hint=q.hint, choices=choices,
                                 width=q.width, bound=self[q.name],
                                 empty="Nothing to choose from" if q.kind in {"radios", "select", "checkboxes"}
                                 and not choices else ""))
        return found

    def error_list(self) -> list[tuple[str, str]]:
        """(link target, message) for the GOV.UK error summary, in the order of the questions."""
        items = [(f"#{self.form_id}", str(e)) for e in self.non_field_errors()]
        for control in self.controls():
            items.extend((f"#{control.first_id}", message) for message in control.errors)
        return items

    def refuse(self, error: Exception, field: str | None = None) -> None:
        """Show what the service refused, against `field` (or above the form)."""
        self.add_error(field, str(error))


def _required(label: str, verb: str = "Select") -> dict[str, str]:
    return {"required": f"{verb} {label}", "invalid_choice": f"{verb} {label} from the list"}


def _past_date(label: str, today: date, *, required: bool = False) -> GovDateField:
    return GovDateField(label=label, required=required, latest=today,
                        latest_reason=f"{label} must be today or in the past")


class CourseForm(GovForm):
    """Set up a course (a cohort) with its weekly sessions."""

    questions = (
        Question("intervention", "select"),
        Question("location", "input", "Where the sessions are held, for example the office or the provider's venue",
                 "govuk-input--width-20"),
        Question("capacity", "number", "How many people the course can take", "govuk-input--width-3"),
        Question("starts_on", "date", "The date of the first session, for example 3 3 2027"),
        Question("sessions", "number", "Leave empty for the intervention's usual number; one session a week",
                 "govuk-input--width-3"),
    )
    form_id = "course-form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = [i for i in CATALOGUE if i.delivery.startswith("group")]
        self.fields["intervention"] = forms.ChoiceField(
            label="Intervention", choices=[(i.code, i.name) for i in groups or CATALOGUE],
            error_messages=_required("the intervention"))
        self.fields["location"] = forms.CharField(label="Location", max_length=120, required=False)
        self.fields["capacity"] = forms.IntegerField(
            label="Places", min_value=1, max_value=40,
            error_messages={"required": "Enter the number of places", "invalid": "Places must be a whole number",
                            "min_value": "Places must be at least 1", "max_value": "Places must be 40 or fewer"})
        self.fields["starts_on"] = GovDateField(label="Start date", required=True)
        self.fields["sessions"] = forms.IntegerField(
            label="Number of weekly sessions", min_value=1, max_value=80, required=False,
            error_messages={"invalid": "Number of sessions must be a whole number",
                            "min_value": "Number of sessions must be at least 1",
                            "max_value": "Number of sessions must be 80 or fewer"})


class BookForm(GovForm):
    """Book a waiting referral onto a course."""

    questions = (Question("referral", "radios", "People waiting for this programme whose cases you can see"),
                 Question("on", "date", "Leave empty for today"))
    form_id = "book-form"

    def __init__(self, *args: Any, waiting: Sequence[tuple[int, str]], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"] = forms.TypedChoiceField(
            label="Who to book", choices=[(str(pk), label) for pk, label in waiting], coerce=int,
            error_messages=_required("who to book"))
        self.fields["on"] = _past_date("Date booked", today)


class RegisterForm(GovForm):
    """The register for one session: attended, absent (acceptable) or absent (unacceptable) for each place."""

    form_id = "register-form"

    def __init__(self, *args: Any, places: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(Question(f"place_{pk}", "radios") for pk, _ in places)
        for pk, label in places:
            self.fields[f"place_{pk}"] = forms.ChoiceField(
                label=label, choices=Attendance.OUTCOMES, required=False,
                error_messages={"invalid_choice": f"Select whether {label} attended"})

    def outcomes(self) -> dict[int, str]:
        """The places given an answer (left empty: not recorded yet)."""
        return {int(name.removeprefix("place_")): value for name, value in self.cleaned_data.items() if value}


class StepForm(GovForm):
    """One step of a referral's lifecycle (start, completion, leaving, not suitable...)."""

    form_id = "step-form"

    def __init__(self, *args: Any, transition: lifecycle.Transition, today: date,
                 cohorts: Sequence[Cohort] | None = None, interventions: Sequence[tuple[str, str]] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions: list[Question] = []
        if transition.reasons:
            label = "Cancelled by" if transition.reason_field == "by" else "Reason"
            self.fields["reason"] = forms.ChoiceField(label=label, choices=[(r, words(r)) for r in transition.reasons],
                                                      error_messages=_required(label.lower()))
            questions.append(Question("reason", "radios"))
        if cohorts is not None:
            options = [("", "One-to-one (no course)")] + [
                (str(c.pk), f"{c.name}, {c.location or c.unit}, from {c.starts_on:%d %b %Y} "
                            f"({getattr(c, 'taken', 0)} of {c.capacity} taken)") for c in cohorts]
            self.fields["cohort"] = forms.ChoiceField(label="Course", choices=options, required=False,
                                                      error_messages=_required("a course"))
            questions.append(Question("cohort", "select", "Leave as one-to-one only for one-to-one work"))
        if interventions:
            self.fields["intervention"] = forms.ChoiceField(
                label="Intervention", choices=list(interventions), required=False,
                error_messages=_required("the intervention"))
            questions.append(Question("intervention", "radios", "For Building Choices, the intensity"))
        self.fields["on"] = _past_date("Date", today)
        questions.append(Question("on", "date", "Leave empty for today"))
        self.fields["note"] = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea,
                                              max_length=2000)
        questions.append(Question("note", "textarea"))
        self.questions = tuple(questions)


class DecisionForm(GovForm):
    """An SPO's manager decision that stops rule 16 after "not suitable"."""

    questions = (Question("decision", "textarea", "What is planned instead, and why no start is needed"),)
    form_id = "decision-form"

    decision = forms.CharField(label="Decision and reasons", max_length=2000,
                               error_messages={"required": "Enter the decision and the reasons for it"})


class ExclusionForm(GovForm):
    questions: Sequence[Question] = (Question("code", "radios"), Question("on", "date", "Leave empty for today"),
                 Question("note", "textarea", "What was found, and by whom (not the detail of his health)"))
    form_id = "exclusion-form"

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"] = forms.ChoiceField(label="Suitability exclusion",
                                                choices=[(e.code, e.label) for e in EXCLUSIONS],
                                                error_messages=_required("the exclusion"))
        self.fields["on"] = _past_date("Date noted", today)
        self.fields["note"] = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea,
                                              max_length=2000)


class CancelForm(GovForm):
    questions = (Question("reason", "radios"), Question("on", "date", "Leave empty for today"))
    form_id = "cancel-form"

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.ChoiceField(label="Why is the course cancelled?",
                                                  choices=[(r, words(r)) for r in Cohort.CANCEL_REASONS],
                                                  error_messages=_required("why the course is cancelled"))
        self.fields["on"] = _past_date("Date cancelled", today)


class SupervisionForm(GovForm):
    """A supervision session between an SPO and a practitioner (workforce oversight)."""

    questions = (
        Question("practitioner", "select"),
        Question("supervisor", "select"),
        Question("held_on", "date", "For example 3 3 2026"),
        Question("minutes", "number", "Optional", "govuk-input--width-3"),
        Question("cases", "checkboxes", "The practitioner's cases you talked about"),
        Question("notes", "textarea", "Decisions and actions agreed; case details belong on the case"),
        Question("next_on", "date", "Optional"),
    )
    form_id = "supervision-form"

    def __init__(self, *args: Any, practitioners: Sequence[tuple[int, str]], supervisors: Sequence[tuple[int, str]],
                 cases: Sequence[tuple[int, str]], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"] = forms.TypedChoiceField(
            label="Practitioner", coerce=int, choices=[(str(pk), n) for pk, n in practitioners],
            error_messages=_required("the practitioner"))
        self.fields["supervisor"] = forms.TypedChoiceField(
            label="Supervised by", coerce=int, choices=[(str(pk), n) for pk, n in supervisors],
            error_messages=_required("who supervised"))
        self.fields["held_on"] = GovDateField(label="Date of the session", required=True, latest=today,
                                              latest_reason="Date of the session must be today or in the past")
        self.fields["minutes"] = forms.IntegerField(
            label="Minutes", required=False, min_value=5, max_value=480,
            error_messages={"invalid": "Minutes must be a whole number", "min_value": "Minutes must be 5 or more",
                            "max_value": "Minutes must be 480 or fewer"})
        self.fields["cases"] = forms.TypedMultipleChoiceField(
            label="Cases discussed", coerce=int, required=False, choices=[(str(pk), n) for pk, n in cases],
            error_messages={"invalid_choice": "Select cases from the list"})
        self.fields["notes"] = forms.CharField(label="Decisions", widget=forms.Textarea, max_length=4000,
                                               error_messages={"required": "Enter the decisions made"})
        self.fields["next_on"] = GovDateField(label="Next session", required=False)
