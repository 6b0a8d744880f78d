"""The person's programme enrolments as cards on their own page (registered with
`kompis.participants.activities` in ProgrammesConfig.ready): the programme, the cohort's dates, her status
(waiting list, active, completed); when paired, her partner's first name, the pair's end date, the meetings
logged so far and when the next is expected; and a form to log a meeting (date; how and a few words
optional), posted through the page's own action mechanism with the pair's uid as its target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompis.audit.actors import ParticipantActor
from kompis.participants import activities
from kompis.participants.models import Participant
from kompis.participants.names import display_name_for
from kompis.programmes.meeting_forms import for_pair
from kompis.programmes.meeting_selectors import enrolments_on_own_page, next_expected, pairs_of
from kompis.programmes.meetings import log_meeting
from kompis.programmes.models import MentorPair, PairStatus, Role

#: the action the page posts is this prefix and the pair's uid (one form per pair: unique field ids)
LOG_MEETING = "log_meeting"


def _logger(pair: MentorPair) -> activities.Perform:
    def perform(actor: ParticipantActor, person: Participant, data: Mapping[str, Any]) -> str:
        log_meeting(
            actor=actor, pair=pair, met_on=data["met_on"], how=data.get("how", ""), note=data.get("note", "")
        )
        return _("Thank you! Your meeting on %(date)s is logged.") % {
            "date": formats.date_format(data["met_on"], "j F Y")
        }

    return perform


def action_name(pair: MentorPair) -> str:
    return f"{LOG_MEETING}_{pair.uid.hex[:12]}"


def _pair_view(person: Participant, pair: MentorPair, role: str) -> dict[str, object]:
    expected = next_expected(pair)
    return {
        "pair": pair,
        "partner_name": display_name_for(_partner(pair, role), person.preferred_language),
        "meetings": getattr(pair, "meeting_count", 0),
        "next_expected": expected,
        "overdue": expected is not None and expected < timezone.localdate(),
        "active": pair.status == PairStatus.ACTIVE,
    }


def enrolments(person: Participant) -> list[activities.Activity]:
    """A card per enrolment still going (or completed lately), with a form per active pair."""
    cards = []
    for enrolment in enrolments_on_own_page(person):
        pairs = list(pairs_of(enrolment)) if enrolment.status != "waiting_list" else []
        actions = [
            activities.Action(
                name=action_name(pair),
                target=str(pair.uid),
                label=gettext_lazy("Log the meeting"),
                help=(
                    _("Have you met %(name)s? Tell us when. Only the date is needed.")
                    % {"name": display_name_for(_partner(pair, enrolment.role), person.preferred_language)}
                ),
                form=for_pair(pair),
                perform=_logger(pair),
            )
            for pair in pairs
            if pair.status == PairStatus.ACTIVE and enrolment.is_open
        ]
        cards.append(
            activities.Activity(
                key=f"programme:{enrolment.uid}",
                title=enrolment.cohort.programme.name,
                template="programmes/activities/enrolment.html",
                context={
                    "enrolment": enrolment,
                    "cohort": enrolment.cohort,
                    "pairs": [_pair_view(person, pair, enrolment.role) for pair in pairs],
                },
                actions=actions,
            )
        )
    return cards


def _partner(pair: MentorPair, role: str) -> Participant:
    return pair.mentor.participant if role == Role.MENTEE else pair.mentee.participant


def register_activities() -> None:
    activities.register("programmes", enrolments, order=30)
