"""Signing in and out, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is not active: ask your administrator",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget = forms.TextInput(attrs={"autocomplete": "username"})

    def error_list(self) -> list[tuple[str, str]]:
        items = [("#username", str(e)) for e in self.non_field_errors()]
        items += [(f"#{name}", str(e)) for name in ("username", "password") for e in self.errors.get(name, [])]
        return items


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    return redirect("caseload" if request.user.is_authenticated else "login")
