"""Merging two records of one person into one.

Everything that names the removed record moves to the kept one: matches, proposals, exclusions, follow-up
questions, tasks, mails, consents, notes, and whatever other app points at a participant. The relations are
found through the model's meta (`Participant._meta`, hidden relations included), so participants imports no
app above it and a new app's model is covered without a change here. The participation in friend matching
(one per person) is the kept record's; when the kept record has none, the removed record's moves over. Empty
fields of the kept record (and of its friend participation) are filled from the removed one; the removed record's uid is kept in `MergedParticipant`, so links already
mailed to it (signed tokens naming the participant) open the kept record. One transaction: nothing is half
written when something fails.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Organisation
from kompis.participants.access import participants_for_user
from kompis.participants.models import (
    FRIEND_FIELDS,
    PERSON_FIELDS,
    FriendParticipation,
    MergedParticipant,
    Participant,
)
from kompis.participants.selectors import friend_participation_of
from kompis.participants.vocab import Status

#: fields of the kept record filled from the removed one when empty ("", None or an empty list). Booleans and
#: fields every record has (municipality) are never empty and stay.
FILL_FIELDS = (
    *PERSON_FIELDS,
    "region",
    "project",
    "external_ref",
    "unsubscribed_at",
)
#: the same for the kept friend participation, when both records have one (role, meeting mode and capacity
#: are never empty and stay; the status follows `_fill_friend`)
FRIEND_FILL_FIELDS = tuple(name for name in FRIEND_FIELDS if name != "role")

#: statuses that say the person is known to be there (a confirmed address, a place in the pool, a match)
_CONFIRMED = frozenset({Status.WAITING, Status.PAUSED, Status.MATCHED})

REFUSALS = {
    "same": _("A record cannot be merged with itself."),
    "scope": _("You can merge only people you may see."),
    "role": _(
        "One record is a newcomer and the other an established participant. Change one record's role first."
    ),
    "paired": _("The two records have a match, proposal or exclusion with each other."),
    "conflict": _(
        "Both records have something that can exist only once (such as an active match with the same "
        "person). Resolve it on one of them first."
    ),
}


class MergeRefused(Exception):
    """The two records cannot be merged; `reason` is a key of REFUSALS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(REFUSALS[self.reason])


@dataclass
class MergeResult:
    kept: Participant
    removed_uid: uuid.UUID
    #: rows moved to the kept record, by model ("matching.match": 2)
    moved: dict[str, int] = field(default_factory=dict)
    #: rows of the removed record dropped because the kept record already had the same one
    dropped: dict[str, int] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)


def participant_relations() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key (and one-to-one) to Participant in every installed app, hidden ones included
    (`related_name="+"`, as on Match and FollowUp); not the friend participation, which `_friend` merges."""
    relations = []
    for rel in Participant._meta.get_fields(include_hidden=True):
        if (
            isinstance(rel, ForeignObjectRel)
            and not rel.many_to_many
            and rel.related_model is not FriendParticipation
        ):
            fk = rel.field
            if isinstance(fk, models.ForeignKey):  # OneToOneField is a ForeignKey
                relations.append(fk)
    return relations


def _unique_sets(model: type[models.Model], name: str) -> list[tuple[str, ...]]:
    """The unconditional unique field sets of `model` that contain the field `name`."""
    sets: list[tuple[str, ...]] = [tuple(fields) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and constraint.fields
        ):
            sets.append(tuple(constraint.fields))
    return [fields for fields in sets if name in fields]


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == []


def _check(actor: User, keep: Participant, remove: Participant) -> None:
    if keep.pk == remove.pk:
        raise MergeRefused("same")
    visible = participants_for_user(actor).filter(pk__in=[keep.pk, remove.pk]).count()
    if visible != 2 or keep.organisation_id != remove.organisation_id:
        raise MergeRefused("scope")
    kept_friend, removed_friend = friend_participation_of(keep), friend_participation_of(remove)
    if kept_friend is not None and removed_friend is not None and kept_friend.role != removed_friend.role:
        raise MergeRefused("role")
    by_model: dict[type[models.Model], list[str]] = {}
    for fk in participant_relations():
        by_model.setdefault(fk.model, []).append(fk.name)
    for model, names in by_model.items():
        between = Q()
        for a in names:
            for b in names:
                if a != b:
                    between |= Q(**{a: keep.pk, b: remove.pk})
        if len(names) > 1 and model._base_manager.filter(between).exists():
            raise MergeRefused("paired")


def _move(keep: Participant, remove: Participant) -> tuple[Counter[str], Counter[str]]:
    """Point every row naming `remove` at `keep`; a row the kept record already has in the same form (an
    unconditional unique set, such as an exclusion of the same pair) is dropped instead."""
    moved: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for fk in participant_relations():
        model = fk.model
        rows = model._base_manager.filter(**{fk.name: remove.pk})
        for fields in _unique_sets(model, fk.name):
            others = [name for name in fields if name != fk.name]
            if not others:  # one row per participant (a one-to-one): both having one cannot be merged
                if model._base_manager.filter(**{fk.name: keep.pk}).exists() and rows.exists():
                    raise MergeRefused("conflict")
                continue
            kept = set(model._base_manager.filter(**{fk.name: keep.pk}).values_list(*others))
            same = [pk for pk, *values in rows.values_list("pk", *others) if tuple(values) in kept]
            if same:
                dropped[model._meta.label_lower] += model._base_manager.filter(pk__in=same).delete()[0]
        count = rows.update(**{fk.name: keep.pk})
        if count:
            moved[model._meta.label_lower] += count
    return moved, dropped


def _fill(keep: Participant, remove: Participant) -> list[str]:
    """Fill the kept record's empty fields from the removed one."""
    filled = _fill_empty(keep, remove, FILL_FIELDS)
    if "email" in filled:
        keep.email_verified_at = remove.email_verified_at
        keep.email_bouncing = remove.email_bouncing
    return filled


