"""Every state change of a participant: keyword-only, atomic, given the actor, writing the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
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
from kompis.outbox.services import cancel_queued_for, queue_mail
from kompis.participants.merge import participant_by_uid
from kompis.participants.models import PROFILE_FIELDS, Consent, ConsentKind, Note, Participant
from kompis.participants.signals import WithdrawalCounts, participant_withdrawing
from kompis.participants.vocab import Source, Status

CONFIRM_PURPOSE = "signup.confirm"

#: the actor of the participants' sweep (unconfirmed sign-ups, pauses that end)
SWEEP = SystemActor("participants.sweep")


def region_for(*, organisation: Organisation, municipality_code: str) -> Region | None:
    """The organisation's office that covers this municipality, if any."""
    return (
        Region.objects.filter(organisation=organisation, municipalities__code=municipality_code)
        .order_by("id")
        .first()
    )


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
    """Create a pending participant from the public sign-up form and queue the confirmation mail.

    A second sign-up with the same e-mail creates nobody: the address gets a friendly mail instead, and the
    page looks the same either way, so the form cannot be used to find out who has signed up.
    """
    email = data["email"].strip().lower()
    existing = Participant.objects.filter(organisation=organisation, email=email).first()
    if existing is not None and existing.status == Status.WITHDRAWN:
        return SignupOutcome(participant=_rejoin(existing, data=data, language=language, project=project))
    if existing is not None:
        _queue_already_signed_up(existing, language)
        return SignupOutcome(participant=existing, duplicate=True)
    values = {field: data[field] for field in PROFILE_FIELDS if field in data}
    participant = Participant(
        organisation=organisation,
        project=project,
        preferred_language=language,
        status=Status.PENDING,
        source=Source.SIGNUP,
        **values,
    )
    participant.email = email
    participant.region = region_for(
        organisation=organisation, municipality_code=participant.municipality.code
    )
    try:
        with transaction.atomic():
            participant.save()
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
    """Someone who left signs up again with the same address: the same record comes back to life with the
    new answers and a fresh consent, pending until the address is confirmed again (whoever filled in the
    form must own the address). Her history (audit log, old consents, ended matches) is kept."""
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    if person.status != Status.WITHDRAWN:  # a parallel sign-up revived her already
        _queue_already_signed_up(person, language)
        return person
    for field in PROFILE_FIELDS:
        if field in data and field != "email":
            setattr(person, field, data[field])
    person.region = region_for(organisation=person.organisation, municipality_code=person.municipality.code)
    if project is not None:
        person.project = project
    person.preferred_language = language
    person.status = Status.PENDING
    person.source = Source.SIGNUP
    person.email_verified_at = None
    person.unsubscribed_at = None
    person.paused_until = None
    person.rematch_priority = False
    # The pending period of this sign-up starts now (the first sign-up's date is in the audit log).
    person.signed_up_at = timezone.now()
    person.save()
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
    if participant.status == Status.PENDING:
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
    """Confirm the e-mail and put the participant in the waiting pool. Idempotent: False if already done."""
    updated = Participant.objects.filter(pk=participant.pk, status=Status.PENDING).update(
        status=Status.WAITING, email_verified_at=timezone.now()
    )
    if not updated:
        return False
    participant.refresh_from_db()
    record(
        actor=ParticipantActor(participant.pk), action=EventType.PARTICIPANT_CONFIRMED_EMAIL, obj=participant
    )
    return True


