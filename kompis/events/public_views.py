"""Public events pages, no login, in the visitor's language: the upcoming events of an organisation and a
registration form per event (a name, an e-mail address, a language and the consent)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.core.ratelimit import over_limit
from kompis.events import services
from kompis.events.forms import PublicRegistrationForm
from kompis.events.models import Event, RegistrationStatus
from kompis.organisations.models import Organisation

REFUSED = {
    "over": lambda: _("The event is over."),
    "cancelled": lambda: _("The event is cancelled."),
    "other_organisation": lambda: _("You cannot register for this event."),
}


def _public_event(organisation: Organisation, event_id: str) -> Event:
    # a programme's session (not public) is neither listed nor open for registration here
    return get_object_or_404(
        _with_places_taken(Event.objects.all()),
        organisation=organisation,
        uid=event_id,
        cancelled_at__isnull=True,
        public=True,
    )


def _with_places_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    """`taken`: the places taken (registered, not waiting), so a full event shows its waiting list."""
    registered = Q(registrations__status=RegistrationStatus.REGISTERED)
    return events.annotate(taken=Count("registrations", filter=registered))


def event_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    upcoming = Event.objects.filter(
        organisation=organisation, cancelled_at__isnull=True, public=True
    ).upcoming(timezone.now())
    events = _with_places_taken(upcoming).order_by("starts_at", "id")[:100]
    return render(request, "events/public_list.html", {"organisation": organisation, "events": events})


def register(request: HttpRequest, org: str, event_id: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    event = _public_event(organisation, event_id)
    initial = {"language": get_language() or "sv"}
    form = PublicRegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if over_limit(request, group="event_register", rate=settings.SIGNUP_RATE):
            return render(
                request, "participants/rate_limited.html", {"organisation": organisation}, status=429
            )
        if form.is_valid():
            d = form.cleaned_data
            waiting = False
            if not d.get("website"):  # honeypot left empty: a person
                try:
                    registration = services.register_publicly(
                        organisation=organisation,
                        event=event,
                        name=d["name"],
                        email=d["email"],
                        language=d["language"],
                    )
                    waiting = registration.is_waiting
                except services.RegistrationRefused as refused:
                    form.add_error(None, REFUSED.get(refused.code, REFUSED["other_organisation"])())
            if not form.errors:
                response = redirect("public_events:thanks", org=organisation.slug, event_id=event.uid)
                if waiting:
                    response["Location"] += "?waiting=1"
                return response
    return render(
        request, "events/public_register.html", {"organisation": organisation, "event": event, "form": form}
    )


def thanks(request: HttpRequest, org: str, event_id: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    event = _public_event(organisation, event_id)
    return render(
        request,
        "events/public_thanks.html",
        {"organisation": organisation, "event": event, "waiting": request.GET.get("waiting") == "1"},
    )
