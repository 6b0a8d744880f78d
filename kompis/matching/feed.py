"""ORM → engine conversion: the waiting pool of a scope, exclusions and weights.

The pool is read from the participations in friend matching (`FriendParticipation`: waiting, role,
capacity, availability, meeting mode, family wish, re-match priority, waiting since) joined with the person
(`Participant`: year of birth, gender, municipality, languages, interests …); a person without a
participation in friend matching is never in it. Built for large pools (100,000 participants): a handful of
``values_list`` queries over the index (organisation, status, role, waiting_since), no per-row query.
Engine ids are participant primary keys as strings (a participation's key is its person's).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.db.models import Count, QuerySet
from django.utils import timezone

from kompis.matching import engine
from kompis.matching.engine.weights import COMPONENTS
from kompis.matching.models import ExcludedPair, Match, MatchingSettings
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.vocab import Status

#: the columns of one engine row, read from FriendParticipation (the person's through ``participant__``);
#: the order is :func:`to_engine`'s
FEED_FIELDS = (
    "pk",
    "role",
    "participant__birth_year",
    "participant__gender",
    "participant__municipality_id",
    "participant__postal_code",
    "participant__languages",
    "participant__interests",
    "participant__has_children",
    "wants_family_match",
    "meeting_mode",
    "participant__same_gender_only",
    "waiting_since",
    "capacity",
    "availability",
    "rematch_priority",
)
#: FEED_FIELDS' position of the capacity
CAPACITY = FEED_FIELDS.index("capacity")
#: The engine's weights as stored (MatchingSettings.weights, a run's weights): a JSON object of
#: {component: {"weight": number, "must": bool}} and a few numbers, read by engine.Weights.from_mapping.
WeightsMapping: TypeAlias = dict[str, Any]
#: A participant whose match ended with "re-match" counts as having waited this much longer (first in line).
REMATCH_PRIORITY_DAYS = 365


@dataclass
class Pool:
    newcomers: list[engine.Participant] = field(default_factory=list)
    established: list[engine.Participant] = field(default_factory=list)
    exclude: set[tuple[str, str]] = field(default_factory=set)
    #: participant pk -> number of active matches
    active: Counter[int] = field(default_factory=Counter)

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.newcomers} | {p.id for p in self.established}


def scope_participants(
    *, organisation: Organisation, region: Region | None = None, project: Project | None = None
) -> QuerySet[FriendParticipation]:
    """The participations in friend matching of a run's scope (the person's region and project)."""
    qs = FriendParticipation.objects.filter(organisation=organisation)
    if region is not None:
        qs = qs.filter(participant__region=region)
    if project is not None:
        qs = qs.filter(participant__project=project)
    return qs


def waiting_participants(qs: QuerySet[FriendParticipation]) -> QuerySet[FriendParticipation]:
    """Who can be matched: waiting, with an address that works, a year of birth and a municipality (the
    engine's age and place rules need them; a person who only takes part in other activities need not
    give them)."""
    return qs.filter(
        status=Status.WAITING,
        participant__email_bouncing=False,
        participant__birth_year__isnull=False,
        participant__municipality__isnull=False,
    )


def active_match_counts(*, organisation: Organisation) -> Counter[int]:
    counts: Counter[int] = Counter()
    active = Match.objects.filter(organisation=organisation).active()
    for column in ("newcomer_id", "established_id"):
        for pk, n in active.values(column).annotate(n=Count("id")).values_list(column, "n"):
            counts[pk] += n
    return counts


def exclusions(*, organisation: Organisation, ids: set[str] | None = None) -> set[tuple[str, str]]:
    """Pairs never to propose: staff rejections, staff exclusions and every earlier or current match."""
    out: set[tuple[str, str]] = set()
    for qs in (
        ExcludedPair.objects.filter(organisation=organisation),
        Match.objects.filter(organisation=organisation),
    ):
        for n, e in qs.values_list("newcomer_id", "established_id").iterator(chunk_size=10_000):
            key = (str(n), str(e))
            if ids is None or (key[0] in ids and key[1] in ids):
                out.add(key)
    return out


def to_engine(row: tuple[Any, ...], *, capacity: int, tz: dt.tzinfo | None = None) -> engine.Participant:
    (
        pk,
        role,
        birth_year,
        gender,
        muni,
        postal,
        languages,
        interests,
        has_children,
        family,
        mode,
        sgo,
        waiting_since,
        _capacity,
        availability,
        rematch_priority,
    ) = row
    signed = timezone.localtime(waiting_since, tz).date() if waiting_since else dt.date.today()
    if rematch_priority:
        signed -= dt.timedelta(days=REMATCH_PRIORITY_DAYS)
    return engine.Participant(
        id=str(pk),
        role=role,
        birth_year=int(birth_year),
        gender=gender or "unspecified",
        municipality_code=str(muni),
        postal_code=postal or "",
        languages=tuple(languages or ()),
        interests=tuple(interests or ()),
        has_children=bool(has_children),
        wants_family_match=bool(family),
        meeting_mode=mode,
        same_gender_only=bool(sgo),
        signed_up=signed,
        capacity=capacity,
        availability=tuple(availability or ()),
    )


def build_pool(
    qs: QuerySet[FriendParticipation],
    *,
    organisation: Organisation,
    progress: Callable[[int, int], None] | None = None,
) -> Pool:
    """The engine's input for the waiting participations of ``qs`` (capacity = capacity left), in the
    order of the people's keys (the engine's input order, as before participations had their own table).

    ``progress(done, total)`` is called every few thousand rows when given (it costs one count query).
    """
    pool = Pool(active=active_match_counts(organisation=organisation))
    tz = timezone.get_current_timezone()
    waiting = waiting_participants(qs)
    total = waiting.count() if progress else 0
    rows = waiting.order_by("pk").values_list(*FEED_FIELDS).iterator(chunk_size=10_000)
    for done, row in enumerate(rows, start=1):
        if progress and done % 5000 == 0:
            progress(done, total)
        left = int(row[CAPACITY] or 0) - pool.active.get(row[0], 0)
        if left <= 0:
            continue
        person = to_engine(row, capacity=left, tz=tz)
        (pool.newcomers if person.role == "newcomer" else pool.established).append(person)
    pool.exclude = exclusions(organisation=organisation, ids=pool.ids)
    return pool


def person_to_engine(participant: Participant, *, capacity: int) -> engine.Participant:
    """One person as the engine sees them (their participation in friend matching, which they must have)."""
    friend = participant.friend_matching
    row = tuple(
        getattr(participant, f.removeprefix("participant__"))
        if f.startswith("participant__")
        else getattr(friend, f)
        for f in FEED_FIELDS
    )
    return to_engine(row, capacity=capacity)


# --- weights -------------------------------------------------------------------------------------


def default_weights_mapping() -> WeightsMapping:
    w = engine.Weights()
    return weights_to_mapping(w)


def weights_to_mapping(w: engine.Weights) -> WeightsMapping:
    data: WeightsMapping = {
        name: {"weight": getattr(w, name).weight, "must": getattr(w, name).must} for name in COMPONENTS
    }
    data.update(
        interests_full_at=w.interests_full_at,
        age_span_years=w.age_span_years,
        waiting_cap_days=w.waiting_cap_days,
    )
    return data


def weights_for(organisation: Organisation) -> engine.Weights:
    """The organisation's weights (engine defaults when none are saved or they are invalid)."""
    data = (
        MatchingSettings.objects.filter(organisation=organisation).values_list("weights", flat=True).first()
        or {}
    )
    try:
        return engine.Weights.from_mapping(data)
    except engine.WeightsError:
        return engine.Weights()
