"""The person's event registrations as cards on their own page (registered with
`kompis.participants.activities` in EventsConfig.ready): each upcoming event they registered for (or
cancelled), with "cancel my registration" while registered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompis.audit.actors import ParticipantActor
from kompis.events import selectors, services
from kompis.events.models import EventRegistration
from kompis.participants import activities
from kompis.participants.models import Participant

#: the action the page posts, with the registration's uid as its target
CANCEL = "cancel_registration"


def _canceller(registration: EventRegistration) -> activities.Perform:
    def perform(actor: ParticipantActor, person: Participant, data: Mapping[str, Any]) -> str:
        services.cancel_registration(actor=actor, registration=registration)
        return _("Your registration for %(event)s is cancelled.") % {"event": registration.event.title}

    return perform


def registrations(person: Participant) -> list[activities.Activity]:
    """A card per registration for an event that has not ended."""
    now = timezone.now()
    cards = []
    for registration in selectors.registrations_of_person(person).filter(event__ends_at__gte=now):
        actions = []
        if registration.is_open:
            actions.append(
                activities.Action(
                    name=CANCEL,
                    target=str(registration.uid),
                    label=gettext_lazy("Cancel my registration"),
                    help=gettext_lazy("If you cannot come, cancel so that the organisers know."),
                    perform=_canceller(registration),
                    style="secondary",
                )
            )
        cards.append(
            activities.Activity(
                key=f"event:{registration.uid}",
                title=registration.event.title,
                template="events/activities/registration.html",
                context={"registration": registration, "event": registration.event},
                actions=actions,
            )
        )
    return cards


def register_activities() -> None:
    activities.register("events", registrations, order=20)
