"""Sign-in forms: password (throttled, audited) and the two-factor code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from papitrack.accounts.enums import LoginChannel
from papitrack.accounts.services import LoginRefused, check_password_login
from papitrack.lib.http import client_address

CODE_LABEL = "Mã xác thực (6 số)"


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the lockout and the audit of accounts.services."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = check_password_login(
                    username=username,
                    password=password,
                    address=client_address(self.request) if self.request else None,
                    channel=LoginChannel.WEB,
                )
            except LoginRefused as error:
                raise ValidationError(str(error.args[0]), code="invalid_login") from error
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=CODE_LABEL,
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )
