"""Signing in and out, with GOV.UK error messages.

Signing in is two steps when two-factor is on (SAFEGUARD_TWO_FACTOR): the password here, then the code from the
authenticator app (safeguard.accounts.views.verify); until then the session can open nothing else
(safeguard.accounts.middleware). A locked-out username gets the lockout page (safeguard.accounts.lockout).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.accounts.access import role_of
from safeguard.accounts.middleware import two_factor_required
from safeguard.accounts.two_factor import has_two_factor
from safeguard.audit.log import write_audit

# Shown on the sign-in page after the session ended for one of these reasons (?reason=1 in the address).
ENDED = {
    "ended": "You have been signed out: your session ended on this device. Sign in again to continue.",
    "everywhere": "You have been signed out on every device. Sign in again to continue.",
    "two_factor_reset": "Your two-factor authentication has been reset. Sign in to set up your new authenticator "
                        "app.",
}


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


# The method check comes before LoginView's own dispatch (which sends a signed-in user on before looking at the
# method, and would take PUT as a POST).
@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notice"] = next((text for key, text in ENDED.items() if key in self.request.GET), "")
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        write_audit("account.signed_in", request=self.request, object_type="user",
                    object_id=str(self.request.user.pk))
        if two_factor_required():
            step = "accounts:two-factor-verify" if has_two_factor(self.request.user) else "accounts:two-factor-setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': response['Location']})}")
        return response

    def get_default_redirect_url(self) -> str:
        if role_of(self.request.user) == "admin":
            return reverse("accounts:users")  # administrators manage users, not cases
        return str(super().get_default_redirect_url())


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post"]  # Django's answers OPTIONS too


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and role_of(request.user) == "admin":
        return redirect("accounts:users")
    return redirect("caseload" if request.user.is_authenticated else "login")
