"""Forms for setting a password from a mailed link (staff management's forms are in organisations)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email", "autofocus": True}),
    )
