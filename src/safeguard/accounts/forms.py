"""Forms for two-factor, the user's own account and user management, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User

from safeguard.accounts.models import ROLE_CHOICES
from safeguard.workforce.models import DeliveryUnit, Staff


class ErrorListMixin:
    """(anchor, message) pairs for the error summary, each linking to its field."""

    def error_list(self) -> list[tuple[str, str]]:
        form: Any = self
        names = list(form.fields)
        items = [(f"#{form[names[0]].auto_id}", str(e)) for e in form.errors.get("__all__", [])] if names else []
        for name in names:
            items += [(f"#{form[name].auto_id}", str(e)) for e in form.errors.get(name, [])]
        return items


class CodeForm(ErrorListMixin, forms.Form):
    code = forms.CharField(max_length=20, error_messages={"required": "Enter the code from your authenticator app"})

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if len(code.replace(" ", "").replace("-", "")) < 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app, or a recovery code")
        return code


class PasswordForm(ErrorListMixin, forms.Form):
    """Confirms it is the user before a sensitive change to their own account."""

    password = forms.CharField(widget=forms.PasswordInput, strip=False,
                               error_messages={"required": "Enter your password"})

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError("Your password is not correct")
        return password


class ChangePasswordForm(ErrorListMixin, PasswordChangeForm):
    error_messages = {**PasswordChangeForm.error_messages,
                      "password_incorrect": "Your current password is not correct",
                      "password_mismatch": "The new passwords do not match"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class NewUserForm(ErrorListMixin, forms.Form):
    username = forms.RegexField(regex=r"^[a-z0-9._-]{3,40}$", max_length=40, error_messages={
        "required": "Enter a username",
        "invalid": "Username must be 3 to 40 lower-case letters, numbers, dots, hyphens or underscores"})
    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter the user's first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter the user's last name"})
    email = forms.EmailField(required=False, error_messages={"invalid": "Enter an email address like "
                                                                         "name@justice.gov.uk"})
    role = forms.ChoiceField(choices=ROLE_CHOICES, error_messages={"required": "Select the user's role",
                                                                   "invalid_choice": "Select one of the roles"})
    unit = forms.ModelChoiceField(queryset=DeliveryUnit.objects.order_by("name"), required=False,
                                  error_messages={"invalid_choice": "Select one of the delivery units"})
    staff = forms.ModelChoiceField(queryset=Staff.objects.filter(user=None).order_by("name"), required=False,
                                   error_messages={"invalid_choice": "Select a staff record not yet linked to a "
                                                                     "user"})

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with this username already exists: choose another")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role and role not in {"admin", "integration"} and not data.get("unit"):
            self.add_error("unit", "Select the delivery unit (or partner agency's area) the user works in")
        if role in {"practitioner", "spo"} and not data.get("staff"):
            self.add_error("staff", "Select the staff record of this practitioner or senior probation officer")
        return data


def temporary_password() -> str:
    """A password for a new user to sign in with once and change: long, random, and valid under the rules."""
    import secrets

    words = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(16))
    password = "-".join(words[i:i + 4] for i in range(0, 16, 4))
    password_validation.validate_password(password)
    return password
