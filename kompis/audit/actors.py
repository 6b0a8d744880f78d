"""Who did it: every service that changes data is given one of these, never a bare string.

- a staff member: their user object (`AbstractBaseUser`), as Django's `request.user` gives it;
- `ParticipantActor`: a participant acting through their own signed link or the public sign-up form;
- `SystemActor`: a named job (a sweep, the outbox's delivery, an import from the command line, the demo).

The audit log keeps the user's id, or the job's name; never a participant's name or address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

_JOB_NAME = re.compile(r"^[a-z][a-z0-9_.-]{1,60}$")

#: the actor_label of events a participant caused
PARTICIPANT_LABEL = "participant"
#: the prefix of the actor_label of events a system job caused ("system:followup.sweep")
SYSTEM_PREFIX = "system"


@dataclass(frozen=True)
class ParticipantActor:
    """A participant acting through their own link, or a person signing up (no participant id yet)."""

    participant_id: int | None = None

    def label(self) -> str:
        return PARTICIPANT_LABEL


@dataclass(frozen=True)
class SystemActor:
    """A named job: "followup.sweep", "outbox.delivery", "cli.import", "demo" …"""

    job: str

    def __post_init__(self) -> None:
        if not _JOB_NAME.match(self.job):
            raise ValueError(
                f"a system job's name is a short code such as 'followup.sweep', not {self.job!r}"
            )

    def label(self) -> str:
        return f"{SYSTEM_PREFIX}:{self.job}"


Actor: TypeAlias = "AbstractBaseUser | ParticipantActor | SystemActor"


def is_system_label(label: str) -> bool:
    return label == SYSTEM_PREFIX or label.startswith(SYSTEM_PREFIX + ":") or label == ""


def user_of(actor: Actor) -> AbstractBaseUser | None:
    """The staff user behind an actor, or None for a participant or a job."""
    if isinstance(actor, ParticipantActor | SystemActor):
        return None
    return actor if actor.is_authenticated else None


def label_of(actor: Actor) -> str:
    if isinstance(actor, ParticipantActor | SystemActor):
        return actor.label()
    if not actor.is_authenticated:
        raise TypeError("an anonymous visitor is not an actor: use ParticipantActor for a public form")
    return str(actor.get_username())