def _fill_empty(keep: models.Model, remove: models.Model, names: tuple[str, ...]) -> list[str]:
    filled = []
    for name in names:
        model_field = keep._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # the fill fields are concrete fields only
        attname = model_field.attname
        if _is_empty(getattr(keep, attname)) and not _is_empty(getattr(remove, attname)):
            setattr(keep, attname, getattr(remove, attname))
            filled.append(name)
    return filled


def _friend(keep: Participant, remove: Participant) -> list[str]:
    """The kept record's participation in friend matching, or the removed record's moved over when the kept
    one has none (one per person: its key is the person's). When both have one, the kept one's empty fields
    are filled from the other, and its status taken when the removed one is further along (the kept one
    pending or withdrawn, or the removed one matched: its matches came along). Returns the fields filled
    ("friend_matching" when the whole participation moved)."""
    kept, removed = friend_participation_of(keep), friend_participation_of(remove)
    if removed is None:
        return []
    if kept is None:
        # one UPDATE of the key: the row (and its history of statuses and dates) now belongs to the kept person
        FriendParticipation.objects.filter(pk=remove.pk).update(participant=keep.pk)
        if keep.email_verified_at is None and removed.status in _CONFIRMED:
            keep.email_verified_at = remove.email_verified_at
        return ["friend_matching"]
    filled = _fill_empty(kept, removed, FRIEND_FILL_FIELDS)
    if removed.status in _CONFIRMED and (
        kept.status in (Status.PENDING, Status.WITHDRAWN)
        or (removed.status == Status.MATCHED and kept.status != Status.MATCHED)
    ):
        kept.status = removed.status
        kept.paused_until = removed.paused_until
        kept.waiting_since = removed.waiting_since
        if keep.email_verified_at is None:
            keep.email_verified_at = remove.email_verified_at
        filled.append("status")
    if removed.rematch_priority and not kept.rematch_priority:
        kept.rematch_priority = True
        filled.append("rematch_priority")
    if filled:
        kept.save()
    return filled


@transaction.atomic
def merge_participants(*, actor: User, keep: Participant, remove: Participant) -> MergeResult:
    """Merge `remove` into `keep` (two records of one person, both in the actor's scope).

    Raises MergeRefused (and changes nothing) when the records cannot be merged.
    """
    locked = {p.pk: p for p in Participant.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])}
    if keep.pk == remove.pk:
        raise MergeRefused("same")
    if len(locked) != 2:
        raise MergeRefused("scope")
    keep, remove = locked[keep.pk], locked[remove.pk]
    _check(actor, keep, remove)
    removed_uid = remove.uid
    try:
        with transaction.atomic():  # a savepoint: a unique constraint the move breaks refuses the merge
            moved, dropped = _move(keep, remove)
            filled = _fill(keep, remove) + _friend(keep, remove)
            remove.delete()  # nothing points at it any more (its friend participation, if left, goes with it)
            MergedParticipant.objects.create(old_uid=removed_uid, participant=keep)
            keep.save()
    except IntegrityError as exc:
        raise MergeRefused("conflict") from exc
    record(
        actor=actor,
        action=EventType.PARTICIPANT_MERGED,
        obj=keep,
        data={
            "kept": str(keep.uid),
            "merged": str(removed_uid),
            "moved": dict(moved),
            "dropped": dict(dropped),
            "filled": filled,
        },
    )
    return MergeResult(
        kept=keep, removed_uid=removed_uid, moved=dict(moved), dropped=dict(dropped), filled=filled
    )


def participant_by_uid(*, organisation: Organisation, uid: object) -> Participant | None:
    """The participant a uid names in an organisation, following merges: a link made for a record that was
    merged into another opens the kept record."""
    try:
        value = uuid.UUID(str(uid))
    except ValueError:
        return None
    participant = Participant.objects.filter(organisation=organisation, uid=value).first()
    if participant is not None:
        return participant
    alias = (
        MergedParticipant.objects.filter(old_uid=value, participant__organisation=organisation)
        .select_related("participant")
        .first()
    )
    return alias.participant if alias is not None else None
