"""Every activity a person takes part in, for their own page (the self-service link).

Participants imports none of the apps above it: each registers a source from its AppConfig.ready(), a
function (person) -> list of `Activity` cards. A card is a small template with its context (the status, in
whole sentences) and the `Action`s the person may take on it (pause, resume, leave; cancel a registration).
Friend matching, participants' own activity, is registered here; events register the person's event
registrations (`kompis.events.activities`).

The page posts `action` (and `target`, e.g. a registration's uid) through the person's signed link. The view
looks the pair up among the actions the person's cards offer *now*, so a person can only act on their own
activities, and only as their current state allows; an action not offered changes nothing. The action runs
with the person's `ParticipantActor` (its service audits it) and returns the sentence to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompis.audit.actors import ParticipantActor
from kompis.participants import services
from kompis.participants.forms import PauseForm
from kompis.participants.models import Participant
from kompis.participants.vocab import Status

#: what an action does: (the person's actor, the person, the action form's cleaned data) -> the sentence to show
Perform = Callable[[ParticipantActor, Participant, Mapping[str, Any]], str]


@dataclass(frozen=True)
class Action:
    """One button on a card. `name` (and `target`) are what the page posts; `form` is a form class whose
    fields are asked with the button (checked before `perform` runs; its errors shown on the page);
    `help` is a sentence above the button; `style` the button's class ("", "secondary", "danger")."""

    name: str
    label: str | Promise
    perform: Perform
    target: str = ""
    form: type[forms.Form] | None = None
    help: str | Promise = ""
    style: str = ""


@dataclass(frozen=True)
class Activity:
    """One card on the person's page: `title`, then `template` rendered with `context`, then `actions`."""

    key: str
    title: str | Promise
    template: str
    context: Mapping[str, object]
    actions: Sequence[Action] = field(default_factory=tuple)


ActivitySource = Callable[[Participant], Sequence[Activity]]

#: name -> (order, source); a name registers once (a second ready() replaces, never doubles)
_sources: dict[str, tuple[int, ActivitySource]] = {}


def register(name: str, source: ActivitySource, *, order: int) -> None:
    """Show `source`'s cards on every person's own page; lower `order` first."""
    _sources[name] = (order, source)


def activities_of(person: Participant) -> list[Activity]:
    """Every card the registered apps show this person, in order."""
    found: list[Activity] = []
    for _order, source in sorted(_sources.values(), key=lambda entry: entry[0]):
        found.extend(source(person))
    return found


def find_action(activities: Sequence[Activity], name: str, target: str = "") -> Action | None:
    """The action the page posted, if one of the person's cards offers it now."""
    for activity in activities:
        for action in activity.actions:
            if action.name == name and action.target == target:
                return action
    return None


# --- friend matching, participants' own activity -------------------------------------------------------


def _pause(actor: ParticipantActor, person: Participant, data: Mapping[str, Any]) -> str:
    until: date | None = data.get("until")
    services.pause_participant(actor=actor, participant=person, until=until)
    return _("You are paused. We will not contact you about a new match until you come back.")


def _resume(actor: ParticipantActor, person: Participant, data: Mapping[str, Any]) -> str:
    services.resume_participant(actor=actor, participant=person)
    return _("Welcome back! You are on the waiting list again.")


def _leave(actor: ParticipantActor, person: Participant, data: Mapping[str, Any]) -> str:
    services.leave_friend_matching(actor=actor, participant=person)
    return _("You have left friend matching. We will not look for a match for you any more.")


PAUSE = Action(
    name="pause",
    label=gettext_lazy("Pause"),
    perform=_pause,
    form=PauseForm,
    help=gettext_lazy("We will not contact you about a match while you are paused."),
)
RESUME = Action(
    name="resume",
    label=gettext_lazy("I want to continue"),
    perform=_resume,
    help=gettext_lazy("Put yourself back on the waiting list now."),
)
LEAVE_FRIEND_MATCHING = Action(
    name="leave_friend_matching",
    label=gettext_lazy("Leave friend matching"),
    perform=_leave,
    help=gettext_lazy(
        "Your matches end and we stop looking for a match for you. Your other activities stay."
    ),
    style="secondary",
)


def friend_matching_activity(person: Participant) -> list[Activity]:
    """The person's participation in friend matching (none for a person who only takes part in other
    activities): its status in a sentence; pause or resume; leave friend matching."""
    friend = services.friend_participation_of(person)
    if friend is None:
        return []
    actions: list[Action] = []
    if friend.status in (Status.WAITING, Status.MATCHED):
        actions = [PAUSE, LEAVE_FRIEND_MATCHING]
    elif friend.status == Status.PAUSED:
        actions = [RESUME, LEAVE_FRIEND_MATCHING]
    return [
        Activity(
            key="friend_matching",
            title=gettext_lazy("Friend matching"),
            template="participants/activities/friend_matching.html",
            context={"friend": friend},
            actions=actions,
        )
    ]


register("friend_matching", friend_matching_activity, order=10)