def expire_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete sign-ups that were never confirmed within SIGNUP_CONFIRM_DAYS (run by the worker's sweep)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SIGNUP_CONFIRM_DAYS)
    count = 0
    for participant in Participant.objects.filter(
        status=Status.PENDING, signed_up_at__lt=cutoff, source=Source.SIGNUP
    ):
        with transaction.atomic():
            if participant.consents.filter(withdrawn_at__isnull=False).exists():
                # Someone who had left and signed up again without confirming: she stays as she was
                # (left, history kept), and the unconfirmed new consent is withdrawn.
                participant.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
                Participant.objects.filter(pk=participant.pk).update(status=Status.WITHDRAWN)
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
    """Apply edited profile fields; the audit log records which fields changed (not their values)."""
    changed = []
    for field, value in data.items():
        if getattr(participant, field) != value:
            setattr(participant, field, value)
            changed.append(field)
    if "municipality" in changed and "region" not in data:
        participant.region = region_for(
            organisation=participant.organisation, municipality_code=participant.municipality.code
        )
    if changed:
        participant.full_clean(exclude=["uid"])
        participant.save()
        record(
            actor=actor,
            action=EventType.PARTICIPANT_UPDATED,
            obj=participant,
            data={"fields": sorted(changed)},
        )
    return changed


@transaction.atomic
def pause_participant(*, actor: Actor, participant: Participant, until: date | None) -> None:
    if participant.status not in (Status.WAITING, Status.MATCHED, Status.PAUSED):
        raise ValueError("Only a confirmed participant can be paused.")
    participant.status = Status.PAUSED
    participant.paused_until = until
    participant.save(update_fields=["status", "paused_until", "updated_at"])
    record(
        actor=actor,
        action=EventType.PARTICIPANT_PAUSED,
        obj=participant,
        data={"until": until.isoformat() if until else None},
    )


@transaction.atomic
def resume_participant(*, actor: Actor, participant: Participant) -> None:
    if participant.status != Status.PAUSED:
        raise ValueError("Only a paused participant can be resumed.")
    participant.status = Status.WAITING
    participant.paused_until = None
    participant.save(update_fields=["status", "paused_until", "updated_at"])
    record(actor=actor, action=EventType.PARTICIPANT_RESUMED, obj=participant)


def resume_due_pauses(*, now: datetime | None = None) -> int:
    """Put back in the waiting pool everyone whose pause ended before today (run by the worker's sweep);
    a pause without an end date lasts until the person or staff resumes it."""
    today = timezone.localdate(now or timezone.now())
    count = 0
    due = Participant.objects.filter(status=Status.PAUSED, paused_until__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            person = Participant.objects.select_for_update().get(pk=pk)
            if person.status != Status.PAUSED or person.paused_until is None or person.paused_until >= today:
                continue  # resumed or paused again meanwhile
            until = person.paused_until
            person.status = Status.WAITING
            person.paused_until = None
            person.save(update_fields=["status", "paused_until", "updated_at"])
            record(
                actor=SWEEP,
                action=EventType.PARTICIPANT_PAUSE_ENDED,
                obj=person,
                data={"until": until.isoformat()},
            )
            count += 1
    return count


@transaction.atomic
def withdraw_participant(*, actor: Actor, participant: Participant, reason: str = "") -> bool:
    """The person leaves (by her own page or by staff), all in this one transaction: every mail to or about
    her that has not gone out is cancelled, her consents are marked withdrawn, and the apps above are told
    (`participant_withdrawing`): her active matches end with reason "withdrew" (each partner back to the
    pool with priority and a short neutral mail), open proposals with her are withdrawn. Her links then
    show a "you have left" page. False if she had left."""
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    if person.status == Status.WITHDRAWN:
        return False
    now = timezone.now()
    person.status = Status.WITHDRAWN
    person.paused_until = None
    person.rematch_priority = False
    person.save(update_fields=["status", "paused_until", "rematch_priority", "updated_at"])
    participant.status, participant.paused_until = person.status, None
    participant.rematch_priority = False
    cancelled = cancel_queued_for(participant_id=person.pk, about_uid=str(person.uid))
    # The apps above do their part here (same transaction; an error there rolls all of this back).
    counts = _added_up(
        participant_withdrawing.send(sender=Participant, actor=actor, participant=person, cancelled=cancelled)
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
    if participant is None or participant.status == Status.PENDING:
        raise InvalidLink("gone")
    return participant


def request_self_service_link(*, organisation: Organisation, email: str, language: str) -> None:
    """Mail a fresh personal link if the address belongs to a confirmed participant. The page answers the
    same either way, so it cannot be used to find out who has signed up; at most one such mail an hour."""
    participant = (
        Participant.objects.filter(organisation=organisation, email=email.strip().lower())
        .exclude(status=Status.PENDING)
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
