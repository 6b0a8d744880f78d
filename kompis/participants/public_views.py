"""Public pages for participants: no login, one task per page, in the visitor's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.audit.actors import ParticipantActor
from kompis.core.links import page_language, render_in
from kompis.core.ratelimit import over_limit
from kompis.core.tokens import InvalidLink
from kompis.organisations.models import Organisation
from kompis.participants import activities, services
from kompis.participants.forms import PreferencesForm, RequestLinkForm, SignupForm
from kompis.participants.models import FRIEND_FIELDS, Participant
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
    friend = services.friend_participation_of(participant)
    if friend is None or friend.status == Status.WITHDRAWN:  # she left (or was never in) friend matching
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
    """The person's own page: every activity they take part in (friend matching, event registrations …,
    from `kompis.participants.activities`), each with its state and what they may do about it (pause,
    resume, leave it; cancel a registration); their languages, interests and times; unsubscribe; leave
    everything. Only a POST changes anything, and only what the page offers her now."""
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
    with translation.override(language):
        cards = activities.activities_of(participant)
        # She left everything (her friend participation and consents withdrawn, every registration
        # cancelled): her link shows the "you have left" page, and does nothing.
        if services.has_left(participant) and not any(card.actions for card in cards):
            return render_in(request, "participants/left.html", context, language=language)
        done, prefs, failed = _me_action(request, participant, cards)
        if done:
            messages.success(request, done)
            return redirect(request.path)
        rendered = _rendered_cards(request, cards, failed)
    return render_in(
        request,
        "participants/me.html",
        {**context, "prefs": prefs, "activities": rendered},
        language=language,
    )


#: (action name, target) and the action's form, bound to the POST, that did not validate
FailedAction = tuple[tuple[str, str], forms.Form] | None


def _preferences_form(participant: Participant, data: Any = None) -> PreferencesForm:
    """Languages and interests; availability and meeting mode only for a person in friend matching (not
    for one who never joined it or has left it)."""
    form = PreferencesForm(data, instance=participant)
    friend = services.friend_participation_of(participant)
    if friend is None or friend.status == Status.WITHDRAWN:
        for name in FRIEND_FIELDS:
            form.fields.pop(name, None)
    return form


def _me_action(
    request: HttpRequest, participant: Participant, cards: list[activities.Activity]
) -> tuple[str | None, PreferencesForm, FailedAction]:
    """Carry out the button pressed on the person's page (POST only): the message to show, or None with
    the forms to show again (with their errors)."""
    prefs = _preferences_form(participant)
    if request.method != "POST":
        return None, prefs, None
    actor = ParticipantActor(participant.pk)
    action = request.POST.get("action", "")
    if action == "withdraw":  # leave everything
        services.withdraw_participant(
            actor=actor, participant=participant, reason=request.POST.get("reason", "")[:500]
        )
        return _("You have left Kompis. Thank you for the time you were with us."), prefs, None
    if action == "unsubscribe":
        services.unsubscribe(actor=actor, participant=participant)
        return _("You will not get any more questions or reminders by e-mail."), prefs, None
    if action == "update":
        fresh = Participant.objects.select_related("friend_matching").get(pk=participant.pk)
        prefs = _preferences_form(fresh, request.POST)
        if not prefs.is_valid():
            return None, prefs, None
        services.update_participant(
            actor=actor,
            participant=participant,
            data={name: prefs.cleaned_data[name] for name in prefs.fields},
        )
        return _("Thank you, your answers are saved."), prefs, None
    # an action on one of her activities: only one her cards offer now (her own, in its current state)
    found = activities.find_action(cards, action, request.POST.get("target", ""))
    if found is None:  # not one her page offers (now): say so, rather than reload the page silently
        messages.error(request, _not_done())
        return None, prefs, None
    form = found.form(request.POST, auto_id=f"id_{found.name}_%s") if found.form else None
    if form is not None and not form.is_valid():
        return None, prefs, ((found.name, found.target), form)
    try:
        return found.perform(actor, participant, form.cleaned_data if form else {}), prefs, None
    except ValueError:  # her state changed meanwhile (another tab): nothing done, the page shows it now
        messages.error(request, _not_done())
        return None, prefs, None


def _not_done() -> str:
    return _(
        "This could not be done: it is not, or no longer, on your page, so nothing was saved (no meeting "
        "was logged, no registration changed). Here is your page as it is now."
    )


def _rendered_cards(
    request: HttpRequest, cards: list[activities.Activity], failed: FailedAction
) -> list[dict[str, Any]]:
    """Each card's own HTML (its template, rendered escaped) and its actions with their forms."""
    rendered = []
    for card in cards:
        actions = []
        for action in card.actions:
            form: forms.Form | None = None
            if failed is not None and failed[0] == (action.name, action.target):
                form = failed[1]
            elif action.form is not None:
                form = action.form(auto_id=f"id_{action.name}_%s")
            actions.append({"action": action, "form": form})
        html = render_to_string(card.template, dict(card.context), request=request)
        rendered.append({"activity": card, "html": mark_safe(html), "actions": actions})
    return rendered


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
