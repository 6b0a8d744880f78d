"""Every state change of a participant: keyword-only, atomic, given the actor, writing the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.accounts.models import User
from kompis.audit.actors import Actor, ParticipantActor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.models import AuditEvent
from kompis.audit.services import record
from kompis.core.links import absolute_url
from kompis.core.tokens import InvalidLink, make_token, read_token
from kompis.organisations.models import Organisation, Project, Region
from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.services import ABOUT, cancel_queued_for, queue_mail
from kompis.participants.merge import participant_by_uid
from kompis.participants.models import (
    FRIEND_FIELDS,
    PROFILE_FIELDS,
    Consent,
    ConsentKind,
    FriendParticipation,
    Note,
    Participant,
)
from kompis.participants.signals import WithdrawalCounts, participant_withdrawing
from kompis.participants.vocab import Source, Status

CONFIRM_PURPOSE = "signup.confirm"

#: the actor of the participants' sweep (unconfirmed sign-ups, pauses that end)
SWEEP = SystemActor("participants.sweep")


def region_for(*, organisation: Organisation, municipality_code: str | None) -> Region | None:
    """The organisation's office that covers this municipality, if any (None without a municipality)."""
    if not municipality_code:
        return None
    return (
        Region.objects.filter(organisation=organisation, municipalities__code=municipality_code)
        .order_by("id")
        .first()
    )


def friend_participation_of(person: Participant) -> FriendParticipation | None:
    """The person's participation in friend matching (as loaded with her), or None: a new person, or one who
    takes part only in other activities."""
    if person.pk is None:
        return None
    try:
        return person.friend_matching
    except FriendParticipation.DoesNotExist:
        return None


