"""Public pages for participants: no login, one task per page, in the visitor's language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django_ratelimit.core import is_ratelimited

from kompis.organisations.models import Organisation
from kompis.participants import services
from kompis.participants.forms import SignupForm


def signup(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        limited = is_ratelimited(
            request, group="signup", key="ip", rate=settings.SIGNUP_RATE, method="POST", increment=True
        )
        if limited:
            return render(request, "participants/rate_limited.html", {"organisation": organisation}, status=429)
        if form.is_valid():
            if not form.cleaned_data.get("website"):  # honeypot left empty: a person
                services.signup_participant(
                    organisation=organisation, data=form.cleaned_data, language=get_language() or "sv"
                )
            return redirect("public:signup_thanks", org=organisation.slug)
    return render(request, "participants/signup.html", {"organisation": organisation, "form": form})


def signup_thanks(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    return render(request, "participants/signup_thanks.html", {"organisation": organisation})


def confirm(request: HttpRequest, org: str, token: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    try:
        participant = services.participant_from_confirmation(organisation=organisation, token=token)
    except services.InvalidLink as exc:
        return render(
            request, "participants/link_invalid.html", {"organisation": organisation, "reason": exc.reason},
            status=400,
        )
    if request.method == "POST":
        services.confirm_email(participant=participant)
        return render(request, "participants/confirmed.html", {"organisation": organisation, "participant": participant})
    # A GET never changes state (mail scanners follow links); the page has one button.
    return render(request, "participants/confirm.html", {"organisation": organisation, "participant": participant})
