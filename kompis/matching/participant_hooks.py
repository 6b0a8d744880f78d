"""What matching does for the participants app below it: the matches on a participant's page (a panel) and
the proposals with someone who leaves (a `participant_withdrawing` receiver). Connected in
MatchingConfig.ready(); participants imports nothing of matching."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from kompis.matching.models import Match, Proposal, ProposalState
from kompis.participants import panels
from kompis.participants.access import visible_people
from kompis.participants.models import Participant
from kompis.participants.signals import WithdrawalCounts, participant_withdrawing

if TYPE_CHECKING:
    from kompis.accounts.models import User


def matches_of(participant: Participant) -> QuerySet[Match]:
    """The participant's matches, newest first (any status)."""
    return (
        Match.objects.filter(Q(newcomer=participant) | Q(established=participant))
        .select_related("newcomer", "established")
        .order_by("-created_at")
    )


def matches_panel(user: User, participant: Participant) -> panels.Panel:
    """Her matches, each partner shown as this user may see them (`visible_people`)."""
    matches = list(matches_of(participant))
    people = visible_people(user, [p for m in matches for p in (m.newcomer, m.established)])
    rows = [
        {"match": m, "newcomer": people[m.newcomer_id], "established": people[m.established_id]}
        for m in matches
    ]
    return panels.Panel(
        title=gettext_lazy("Matches"),
        count=len(rows),
        template="matching/_participant_matches.html",
        context={"matches": rows},
    )


def withdraw_proposals(*, participant: Participant, **_: Any) -> WithdrawalCounts:
    """She leaves: the open proposals with her are superseded (nobody was told of them); the sender's
    transaction. Her matches are the follow-up's to end."""
    Proposal.objects.filter(
        Q(newcomer=participant) | Q(established=participant), state=ProposalState.PROPOSED
    ).update(state=ProposalState.SUPERSEDED)
    return {}


def connect() -> None:
    panels.register("matching.matches", matches_panel, order=10)
    participant_withdrawing.connect(withdraw_proposals, dispatch_uid="matching.withdraw_proposals")