def split_profile(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Form values (PROFILE_FIELDS and more) split into the person's and friend matching's (FRIEND_FIELDS)."""
    person = {name: value for name, value in data.items() if name not in FRIEND_FIELDS}
    friend = {name: value for name, value in data.items() if name in FRIEND_FIELDS}
    return person, friend


def has_left(person: Participant) -> bool:
    """She left everything (`withdraw_participant`): no friend participation still going, and no consent
    still given. Someone who only left friend matching (`leave_friend_matching`) has not."""
    friend = friend_participation_of(person)
    if friend is not None and friend.status != Status.WITHDRAWN:
        return False
    return not Consent.objects.filter(participant=person, withdrawn_at__isnull=True).exists()


def confirmation_token(participant: Participant) -> str:
    return make_token(CONFIRM_PURPOSE, {"p": str(participant.uid)})


def confirmation_url(participant: Participant) -> str:
    return absolute_url("public:confirm", participant.organisation.slug, confirmation_token(participant))


@dataclass(frozen=True)
class SignupOutcome:
    participant: Participant | None
    duplicate: bool = False


@transaction.atomic
def signup_participant(
    *, organisation: Organisation, data: dict[str, Any], language: str, project: Project | None = None
) -> SignupOutcome:
    """Create a person and her participation in friend matching (pending) from the public sign-up form, in
    one transaction, and queue the confirmation mail.

    A second sign-up with the same e-mail creates nobody: the address gets a friendly mail instead, and the
    page looks the same either way, so the form cannot be used to find out who has signed up. Someone who
    had left friend matching (or everything) joins again (`_rejoin`).
    """
    email = data["email"].strip().lower()
    existing = (
        Participant.objects.filter(organisation=organisation, email=email)
        .select_related("friend_matching")
        .first()
    )
    friend = friend_participation_of(existing) if existing is not None else None
    if existing is not None and friend is not None and friend.status == Status.WITHDRAWN:
        return SignupOutcome(participant=_rejoin(existing, data=data, language=language, project=project))
    if existing is not None:
        # Also a person who takes part only in other activities: staff add her to friend matching.
        _queue_already_signed_up(existing, language)
        return SignupOutcome(participant=existing, duplicate=True)
    person_values, friend_values = split_profile({f: data[f] for f in PROFILE_FIELDS if f in data})
    now = timezone.now()
    participant = Participant(
        organisation=organisation,
        project=project,
        preferred_language=language,
        source=Source.SIGNUP,
        signed_up_at=now,
        **person_values,
    )
    participant.email = email
    participant.region = region_for(organisation=organisation, municipality_code=participant.municipality_id)
    try:
        with transaction.atomic():
            participant.save()
            # waiting since the sign-up itself (`expire_unconfirmed` tells a new sign-up by this)
            participant.friend_matching = FriendParticipation.objects.create(
                participant=participant,
                organisation=organisation,
                status=Status.PENDING,
                waiting_since=now,
                **friend_values,
            )
    except IntegrityError:  # a parallel sign-up with the same address won the race
        existing = Participant.objects.get(organisation=organisation, email=email)
        _queue_already_signed_up(existing, language)
        return SignupOutcome(participant=existing, duplicate=True)
    _give_consents(participant, data)
    record(
        actor=ParticipantActor(participant.pk),
        action=EventType.PARTICIPANT_SIGNED_UP,
        obj=participant,
        data={"language": language},
    )
    _queue_confirmation(participant, language)
    return SignupOutcome(participant=participant)


def _give_consents(participant: Participant, data: dict[str, Any]) -> None:
    Consent.objects.create(
        participant=participant,
        kind=ConsentKind.DATA_PROCESSING,
        policy_version=settings.PRIVACY_POLICY_VERSION,
    )
    if data.get("consent_research"):
        Consent.objects.create(
            participant=participant, kind=ConsentKind.RESEARCH, policy_version=settings.PRIVACY_POLICY_VERSION
        )


def _queue_confirmation(participant: Participant, language: str, *, key: str = "") -> None:
    queue_mail(
        to_email=participant.email,
        template="signup_confirm",
        language=language,
        context={
            "first_name": participant.first_name,
            "organisation": participant.organisation.name,
            "confirm_url": confirmation_url(participant),
            "days": settings.SIGNUP_CONFIRM_DAYS,
        },
        dedupe_key=f"signup_confirm:{participant.uid}{key}",
        organisation=participant.organisation,
        participant=participant,
    )


def _rejoin(
    participant: Participant, *, data: dict[str, Any], language: str, project: Project | None
) -> Participant:
    """Someone who left friend matching (or everything) signs up again with the same address: the same
    records come back to life with the new answers and a fresh consent, her friend participation pending
    until the address is confirmed again (whoever filled in the form must own the address). Her history
    (audit log, old consents, ended matches) is kept, and so is her registration date (`signed_up_at`):
    she waits since now (`waiting_since`)."""
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    friend = FriendParticipation.objects.select_for_update().get(pk=participant.pk)
    person.friend_matching = friend
    if friend.status != Status.WITHDRAWN:  # a parallel sign-up revived her already
        _queue_already_signed_up(person, language)
        return person
    person_values, friend_values = split_profile({f: data[f] for f in PROFILE_FIELDS if f in data})
    for field, value in person_values.items():
        if field != "email":
            setattr(person, field, value)
    for field, value in friend_values.items():
        setattr(friend, field, value)
    person.region = region_for(organisation=person.organisation, municipality_code=person.municipality_id)
    if project is not None:
        person.project = project
    person.preferred_language = language
    person.source = Source.SIGNUP
    person.email_verified_at = None
    person.unsubscribed_at = None
    person.save()
    friend.status = Status.PENDING
    friend.paused_until = None
    friend.rematch_priority = False
    # The pending period of this sign-up starts now (the first sign-up's date is in the audit log).
    friend.waiting_since = timezone.now()
    friend.save()
    _give_consents(person, data)
    rejoins = AuditEvent.objects.filter(
        object_type=Participant._meta.label_lower,
        object_id=str(person.uid),
        action=EventType.PARTICIPANT_REJOINED,
    ).count()
    record(
        actor=ParticipantActor(person.pk),
        action=EventType.PARTICIPANT_REJOINED,
        obj=person,
        data={"language": language},
    )
    _queue_confirmation(person, language, key=f":rejoin{rejoins + 1}")
    return person


def _queue_already_signed_up(participant: Participant, language: str) -> None:
    today = timezone.localdate().isoformat()
    context: dict[str, Any] = {
        "first_name": participant.first_name,
        "organisation": participant.organisation.name,
    }
    friend = friend_participation_of(participant)
    if friend is not None and friend.status == Status.PENDING:
        context["confirm_url"] = confirmation_url(participant)
    queue_mail(
        to_email=participant.email,
        template="signup_duplicate",
        language=language,
        context=context,
        dedupe_key=f"signup_duplicate:{participant.uid}:{today}",  # at most one such mail a day
        organisation=participant.organisation,
        participant=participant,
    )


def participant_from_confirmation(*, organisation: Organisation, token: str) -> Participant:
    payload = read_token(CONFIRM_PURPOSE, token, max_age=timedelta(days=settings.SIGNUP_CONFIRM_DAYS))
    participant = participant_by_uid(organisation=organisation, uid=payload.get("p", ""))  # follows merges
    if participant is None:
        raise InvalidLink("gone")
    return participant


@transaction.atomic
def confirm_email(*, participant: Participant) -> bool:
    """Confirm the e-mail and put the participant in friend matching's waiting pool. Idempotent: False if
    already done."""
    updated = FriendParticipation.objects.filter(pk=participant.pk, status=Status.PENDING).update(
        status=Status.WAITING, updated_at=timezone.now()
    )
    if not updated:
        return False
    Participant.objects.filter(pk=participant.pk).update(email_verified_at=timezone.now())
    participant.refresh_from_db()
    participant.friend_matching = FriendParticipation.objects.get(pk=participant.pk)
    record(
        actor=ParticipantActor(participant.pk), action=EventType.PARTICIPANT_CONFIRMED_EMAIL, obj=participant
    )
    return True


def expire_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete sign-ups that were never confirmed within SIGNUP_CONFIRM_DAYS (run by the worker's sweep)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SIGNUP_CONFIRM_DAYS)
    count = 0
    for participant in Participant.objects.filter(
        friend_matching__status=Status.PENDING,
        friend_matching__waiting_since__lt=cutoff,
        source=Source.SIGNUP,
    ).select_related("friend_matching"):
        with transaction.atomic():
            friend = participant.friend_matching
            if (
                friend.waiting_since != participant.signed_up_at  # she was registered before this sign-up
                or participant.consents.filter(withdrawn_at__isnull=False).exists()  # (rejoined before #12)
            ):
                # Someone who had left and signed up again without confirming: she stays as she was
                # (left friend matching, history kept), and the consents of the unconfirmed sign-up are
                # withdrawn (those she gave before and kept, when she left only friend matching, stay).
                participant.consents.filter(
                    withdrawn_at__isnull=True, given_at__gte=friend.waiting_since
                ).update(withdrawn_at=timezone.now())
                FriendParticipation.objects.filter(pk=participant.pk).update(
                    status=Status.WITHDRAWN, updated_at=timezone.now()
                )
                record(actor=SWEEP, action=EventType.PARTICIPANT_REJOIN_EXPIRED, obj=participant)
                count += 1
                continue
            record(
                actor=SWEEP,
                action=EventType.PARTICIPANT_EXPIRED_UNCONFIRMED,
                obj=participant,
            )
            participant.delete()
            count += 1
    return count


@transaction.atomic
def update_participant(*, actor: Actor, participant: Participant, data: dict[str, Any]) -> list[str]:
    """Apply edited profile fields, the person's and (FRIEND_FIELDS) her friend participation's; the audit
    log records which fields changed (not their values). A person who takes part only in other activities
    has no friend-matching answers to change: those fields are left out."""
    person_values, friend_values = split_profile(data)
    friend = friend_participation_of(participant)
    changed = []
    for field, value in person_values.items():
        if getattr(participant, field) != value:
            setattr(participant, field, value)
            changed.append(field)
    friend_changed = []
    if friend is not None:
        for field, value in friend_values.items():
            if getattr(friend, field) != value:
                setattr(friend, field, value)
                friend_changed.append(field)
    if "municipality" in changed and "region" not in data and participant.municipality_id:
        participant.region = region_for(
            organisation=participant.organisation, municipality_code=participant.municipality_id
        )
    if changed:
        participant.full_clean(exclude=["uid"])
        participant.save()
    if friend is not None and friend_changed:
        friend.full_clean(exclude=["participant"])
        friend.save()
    if changed or friend_changed:
        record(
            actor=actor,
            action=EventType.PARTICIPANT_UPDATED,
            obj=participant,
            data={"fields": sorted(changed + friend_changed)},
        )
    return changed + friend_changed


def _locked_friend(participant: Participant) -> FriendParticipation:
    """Her friend participation, locked for this transaction (and put on `participant`, so the caller sees
    the new state). ValueError if she takes part only in other activities."""
    friend = FriendParticipation.objects.select_for_update().filter(pk=participant.pk).first()
    if friend is None:
        raise ValueError("The person does not take part in friend matching.")
    participant.friend_matching = friend
    return friend


@transaction.atomic
def pause_participant(*, actor: Actor, participant: Participant, until: date | None) -> None:
    """Pause her friend matching (until a date, or until she or staff resume it)."""
    friend = _locked_friend(participant)
    if friend.status not in (Status.WAITING, Status.MATCHED, Status.PAUSED):
        raise ValueError("Only a confirmed participant can be paused.")
    friend.status = Status.PAUSED
    friend.paused_until = until
    friend.save(update_fields=["status", "paused_until", "updated_at"])
    record(
        actor=actor,
        action=EventType.PARTICIPANT_PAUSED,
        obj=participant,
        data={"until": until.isoformat() if until else None},
    )


@transaction.atomic
def resume_participant(*, actor: Actor, participant: Participant) -> None:
    """Her paused friend matching goes on: back in the waiting pool."""
    friend = _locked_friend(participant)
    if friend.status != Status.PAUSED:
        raise ValueError("Only a paused participant can be resumed.")
    friend.status = Status.WAITING
    friend.paused_until = None
    friend.save(update_fields=["status", "paused_until", "updated_at"])
    record(actor=actor, action=EventType.PARTICIPANT_RESUMED, obj=participant)


def resume_due_pauses(*, now: datetime | None = None) -> int:
    """Put back in the waiting pool everyone whose pause ended before today (run by the worker's sweep);
    a pause without an end date lasts until the person or staff resumes it."""
    today = timezone.localdate(now or timezone.now())
    count = 0
    due = FriendParticipation.objects.filter(status=Status.PAUSED, paused_until__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            friend = FriendParticipation.objects.select_for_update().select_related("participant").get(pk=pk)
            if friend.status != Status.PAUSED or friend.paused_until is None or friend.paused_until >= today:
                continue  # resumed or paused again meanwhile
            until = friend.paused_until
            friend.status = Status.WAITING
            friend.paused_until = None
            friend.save(update_fields=["status", "paused_until", "updated_at"])
            record(
                actor=SWEEP,
                action=EventType.PARTICIPANT_PAUSE_ENDED,
                obj=friend.participant,
                data={"until": until.isoformat()},
            )
            count += 1
    return count


def _leave_friend_matching(person: Participant, friend: FriendParticipation | None) -> None:
    """Her friend participation (locked) is over: withdrawn, no pause, no priority."""
    if friend is None:
        return
    friend.status = Status.WITHDRAWN
    friend.paused_until = None
    friend.rematch_priority = False
    friend.save(update_fields=["status", "paused_until", "rematch_priority", "updated_at"])
    person.friend_matching = friend


@transaction.atomic
def withdraw_participant(*, actor: Actor, participant: Participant, reason: str = "") -> bool:
    """The person leaves everything (by her own page or by staff), all in this one transaction: her friend
    participation is withdrawn, every mail to or about her that has not gone out is cancelled, her consents
    are marked withdrawn, and the apps above are told (`participant_withdrawing`, everything=True): her
    active matches end with reason "withdrew" (each partner back to the pool with priority and a short
    neutral mail), open proposals with her are withdrawn. Her links then show a "you have left" page. False
    if she had left (`has_left`)."""
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    friend = FriendParticipation.objects.select_for_update().filter(pk=participant.pk).first()
    if friend is not None:
        person.friend_matching = friend
    if has_left(person):
        return False
    now = timezone.now()
    _leave_friend_matching(person, friend)
    if friend is not None:
        participant.friend_matching = friend
    cancelled = cancel_queued_for(participant_id=person.pk, about_uid=str(person.uid))
    # The apps above do their part here (same transaction; an error there rolls all of this back).
    counts = _added_up(
        participant_withdrawing.send(
            sender=Participant, actor=actor, participant=person, cancelled=cancelled, everything=True
        )
    )
    consents = Consent.objects.filter(participant=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    reason = reason.strip()[:500]
    if reason:  # free text is personal data: a note on her record, never the audit log
        Note.objects.create(
            participant=person,
            author=actor if isinstance(actor, User) else None,
            text=_("Reason for leaving: %(reason)s") % {"reason": reason},
        )
    record(
        actor=actor,
        action=EventType.PARTICIPANT_WITHDRAWN,
        obj=person,
        data={
            "mails_cancelled": len(cancelled) + counts.get("mails_cancelled", 0),
            "matches_ended": counts.get("matches_ended", 0),
            "consents_withdrawn": consents,
            "reason_given": bool(reason),
        },
    )
    return True


#: The mails about the person herself, not about an activity: leaving friend matching keeps them queued.
PERSON_MAILS = frozenset({"signup_duplicate", "self_service_link"})


def _cancel_friend_matching_mails(person: Participant) -> list[OutboxMessage]:
    """Cancel the queued mails to or about her that belong to friend matching: today that is every mail to
    or about a participant except PERSON_MAILS. (When another activity sends mails of its own, e.g. event
    reminders in #13, its templates are to be kept here too.)"""
    queued = (
        OutboxMessage.objects.filter(state__in=(MailState.QUEUED, MailState.SENDING))
        .filter(Q(participant_id=person.pk) | Q(**{f"context__{ABOUT}__icontains": str(person.uid)}))
        .exclude(template__in=PERSON_MAILS)
        .values_list("template", flat=True)
        .distinct()
    )
    templates = tuple(sorted(set(queued)))
    if not templates:
        return []
    return cancel_queued_for(participant_id=person.pk, about_uid=str(person.uid), templates=templates)


@transaction.atomic
def leave_friend_matching(*, actor: Actor, participant: Participant) -> bool:
    """The person leaves friend matching only (her own page, or staff): her friend participation is
    withdrawn, the friend-matching mails to or about her that have not gone out are cancelled, and the apps
    above are told (`participant_withdrawing`, everything=False) as when she leaves everything: her active
    matches end with reason "withdrew", each partner back to the pool, open proposals with her withdrawn.
    Her consents, her other activities and her personal link stay. False if she had no friend
    participation going."""
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    friend = FriendParticipation.objects.select_for_update().filter(pk=participant.pk).first()
    if friend is None or friend.status == Status.WITHDRAWN:
        return False
    _leave_friend_matching(person, friend)
    participant.friend_matching = friend
    cancelled = _cancel_friend_matching_mails(person)
    counts = _added_up(
        participant_withdrawing.send(
            sender=Participant, actor=actor, participant=person, cancelled=cancelled, everything=False
        )
    )
    record(
        actor=actor,
        action=EventType.PARTICIPANT_LEFT_FRIEND_MATCHING,
        obj=person,
        data={
            "mails_cancelled": len(cancelled) + counts.get("mails_cancelled", 0),
            "matches_ended": counts.get("matches_ended", 0),
        },
    )
    return True


def _added_up(responses: Sequence[tuple[object, object]]) -> WithdrawalCounts:
    """The `WithdrawalCounts` the receivers returned, added up (a receiver may return None)."""
    total: WithdrawalCounts = {"mails_cancelled": 0, "matches_ended": 0}
    for _receiver, counts in responses:
        if isinstance(counts, dict):
            total["mails_cancelled"] += int(counts.get("mails_cancelled", 0))
            total["matches_ended"] += int(counts.get("matches_ended", 0))
    return total


@transaction.atomic
def add_note(*, actor: User, participant: Participant, text: str) -> Note:
    note = Note.objects.create(participant=participant, author=actor, text=text)
    record(actor=actor, action=EventType.PARTICIPANT_NOTE_ADDED, obj=participant)
    return note


SELF_SERVICE_PURPOSE = "participant.self_service"


def self_service_url(participant: Participant) -> str:
    """The participant's personal page (no password): pause, withdraw, update, unsubscribe."""
    token = make_token(SELF_SERVICE_PURPOSE, {"p": str(participant.uid)})
    return absolute_url("public:me", participant.organisation.slug, token)


def participant_from_self_service(*, organisation: Organisation, token: str) -> Participant:
    payload = read_token(SELF_SERVICE_PURPOSE, token, max_age=timedelta(days=settings.SELF_SERVICE_LINK_DAYS))
    participant = participant_by_uid(organisation=organisation, uid=payload.get("p", ""))  # follows merges
    if participant is None:
        raise InvalidLink("gone")
    friend = friend_participation_of(participant)
    if friend is not None and friend.status == Status.PENDING:  # her sign-up is not confirmed
        raise InvalidLink("gone")
    return participant


def request_self_service_link(*, organisation: Organisation, email: str, language: str) -> None:
    """Mail a fresh personal link if the address belongs to a confirmed participant. The page answers the
    same either way, so it cannot be used to find out who has signed up; at most one such mail an hour."""
    participant = (
        Participant.objects.filter(organisation=organisation, email=email.strip().lower())
        .exclude(friend_matching__status=Status.PENDING)
        .first()
    )
    if participant is None:
        return
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    queue_mail(
        to_email=participant.email,
        template="self_service_link",
        language=participant.preferred_language or language,
        context={
            "first_name": participant.first_name,
            "organisation": organisation.name,
            "self_service_url": self_service_url(participant),
            "days": settings.SELF_SERVICE_LINK_DAYS,
        },
        dedupe_key=f"self_service_link:{participant.uid}:{hour}",
        organisation=organisation,
        participant=participant,
    )


@transaction.atomic
def unsubscribe(*, actor: Actor, participant: Participant) -> bool:
    """Stop questions and reminders by mail. Idempotent: False if already unsubscribed."""
    updated = Participant.objects.filter(pk=participant.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    if updated:
        participant.refresh_from_db()
        # Questions and reminders already queued stay unsent too.
        cancelled = cancel_queued_for(
            participant_id=participant.pk, templates=("followup_question", "followup_reminder")
        )
        record(
            actor=actor,
            action=EventType.PARTICIPANT_UNSUBSCRIBED,
            obj=participant,
            data={"mails_cancelled": len(cancelled)},
        )
    return bool(updated)
