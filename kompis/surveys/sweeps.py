"""Periodic work of survey waves (registered with `kompis.core.sweeps`, imported by SurveysConfig.ready).

- Reminders: `reminder_days` after the invitation (or the last reminder), an open wave's unused
  invitations with a working address get a reminder in the invitation's language, at most `max_reminders`.
  The reminder carries the same personal link as the invitation (read from the invitation's queued mail);
  when that mail is gone, the invitation gets a new token and the reminder carries it.
- Calls: `reminder_days` after the last reminder, a wave with `phone_follow_up` gets a staff task per
  person who has not answered (once per person and wave, even after the task is done).
- Closing: open waves past `closes_at` are closed (and their waiting anonymous answers written).

Each step is idempotent and locks its rows with `select_for_update(skip_locked=True)`, so two workers never
send the same reminder; a sweep missed during downtime catches up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kompis.audit.actors import SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.core.links import absolute_url
from kompis.core.sweeps import register
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import Mail, queue_mails
from kompis.surveys.models import Invitation, Wave, WaveStatus
from kompis.surveys.tokens import new_token
from kompis.surveys.waves import REMINDER_TEMPLATE, RESPOND_URL, invitation_key, open_call_tasks
from kompis.surveys.worklist_kinds import SURVEY_NO_ANSWER

WAVES_JOB = SystemActor("surveys.waves")
#: reminders written per wave and sweep (the next sweep goes on)
BATCH = 5000


def _with_address() -> Q:
    return (
        ~Q(participant__email="")
        & Q(participant__email_bouncing=False)
        & Q(participant__unsubscribed_at__isnull=True)
    )


@transaction.atomic
def remind_wave(wave: Wave, *, now: datetime) -> int:
    """Send the reminders that are due in one wave; returns how many."""
    due = now - timedelta(days=wave.reminder_days)
    invitations = list(
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(wave=wave, used=False, reminders_sent__lt=wave.max_reminders)
        .filter(_with_address())
        .filter(Q(last_reminded_at__lte=due) | Q(last_reminded_at__isnull=True, invited_at__lte=due))
        .select_related("participant")
        .order_by("id")[:BATCH]
    )
    if not invitations:
        return 0
    survey = wave.survey
    keys = {invitation_key(wave, i.participant.uid): i for i in invitations}
    links = {
        key: (context or {}).get("url", "")
        for key, context in OutboxMessage.objects.filter(dedupe_key__in=list(keys)).values_list(
            "dedupe_key", "context"
        )
    }
    mails: list[Mail] = []
    rotated: list[Invitation] = []
    for key, invitation in keys.items():
        url = links.get(key, "")
        if not url:  # the invitation's mail is gone: a new token, the old link stops working
            token, invitation.token_hash = new_token()
            url = absolute_url(RESPOND_URL, token)
            rotated.append(invitation)
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
        person = invitation.participant
        texts = survey.texts.get(invitation.language) or {}
        mails.append(
            Mail(
                to_email=person.email,
                template=REMINDER_TEMPLATE,
                language=invitation.language,
                context={
                    "first_name": person.first_name,
                    "title": texts.get("title") or survey.name,
                    "organisation": survey.organisation.name,
                    "url": url,
                    "closes_on": timezone.localdate(wave.closes_at).isoformat(),
                },
                dedupe_key=f"survey-remind:{invitation.uid}:{invitation.reminders_sent}",
                organisation=survey.organisation,
                participant=person,
            )
        )
    # one statement for the counts; a new token only where the invitation's mail was gone
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
    )
    Invitation.objects.bulk_update(rotated, ["token_hash"], 1000)
    queue_mails(mails)
    record(
        actor=WAVES_JOB,
        action=EventType.SURVEY_WAVE_REMINDED,
        obj=wave,
        organisation=survey.organisation,
        data={"reminded": len(invitations)},
    )
    return len(invitations)


@transaction.atomic
def call_non_respondents(wave: Wave, *, now: datetime) -> int:
    """Staff tasks for those who have not answered `reminder_days` after their last reminder."""
    due = now - timedelta(days=wave.reminder_days)
    last = Q(last_reminded_at__lte=due) if wave.max_reminders else Q(invited_at__lte=due)
    invitations = list(
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(wave=wave, used=False, reminders_sent__gte=wave.max_reminders)
        .filter(_with_address())
        .filter(last)
        .select_related("participant")
    )
    made = open_call_tasks(
        wave=wave, people=[i.participant for i in invitations], kind=SURVEY_NO_ANSWER, today=now
    )
    if made:
        record(
            actor=WAVES_JOB,
            action=EventType.SURVEY_WAVE_NO_ANSWER_TASKS,
            obj=wave,
            organisation=wave.survey.organisation,
            data={"tasks": made},
        )
    return made


@transaction.atomic
def close_wave(wave: Wave) -> bool:
    """Close an open wave (and write its waiting anonymous answers); False if it was not open."""
    locked = (
        Wave.objects.select_for_update(skip_locked=True).filter(pk=wave.pk, status=WaveStatus.OPEN).first()
    )
    if locked is None:
        return False
    locked.status = WaveStatus.CLOSED
    locked.save(update_fields=["status"])
    try:
        from kompis.surveys import answering
    except ImportError:
        answering = None  # type: ignore[assignment]
    flush = getattr(answering, "flush_anonymous", None)
    if flush is not None:
        flush(locked, force=True)
    if wave.survey.anonymous:
        # what people typed but never sent stays with their link no longer than the wave
        Invitation.objects.filter(wave=locked).update(partial={}, page=1)
    record(
        actor=WAVES_JOB,
        action=EventType.SURVEY_WAVE_CLOSED,
        obj=locked,
        organisation=wave.survey.organisation,
    )
    return True


def run_waves(*, now: datetime) -> dict[str, int]:
    """Close the waves past their end, then remind and call in the open ones."""
    counts = {"closed": 0, "reminded": 0, "tasks": 0}
    waves = Wave.objects.filter(status=WaveStatus.OPEN).select_related("survey__organisation")
    for wave in waves:
        if wave.closes_at <= now:
            counts["closed"] += close_wave(wave)
            continue
        if wave.max_reminders:
            counts["reminded"] += remind_wave(wave, now=now)
        if wave.phone_follow_up:
            counts["tasks"] += call_non_respondents(wave, now=now)
    return counts


@register("surveys.waves")
def _waves(now: datetime) -> int:
    return sum(run_waves(now=now).values())
