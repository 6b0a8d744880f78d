"""Public account pages: forgotten password, and setting a password from an invitation or reset link.

A GET of a link page only shows the form; the password is set by the POST the person sends.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kompis.accounts import services
from kompis.accounts.forms import PasswordResetRequestForm
from kompis.core.ratelimit import over_limit
from kompis.core.tokens import InvalidLink


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, group="password-reset", rate=settings.SIGNUP_RATE):
            return render(request, "accounts/rate_limited.html", status=429)
        if form.is_valid():
            services.request_password_reset(email=form.cleaned_data["email"], language=get_language() or "sv")
            return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    return _set_password(request, services.INVITE, token)


def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _set_password(request, services.RESET, token)


@never_cache
def _set_password(request: HttpRequest, purpose: str, token: str) -> HttpResponse:
    try:
        user = services.user_from_link(purpose=purpose, token=token)
    except InvalidLink as exc:
        return render(
            request,
            "accounts/link_invalid.html",
            {"reason": exc.reason, "invitation": purpose == services.INVITE},
            status=400,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password_from_link(
                purpose=purpose, token=token, password=form.cleaned_data["new_password1"]
            )
        except InvalidLink as exc:  # used in another tab a moment ago
            return render(
                request,
                "accounts/link_invalid.html",
                {"reason": exc.reason, "invitation": purpose == services.INVITE},
                status=400,
            )
        messages.success(request, _("Your password is set. Log in with your e-mail and the new password."))
        return redirect("accounts:login")
    return render(
        request,
        "accounts/set_password.html",
        {"form": form, "staff_user": user, "invitation": purpose == services.INVITE},
    )
