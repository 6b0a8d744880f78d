"""What events show on a participant's staff page: her registrations for the events the user may see (a
panel registered with kompis.participants.panels from EventsConfig.ready(); nothing when there are none)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from kompis.events.access import events_for_user
from kompis.events.selectors import registrations_of_person
from kompis.participants import panels
from kompis.participants.models import Participant

if TYPE_CHECKING:
    from kompis.accounts.models import User

#: the registrations shown, newest event first
SHOWN = 50


def registrations_panel(user: User, participant: Participant) -> panels.Panel | None:
    rows = list(
        registrations_of_person(participant)
        .filter(event__in=events_for_user(user))
        .order_by("-event__starts_at", "-id")[:SHOWN]
    )
    if not rows:
        return None
    return panels.Panel(
        title=gettext_lazy("Events"),
        count=len(rows),
        template="events/_person_registrations.html",
        context={"registrations": rows},
    )


def register() -> None:
    panels.register("events.registrations", registrations_panel, order=30)
