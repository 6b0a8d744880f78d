"""Every state change of matching: one function per change, keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompis.accounts.models import User
from kompis.audit.actors import Actor, user_of
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.matching import engine
from kompis.matching.feed import (
    Pool,
    WeightsMapping,
    build_pool,
    person_to_engine,
    scope_participants,
    weights_for,
)
from kompis.matching.models import (
    ExcludedPair,
    ExclusionReason,
    Match,
    MatchingRun,
    MatchingSettings,
    MatchKind,
    MatchMode,
    Proposal,
    ProposalState,
    RunStatus,
)
from kompis.matching.reasons import ReasonJSON, reasons_to_json
from kompis.matching.signals import match_approved
from kompis.organisations.models import Organisation
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.vocab import Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def staff_of(actor: Actor) -> User | None:
    """The staff member behind an actor (for the ``created_by``/``decided_by`` columns), None for a job."""
    user = user_of(actor)
    return user if isinstance(user, User) else None


class MatchConflict(Exception):
    """The proposal can no longer be approved (already decided, or a participant has no capacity left)."""

    def __init__(self, message: StrOrPromise | None = None) -> None:
        self.message = message or gettext_lazy("This proposal can no longer be approved.")
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


# --- approval ------------------------------------------------------------------------------------


def match_kind(newcomer: Participant, established: Participant) -> str:
    both_family = (
        newcomer.friend_matching.wants_family_match and established.friend_matching.wants_family_match
    )
    return MatchKind.FAMILY if both_family else MatchKind.INDIVIDUAL


def match_mode(newcomer: Participant, established: Participant) -> str:
    modes = {newcomer.friend_matching.meeting_mode, established.friend_matching.meeting_mode}
    if "digital" in modes:
        return MatchMode.DIGITAL
    if "physical" in modes or newcomer.municipality_id == established.municipality_id:
        return MatchMode.PHYSICAL
    return MatchMode.DIGITAL


def on_match_approved(match: Match, *, actor: Actor) -> None:
    """Hook run inside the approval transaction once a Match exists.

    Nobody is told anything before this point; here both participants get their introduction.
    """
    record(
        actor=actor,
        action=EventType.MATCHING_MATCH_APPROVED,
        obj=match,
        data={
            "newcomer": str(match.newcomer.uid),
            "established": str(match.established.uid),
            "kind": match.kind,
            "mode": match.mode,
            "score": match.score,
            "proposal": str(match.proposal.uid) if match.proposal else None,
            "manual": match.manual,
            "overridden_rules": list(match.overridden_rules),
        },
    )
    # The follow-up app queues the introductions: outbox rows written in this same transaction.
    match_approved.send(sender=Match, actor=actor, match=match)


def _lock_pair(newcomer_id: int, established_id: int) -> dict[int, Participant]:
    """Lock both people's participations in friend matching and the people (one query, an inner join),
    always in primary-key order (no deadlocks between approvers). A person without a participation in
    friend matching is left out (nobody can match them). Each person's ``friend_matching`` is the locked row.
    """
    rows = (
        FriendParticipation.objects.select_for_update()
        .select_related("participant")
        .filter(pk__in=[newcomer_id, established_id])
        .order_by("pk")
    )
    return {friend.pk: friend.participant for friend in rows}


def _capacity_left(person: Participant) -> int:
    active = Match.objects.active().filter(organisation_id=person.organisation_id)
    used = active.filter(newcomer=person).count() + active.filter(established=person).count()
    return int(person.friend_matching.capacity) - used


lock_pair = _lock_pair
capacity_left = _capacity_left


def check_pair_free(newcomer: Participant, established: Participant) -> dict[int, int]:
    """Both waiting, both with room left, not matched to each other already (rows locked by the caller).
    Returns the capacity left per participant pk; raises :class:`MatchConflict`."""
    left = {}
    for person in (newcomer, established):
        friend = person.friend_matching
        if friend.status != Status.WAITING:
            raise MatchConflict(
                _("%(name)s is no longer waiting (status: %(status)s).")
                % {"name": person.full_name, "status": friend.get_status_display()}
            )
        left[person.pk] = _capacity_left(person)
        if left[person.pk] <= 0:
            raise MatchConflict(_("%(name)s has no room for another match.") % {"name": person.full_name})
    if Match.objects.active().filter(newcomer=newcomer, established=established).exists():
        raise MatchConflict(_("These two are already matched."))
    return left


def create_match(
    *,
    actor: Actor,
    newcomer: Participant,
    established: Participant,
    left: dict[int, int],
    score: float,
    reasons: list[ReasonJSON],
    proposal: Proposal | None = None,
    manual: bool = False,
    overridden_rules: Iterable[str] = (),
    override_reason: str = "",
) -> Match:
    """The one way a match comes to be (a proposal approved, or a manual match): inside the caller's
    transaction, with both participant rows locked and :func:`check_pair_free` passed."""
    now = timezone.now()
    user = staff_of(actor)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                organisation_id=newcomer.organisation_id,
                newcomer=newcomer,
                established=established,
                kind=match_kind(newcomer, established),
                mode=match_mode(newcomer, established),
                score=score,
                reasons=reasons,
                proposal=proposal,
                created_by=user,
                created_at=now,
                manual=manual,
                overridden_rules=sorted(overridden_rules),
                override_reason=override_reason[:1000],
            )
    except IntegrityError as exc:
        raise MatchConflict(_("These two are already matched.")) from exc
    # an open proposal of exactly this pair has nothing left to propose
    Proposal.objects.filter(state=ProposalState.PROPOSED, newcomer=newcomer, established=established).update(
        state=ProposalState.SUPERSEDED
    )
    for person in (newcomer, established):
        if left[person.pk] - 1 <= 0:
            friend = person.friend_matching
            FriendParticipation.objects.filter(pk=person.pk).update(status=Status.MATCHED, updated_at=now)
            friend.status, friend.updated_at = Status.MATCHED, now
            record(
                actor=actor,
                action=EventType.PARTICIPANT_MATCHED,
                obj=person,
                data={"match": str(match.uid)},
            )
            # other open proposals of a person without room left cannot be approved any more
            Proposal.objects.filter(state=ProposalState.PROPOSED).filter(**{friend.role: person}).update(
                state=ProposalState.SUPERSEDED
            )
    on_match_approved(match, actor=actor)
    return match


def approve_proposal(*, actor: Actor, proposal: Proposal) -> Match:
    """Turn a proposal into a Match. Raises :class:`MatchConflict` when somebody was faster."""
    with transaction.atomic():
        people = _lock_pair(proposal.newcomer_id, proposal.established_id)
        fresh = Proposal.objects.select_related("run").filter(pk=proposal.pk).first()
        if fresh is None or fresh.state != ProposalState.PROPOSED:
            raise MatchConflict(gettext_lazy("This proposal has already been decided by someone else."))
        if fresh.run.status != RunStatus.DRAFT:
            raise MatchConflict(gettext_lazy("This matching run is not ready for review."))
        newcomer, established = people.get(proposal.newcomer_id), people.get(proposal.established_id)
        if newcomer is None or established is None:
            raise MatchConflict()
        left = check_pair_free(newcomer, established)
        now = timezone.now()
        user = staff_of(actor)
        updated = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.PROPOSED).update(
            state=ProposalState.APPROVED, decided_by=user, decided_at=now
        )
        if updated != 1:
            raise MatchConflict(gettext_lazy("This proposal has already been decided by someone else."))
        fresh.state = ProposalState.APPROVED
        match = create_match(
            actor=actor,
            newcomer=newcomer,
            established=established,
            left=left,
            score=fresh.score,
            reasons=fresh.reasons,
            proposal=fresh,
        )
        proposal.state = ProposalState.APPROVED
        proposal.decided_by, proposal.decided_at = user, now
    return match


@dataclass
class BulkResult:
    approved: list[Match] = field(default_factory=list)
    conflicts: list[tuple[Proposal, str]] = field(default_factory=list)


def approve_many(*, actor: Actor, proposals: Iterable[Proposal]) -> BulkResult:
    """Approve each proposal in its own transaction; conflicts are collected, not raised."""
    out = BulkResult()
    for proposal in proposals:
        try:
            out.approved.append(approve_proposal(actor=actor, proposal=proposal))
        except MatchConflict as exc:
            out.conflicts.append((proposal, str(exc)))
    return out


def reject_proposal(*, actor: Actor, proposal: Proposal, reason: str = "") -> Proposal:
    """Reject a proposal; the pair is excluded from every later run."""
    with transaction.atomic():
        now = timezone.now()
        user = staff_of(actor)
        updated = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.PROPOSED).update(
            state=ProposalState.REJECTED, decided_by=user, decided_at=now, reject_reason=reason[:500]
        )
        if updated != 1:
            raise MatchConflict(gettext_lazy("This proposal has already been decided by someone else."))
        organisation_id = MatchingRun.objects.filter(pk=proposal.run_id).values_list(
            "organisation_id", flat=True
        )[0]
        ExcludedPair.objects.get_or_create(
            newcomer_id=proposal.newcomer_id,
            established_id=proposal.established_id,
            defaults={
                "organisation_id": organisation_id,
                "reason": ExclusionReason.REJECTED,
                "created_by": user,
            },
        )
        proposal.refresh_from_db()
        record(
            actor=actor,
            action=EventType.MATCHING_PROPOSAL_REJECTED,
            obj=proposal.run,
            # the reason is staff's free text: it stays on the proposal, not in the audit log
            data={
                "proposal": str(proposal.uid),
                "newcomer": str(proposal.newcomer.uid),
                "established": str(proposal.established.uid),
                "with_reason": bool(reason.strip()),
            },
        )
    return proposal


# --- choosing another partner --------------------------------------------------------------------


def candidates(*, proposal: Proposal, side: str, limit: int = 20) -> list[engine.Candidate]:
    """Ranked partners for the proposal's ``side`` person ("newcomer" or "established") within the run's scope.

    The person keeps their current partner in the list; partners already proposed to somebody else in
    this run up to their capacity are marked unavailable.
    """
    run = proposal.run
    person: Participant = getattr(proposal, side)
    pool = _pool_for(run)
    me = next((p for p in (*pool.newcomers, *pool.established) if p.id == str(person.pk)), None)
    if me is None:
        left = int(person.friend_matching.capacity) - pool.active.get(person.pk, 0)
        me = person_to_engine(person, capacity=max(1, left))
    others = pool.established if side == "newcomer" else pool.newcomers
    taken: Counter[str] = Counter()
    column = "established_id" if side == "newcomer" else "newcomer_id"
    for pk in (
        Proposal.objects.filter(run=run, state=ProposalState.PROPOSED)
        .exclude(pk=proposal.pk)
        .values_list(column, flat=True)
    ):
        taken[str(pk)] += 1
    newcomers, established = ([me], others) if side == "newcomer" else (others, [me])
    exclude = {pair for pair in pool.exclude if str(person.pk) in pair}
    return engine.candidates_for(
        me.id,
        newcomers,
        established,
        weights=weights_for(run.organisation),
        exclude=exclude,
        taken=taken,
        limit=limit,
        today=_run_today(run),
    )


def _pool_for(run: MatchingRun) -> Pool:
    return build_pool(
        scope_participants(organisation=run.organisation, region=run.region, project=run.project),
        organisation=run.organisation,
    )


def _run_today(run: MatchingRun) -> dt.date:
    return timezone.localdate()


def choose_partner(*, actor: Actor, proposal: Proposal, partner: Participant) -> Proposal:
    """Replace the proposal's partner of the other role by ``partner`` (one of the ranked candidates)."""
    role = partner.friend_matching.role
    side = "newcomer" if role == "established" else "established"
    with transaction.atomic():
        fresh = Proposal.objects.select_related("run", "newcomer", "established").get(pk=proposal.pk)
        if fresh.state != ProposalState.PROPOSED:
            raise MatchConflict(gettext_lazy("This proposal has already been decided by someone else."))
        if partner.pk == getattr(fresh, f"{role}_id"):
            return fresh
        found = {c.partner_id: c for c in candidates(proposal=fresh, side=side, limit=10_000)}
        cand = found.get(str(partner.pk))
        if cand is None:
            raise MatchConflict(
                _("%(name)s cannot be matched with this person.") % {"name": partner.full_name}
            )
        Proposal.objects.filter(pk=fresh.pk).update(state=ProposalState.SUPERSEDED)
        # proposals that held the partner's last capacity make room for the chosen pair
        open_for_partner = list(
            Proposal.objects.filter(run=fresh.run, state=ProposalState.PROPOSED, **{role: partner}).order_by(
                "-rank"
            )
        )
        keep = max(0, _capacity_left(partner) - 1)  # room left once the chosen pair is proposed
        to_supersede = open_for_partner[: max(0, len(open_for_partner) - keep)]
        Proposal.objects.filter(pk__in=[p.pk for p in to_supersede]).update(state=ProposalState.SUPERSEDED)
        newcomer = fresh.newcomer if side == "newcomer" else partner
        established = partner if side == "newcomer" else fresh.established
        new = Proposal.objects.create(
            run=fresh.run,
            newcomer=newcomer,
            established=established,
            score=round(float(cand.score), 2),
            reasons=reasons_to_json(cand.reasons),
            rank=fresh.rank,
            chosen_by_staff=True,
        )
        record(
            actor=actor,
            action=EventType.MATCHING_PARTNER_CHOSEN,
            obj=fresh.run,
            data={
                "replaced": str(fresh.uid),
                "proposal": str(new.uid),
                "superseded": [str(p.uid) for p in to_supersede],
            },
        )
    return new


# --- settings ------------------------------------------------------------------------------------


def update_matching_settings(
    *, actor: Actor, organisation: Organisation, weights: WeightsMapping
) -> MatchingSettings:
    engine.Weights.from_mapping(weights)  # raises WeightsError when invalid
    with transaction.atomic():
        obj, _created = MatchingSettings.objects.get_or_create(organisation=organisation)
        before = obj.weights
        obj.weights = weights
        obj.updated_by = staff_of(actor)
        obj.save()
        record(
            actor=actor,
            action=EventType.MATCHING_SETTINGS_UPDATED,
            obj=organisation,
            organisation=organisation,
            data={"before": before, "after": weights},
        )
    return obj
