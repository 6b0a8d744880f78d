"""Public pages for participants: no login, one task per page, in the visitor's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.audit.actors import ParticipantActor
from kompis.core.links import page_language, render_in
from kompis.core.ratelimit import over_limit
from kompis.core.tokens import InvalidLink
from kompis.organisations.models import Organisation
from kompis.participants import services
from kompis.participants.forms import PauseForm, PreferencesForm, RequestLinkForm, SignupForm
from kompis.participants.models import Participant
from kompis.participants.vocab import Status


def signup(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, group="signup", rate=settings.SIGNUP_RATE):  # atomic across processes
            return render(
                request, "participants/rate_limited.html", {"organisation": organisation}, status=429
            )
        if form.is_valid():
            if not form.cleaned_data.get("website"):  # honeypot left empty: a person
                services.signup_participant(
                    organisation=organisation, data=form.cleaned_data, language=get_language() or "sv"
                )
            return redirect("public:signup_thanks", org=organisation.slug)
    return render(request, "participants/signup.html", {"organisation": organisation, "form": form})


def signup_thanks(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    return render(
        request,
        "participants/signup_thanks.html",
        {"organisation": organisation, "days": settings.SIGNUP_CONFIRM_DAYS},
    )


def confirm(request: HttpRequest, org: str, token: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    try:
        participant = services.participant_from_confirmation(organisation=organisation, token=token)
    except InvalidLink as exc:
        return render_in(
            request,
            "participants/link_invalid.html",
            {"organisation": organisation, "reason": exc.reason, "days": settings.SIGNUP_CONFIRM_DAYS},
            language=_language_of_expired(request, organisation, exc),
            status=400,
        )
    language = page_language(request, participant.preferred_language)
    context = {"organisation": organisation, "participant": participant}
    if participant.status == Status.WITHDRAWN:
        return render_in(request, "participants/left.html", context, language=language)
    if request.method == "POST":
        services.confirm_email(participant=participant)
        return render_in(request, "participants/confirmed.html", context, language=language)
    # A GET never changes state (mail scanners follow links); the page has one button.
    return render_in(request, "participants/confirm.html", context, language=language)


def request_link(request: HttpRequest, org: str) -> HttpResponse:
    """Ask for a fresh personal link by e-mail (the answer is the same whether the address is known or not)."""
    organisation = get_object_or_404(Organisation, slug=org)
    form = RequestLinkForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, group="me-link", rate=settings.SIGNUP_RATE):
            return render(
                request, "participants/rate_limited.html", {"organisation": organisation}, status=429
            )
        if form.is_valid():
            services.request_self_service_link(
                organisation=organisation, email=form.cleaned_data["email"], language=get_language() or "sv"
            )
            return render(request, "participants/me_link_sent.html", {"organisation": organisation})
    return render(request, "participants/me_request.html", {"organisation": organisation, "form": form})


def me(request: HttpRequest, org: str, token: str) -> HttpResponse:
    """The participant's own page: pause, withdraw, update languages/interests/availability, unsubscribe."""
    organisation = get_object_or_404(Organisation, slug=org)
    try:
        participant = services.participant_from_self_service(organisation=organisation, token=token)
    except InvalidLink as exc:
        return render_in(
            request,
            "participants/me_invalid.html",
            {"organisation": organisation, "reason": exc.reason},
            language=_language_of_expired(request, organisation, exc),
            status=400,
        )
    language = page_language(request, participant.preferred_language)
    context = {"organisation": organisation, "p": participant, "participant": participant}
    if participant.status == Status.WITHDRAWN:  # her link shows the "you have left" page, and does nothing
        return render_in(request, "participants/left.html", context, language=language)
    with translation.override(language):
        done, prefs, pause_form = _me_action(request, participant)
    if done:
        messages.success(request, done)
        return redirect(request.path)
    return render_in(
        request,
        "participants/me.html",
        {**context, "prefs": prefs, "pause_form": pause_form},
        language=language,
    )


def _me_action(request: HttpRequest, participant: Participant) -> tuple[str | None, Any, Any]:
    """Carry out the button pressed on the participant's page (POST only): the message to show, or None
    with the forms to show again (with their errors)."""
    prefs = PreferencesForm(instance=participant)
    pause_form = PauseForm()
    action = request.POST.get("action") if request.method == "POST" else None
    done = None
    if action == "pause":
        pause_form = PauseForm(request.POST)
        if pause_form.is_valid() and participant.status in (Status.WAITING, Status.MATCHED, Status.PAUSED):
            services.pause_participant(
                actor=ParticipantActor(participant.pk),
                participant=participant,
                until=pause_form.cleaned_data["until"],
            )
            done = _("You are paused. We will not contact you about a new match until you come back.")
    elif action == "resume" and participant.status == Status.PAUSED:
        services.resume_participant(actor=ParticipantActor(participant.pk), participant=participant)
        done = _("Welcome back! You are on the waiting list again.")
    elif action == "withdraw":
        services.withdraw_participant(
            actor=ParticipantActor(participant.pk),
            participant=participant,
            reason=request.POST.get("reason", "")[:500],
        )
        done = _("You have left Kompis. Thank you for the time you were with us.")
    elif action == "unsubscribe":
        services.unsubscribe(actor=ParticipantActor(participant.pk), participant=participant)
        done = _("You will not get any more questions or reminders by e-mail.")
    elif action == "update":
        prefs = PreferencesForm(request.POST, instance=Participant.objects.get(pk=participant.pk))
        if prefs.is_valid():
            services.update_participant(
                actor=ParticipantActor(participant.pk),
                participant=participant,
                data={name: prefs.cleaned_data[name] for name in prefs.Meta.fields},
            )
            done = _("Thank you, your answers are saved.")
    return done, prefs, pause_form


def _language_of_expired(request: HttpRequest, organisation: Organisation, exc: InvalidLink) -> str:
    """An expired link still names its participant: tell her in her language (else the visitor's)."""
    uid = str(exc.payload.get("p", ""))
    preferred = (
        Participant.objects.filter(organisation=organisation, uid=uid)
        .values_list("preferred_language", flat=True)
        .first()
        if uid
        else None
    )
    return page_language(request, preferred or get_language() or settings.LANGUAGE_CODE)
