"""One form for every event type, generated from the timeline schema (safeguard.timeline.schema).

A form is built for one event type on one case: its controls come from the schema's fields (dates become
GOV.UK date inputs, enumerations radios or selects, booleans checkboxes, person and staff fields pickers
of the case's people and the team's staff), its cleaned data becomes an event dict in timeline
vocabulary, and record_event has the last word: a TimelineError it raises is shown against the field it
names. Adding an event type to the schema gives it a working form with no code here.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.forms import BoundField

from safeguard.limits import LOCAL_REF_MAX, TEXT_MAX, local_ref_problem
from safeguard.timeline import schema
from safeguard.timeline.schema import Field
from safeguard.timeline.validate import TimelineError
from safeguard.victims.forms import NeverDiscloseMixin
from safeguard.web import labels
from safeguard.web.datefield import GovDateField

# Text fields that hold sentences rather than a word or two.
LONG_TEXT = frozenset({"description", "summary", "text", "analysis", "decision", "reason", "actions"})
# Fields the schema leaves optional that a form should still insist on: without them the record is of
# little use to the next reader (and, for assessments, cannot meet the policy).
WEB_REQUIRED = frozenset({
    ("assessed", "by"), ("assessed", "rosh"), ("assessed", "sara_partner"), ("assessed", "sara_others"),
    ("reviewed", "by"), ("contact", "by"), ("manager_decision", "by"), ("manager_decision", "decision"),
    ("note", "by"), ("note", "text"), ("information_received", "text"),
})
# Optional radios get an explicit "no answer" choice, so a click can be taken back without JavaScript.
NO_ANSWER = {("reviewed", "rosh"): "No change", ("reviewed", "sara_partner"): "No change",
             ("reviewed", "sara_others"): "No change"}
# GOV.UK error messages for required questions whose label does not read well after "Select the".
REQUIRED_MESSAGES = {
    ("contact", "by"): "Select who saw him", ("assessed", "by"): "Select who did the assessment",
    ("reviewed", "by"): "Select who did the review", ("countersigned", "by"): "Select who is countersigning",
    ("manager_decision", "by"): "Select who made the decision", ("note", "by"): "Select who wrote the note",
    ("manager_decision", "decision"): "Enter the decision and the reasons for it",
    ("manager_decision", "about"): "Select what the decision is about",
}
MAX_RADIOS = 6
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
_MISSING = object()


@dataclass
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass
class Control:
    """One question on the page, as the templates render it (web/fields/<kind>.html)."""

    name: str
    kind: str  # date | input | number | textarea | radios | select | checkbox | checkboxes | variants | fieldset
    label: str
    hint: str = ""
    choices: list[Choice] = field(default_factory=list)
    children: list[Control] = field(default_factory=list)  # a fieldset's questions
    variant_children: dict[str, list[Control]] = field(default_factory=dict)  # a variant's own questions
    width: str = ""
    empty: str = ""  # shown instead of the question when there is nothing to choose from
    bound: BoundField | None = None

    @property
    def first_id(self) -> str:
        """Where the error summary links to (GOV.UK: the first input of the question)."""
        return f"{self.name}_day" if self.kind == "date" else self.name

    @property
    def errors(self) -> list[str]:
        return [str(e) for e in self.bound.errors] if self.bound is not None else []

    @property
    def value(self) -> Any:
        return self.bound.value() if self.bound is not None else None

    @property
    def selected(self) -> list[str]:
        """The chosen values as strings (for radios, selects and checkboxes)."""
        value = self.value
        if value is None or value == "":
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]

    @property
    def date_parts(self) -> list[str]:
        value = self.value
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(v or "") for v in value][:3] + [""] * (3 - len(value))
        return ["", "", ""]

    @property
    def inline(self) -> bool:
        """Radios side by side only when there are few and they are short (Yes, No, Not known)."""
        return len(self.choices) <= 3 and all(len(c.label) <= 12 for c in self.choices)

    @property
    def described_by(self) -> str:
        ids = ([f"{self.name}-hint"] if self.hint else []) + ([f"{self.name}-error"] if self.errors else [])
        return " ".join(ids)

    def all_controls(self) -> list[Control]:
        nested = [c for kids in self.variant_children.values() for c in kids]
        return [self, *[d for c in [*self.children, *nested] for d in c.all_controls()]]


@dataclass(frozen=True)
class Person:
    ref: str
    label: str


@dataclass(frozen=True)
class CaseChoices:
    """What the pickers offer on this case: its people, staff who may be named, what is already known."""

    people: list[Person]
    staff: list[tuple[str, str]]  # (staff code, label)
    unit_staff: list[tuple[str, str]]  # for allocation and transfer
    me: str | None  # the signed-in user's staff code
    addresses: list[str]
    last_on: date | None
    today: date


class EventForm(NeverDiscloseMixin, forms.Form):
    """A form for one event type on one case; `controls` drive the page, `to_event()` builds the event. Its free
    text (the schema's text fields, not addresses) is checked for the case's never-disclose values when the view
    calls guard() (safeguard.victims.forms.NeverDiscloseMixin)."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    seen_seq = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, event_type: str, options: CaseChoices, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_type = event_type
        self.options = options
        self._free_text: list[str] = []
        self.controls: list[Control] = [self._on_control()]
        for name, spec in schema.EVENTS[event_type].items():
            self.controls.append(self._control(name, name, spec, required=self._required(name, spec)))
        for control in self.all_controls():
            if control.name in self.fields:
                control.bound = self[control.name]

    # -- building ---------------------------------------------------------------------------------
    def all_controls(self) -> list[Control]:
        return [c for top in self.controls for c in top.all_controls()]

    def _required(self, name: str, spec: Field) -> bool:
        return spec.required or (self.event_type, name) in WEB_REQUIRED

    def _on_control(self) -> Control:
        last = self.options.last_on
        self.fields["on"] = GovDateField(
            label="Date", required=True, latest=self.options.today, earliest=last,
            latest_reason="The date must be today or in the past",
            earliest_reason=(f"The date must be on or after {_long(last)}, the date of the latest event on this case"
                             if last else ""),
        )
        return Control("on", "date", "Date", hint=f"For example, {_example(self.options.today)}")

    def _control(self, name: str, field_name: str, spec: Field, *, required: bool, in_variant: bool = False,
                 label: str | None = None) -> Control:
        """The control (and its Django field, registered as `name`) for one schema field."""
        text = label or labels.field_label(self.event_type, field_name)
        hint = labels.field_hint(self.event_type, field_name)
        shown = text if required or spec.kind in {"bool", "enum_list", "persons", "typed_list", "object"} \
            else f"{text} (optional)"
        kind = spec.kind
        if kind == "object":
            children = [self._control(f"{name}__{sub}", sub, sub_spec, required=sub_spec.required)
                        for sub, sub_spec in spec.shape.items()]
            return Control(name, "fieldset", text, hint=hint, children=children)
        if kind == "typed_list":
            choices = [Choice(v, labels.value_label(v)) for v in spec.variants]
            self.fields[name] = forms.MultipleChoiceField(choices=[(c.value, c.label) for c in choices],
                                                          required=False)
            variant_children = {
                variant: [self._control(f"{name}__{variant}__{sub}", sub, sub_spec, required=False, in_variant=True)
                          for sub, sub_spec in fields.items()]
                for variant, fields in spec.variants.items()
            }
            return Control(name, "variants", text, hint=hint or "Tick all that apply.", choices=choices,
                           variant_children=variant_children)
        if kind == "date":
            self.fields[name] = GovDateField(label=text, required=required)
            return Control(name, "date", shown, hint=hint or f"For example, {_example(self.options.today)}")
        if kind in {"text", "address"}:
            if kind == "text":
                self._free_text.append(name)
            long = kind == "text" and field_name in LONG_TEXT
            limit = spec.max_length or (TEXT_MAX if long else 80)
            self.fields[name] = forms.CharField(required=required, max_length=limit,
                                                error_messages=_messages(text, "Enter", self._custom(field_name)))
            if kind == "address" and self.options.addresses and not hint:
                hint = "Known on this case: " + ", ".join(self.options.addresses)
            return Control(name, "textarea" if long else "input", shown, hint=hint,
                           width="" if long else "govuk-input--width-10")
        if kind == "new_person":
            self.fields[name] = forms.CharField(required=required, max_length=LOCAL_REF_MAX,
                                                error_messages=_messages(text, "Enter", self._custom(field_name)))
            self.initial.setdefault(name, self._free_ref("C" if self.event_type == "child_born" else "P"))
            return Control(name, "input", shown, hint=hint, width="govuk-input--width-5")
        if kind == "int":
            self.fields[name] = forms.IntegerField(
                required=required, min_value=spec.minimum, max_value=spec.maximum,
                error_messages={**_messages(text, "Enter"),
                                "invalid": f"{text} must be a whole number",
                                "min_value": f"{text} must be {spec.minimum} or more",
                                "max_value": f"{text} must be {spec.maximum} or less"})
            return Control(name, "number", shown, hint=hint, width="govuk-input--width-3")
        if kind == "bool" and spec.nullable:
            choices = [Choice("yes", "Yes"), Choice("no", "No"), Choice("unknown", "Not known")]
            self.fields[name] = forms.ChoiceField(choices=[(c.value, c.label) for c in choices], required=False)
            return Control(name, "radios", text, hint=hint, choices=choices)
        if kind == "bool":
            self.fields[name] = forms.BooleanField(required=False)
            return Control(name, "checkbox", text, hint=hint)
        if kind in {"enum", "person", "staff"}:
            choices = self._choices(field_name, spec)
            if not required and (len(choices) <= MAX_RADIOS and kind == "enum"):
                choices.append(Choice("", NO_ANSWER.get((self.event_type, field_name), "Not recorded")))
            self.fields[name] = forms.ChoiceField(choices=[(c.value, c.label) for c in choices], required=required,
                                                  error_messages=_messages(text, "Select", self._custom(field_name)))
            if kind == "staff" and self.options.me and any(c.value == self.options.me for c in choices) \
                    and field_name == "by":
                self.initial.setdefault(name, self.options.me)
            widget = "radios" if kind == "enum" and len(choices) <= MAX_RADIOS + (0 if required else 1) \
                else "select"
            empty = self._empty(kind) if not choices else ""
            return Control(name, widget, shown if widget == "select" else text, hint=hint, choices=choices,
                           empty=empty)
        if kind in {"enum_list", "persons"}:
            choices = self._choices(field_name, spec)
            self.fields[name] = forms.MultipleChoiceField(choices=[(c.value, c.label) for c in choices],
                                                          required=False)
            empty = self._empty("person") if not choices else ""
            return Control(name, "checkboxes", text, hint=hint or ("" if in_variant else "Tick all that apply."),
                           choices=choices, empty=empty)
        raise AssertionError(f"no form control for schema field kind {kind!r}")  # pragma: no cover

    def _custom(self, field_name: str) -> str | None:
        return REQUIRED_MESSAGES.get((self.event_type, field_name))

    def _choices(self, field_name: str, spec: Field) -> list[Choice]:
        if spec.kind in {"person", "persons"}:
            return [Choice(p.ref, p.label) for p in self.options.people]
        if spec.kind == "staff":
            staff = self.options.unit_staff if field_name == "practitioner" else self.options.staff
            return [Choice(code, text) for code, text in staff]
        if field_name == "code":
            return [Choice(v, f"{v}: {labels.register_label(v)}") for v in spec.choices]
        return [Choice(v, labels.value_label(v)) for v in spec.choices]

    @staticmethod
    def _empty(kind: str) -> str:
        if kind == "person":
            return "No people are recorded on this case yet. Add a linked person first."
        return "There is nobody to choose from."

    def _free_ref(self, prefix: str) -> str:
        taken = {p.ref for p in self.options.people}
        n = 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"

    # -- validating -------------------------------------------------------------------------------
    def never_disclose_fields(self) -> list[str]:
        return list(self._free_text)

    def clean_form_token(self) -> str:
        token: str = self.cleaned_data["form_token"]
        if not TOKEN_PATTERN.match(token):
            raise forms.ValidationError("This form has expired. Open it again from the case page.")
        return token

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, spec in schema.EVENTS[self.event_type].items():
            if spec.kind == "new_person" and cleaned.get(name):
                ref = cleaned[name].strip()
                if local_ref_problem(ref):
                    self.add_error(name, "Use letters and numbers only, such as P3, with no spaces")
                elif ref in {p.ref for p in self.options.people}:
                    self.add_error(name, f"{ref} is already used on this case: choose another reference")
        return cleaned

    def to_event(self) -> dict[str, Any]:
        """The cleaned form as one event in timeline vocabulary (only what was answered)."""
        data = self.cleaned_data
        event: dict[str, Any] = {"on": data["on"].isoformat(), "type": self.event_type}
        for name, spec in schema.EVENTS[self.event_type].items():
            value = self._value(name, spec)
            if value is not _MISSING:
                event[name] = value
        return event

    def _value(self, name: str, spec: Field) -> Any:
        data = self.cleaned_data
        if spec.kind == "object":
            shape = {k: v for k, s in spec.shape.items() if (v := self._value(f"{name}__{k}", s)) is not _MISSING}
            return shape or _MISSING
        if spec.kind == "typed_list":
            items = []
            for variant in data.get(name) or []:
                item: dict[str, Any] = {"type": variant}
                for sub, sub_spec in spec.variants[variant].items():
                    value = self._value(f"{name}__{variant}__{sub}", sub_spec)
                    if value is not _MISSING:
                        item[sub] = value
                items.append(item)
            return items or _MISSING
        raw = data.get(name)
        if spec.kind == "bool" and spec.nullable:
            return {"yes": True, "no": False, "unknown": None}.get(raw or "", _MISSING)
        if spec.kind == "bool":
            return bool(raw)
        if spec.kind == "date":
            return raw.isoformat() if raw else _MISSING
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "" or raw == []:
            return _MISSING
        return raw

    def add_timeline_error(self, exc: TimelineError) -> None:
        """Show what record_event refused against the field it names (or above the form when it names none)."""
        names = [re.sub(r"\[\d+\]$", "", n) for n in re.findall(r"field '([^']+)'", f"{exc.where}: {exc.problem}")]
        message = _plain(exc.problem)
        for size in range(len(names), 0, -1):
            candidate = "__".join(names[:size])
            if candidate in self.fields:
                self.add_error(candidate, message)
                return
        self.add_error(None, message)

    def error_list(self) -> list[tuple[str, str]]:
        """(link target, message) for the GOV.UK error summary, in the order of the questions."""
        items = [("#record-form", str(e)) for e in self.non_field_errors()]
        for control in self.all_controls():
            items.extend((f"#{control.first_id}", message) for message in control.errors)
        items.extend(("#record-form", str(e)) for name in ("form_token", "version", "seen_seq")
                     for e in self.errors.get(name, []))
        return items


def new_token() -> str:
    return secrets.token_hex(16)


def initial_from_event(event_type: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """A form's initial answers from a (partial) event in timeline vocabulary: the inverse of
    EventForm.to_event, for a form opened pre-filled (a suggestion from new information). Nothing is saved
    until the person checks the answers and saves the form."""
    initial: dict[str, Any] = {}
    if event.get("on"):
        initial["on"] = date.fromisoformat(str(event["on"])[:10])
    for name, spec in schema.EVENTS[event_type].items():
        if name in event:
            _put_initial(initial, name, spec, event[name])
    return initial


def _put_initial(initial: dict[str, Any], name: str, spec: Field, value: Any) -> None:
    if spec.kind == "object":
        for sub, sub_spec in spec.shape.items():
            if isinstance(value, Mapping) and sub in value:
                _put_initial(initial, f"{name}__{sub}", sub_spec, value[sub])
    elif spec.kind == "typed_list":
        items = [item for item in value or [] if isinstance(item, Mapping) and item.get("type") in spec.variants]
        initial[name] = [item["type"] for item in items]
        for item in items:
            for sub, sub_spec in spec.variants[item["type"]].items():
                if sub in item:
                    _put_initial(initial, f"{name}__{item['type']}__{sub}", sub_spec, item[sub])
    elif spec.kind == "bool" and spec.nullable:
        initial[name] = {True: "yes", False: "no", None: "unknown"}.get(value, "")
    elif spec.kind == "date" and value:
        initial[name] = date.fromisoformat(str(value)[:10])
    else:
        initial[name] = list(value) if isinstance(value, list | tuple) else value


def _messages(label: str, verb: str, custom: str | None = None) -> dict[str, str]:
    noun = label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label
    return {"required": custom or f"{verb} the {noun}", "max_length": f"{label} is too long"}


def _plain(problem: str) -> str:
    """record_event's message in the words of the page rather than of a timeline file."""
    text = re.sub(r"^field '[^']+': ", "", problem)
    if "dates must not go backwards" in text:
        return "The date must not be before the latest event on this case"
    if "already used" in text:
        return "That reference is already used on this case: choose another reference"
    text = re.sub(r" \(known: [^)]*\)", "", text)
    text = text.replace("added earlier in the file", "on this case").replace("from the staff list", "")
    return text[:1].upper() + text[1:]


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _example(today: date) -> str:
    return f"{today.day} {today.month} {today.year}"


class VoidForm(NeverDiscloseMixin, forms.Form):
    """Why an event was entered in error (web.views.void). Emptiness and length are the action's to refuse
    (safeguard.actions.voids.void_event); the form checks the reason for the case's never-disclose values."""

    reason = forms.CharField(required=False, strip=False)
