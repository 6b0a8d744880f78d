"""Waves and invitations (issue #14): create a wave of an open survey, and send it.

Who a wave goes to:
- baseline of a programme cohort: its active enrolments; final: its completed ones (and, when asked, those
  still active at the end); follow-up: its completed ones, `months_after` months after the cohort's end
  (the wave opens then and cannot be sent before);
- baseline, final or follow-up of friend matches (no cohort): both people of every match approved
  (created) in a period, both days included (`group` holds the days); a follow-up opens `months_after`
  months after the period's last day;
- ad hoc: the participants' list filter (`ParticipantFilter`), within the sender's scope;
- open: nobody is invited; the wave has a public link key.

Sending writes one `Invitation` per person (a random token; only its SHA-256 is kept) and queues one mail
per person with an address (bulk, deduplicated, so a retried send never doubles: people invited already are
left out). The mail is in the person's preferred language when the survey has it, else in the first of
their languages the survey has, else in Swedish (or the survey's first language if it has no Swedish). Unsubscribed people are not invited.
People without a working address are invited (staff may interview them) and, when the wave has
`phone_follow_up`, get a staff call task. One audit event per wave with the counts, none per person.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import object_ref, record
from kompis.core.links import absolute_url
from kompis.matching.models import Match
from kompis.outbox.services import Mail, queue_mails
from kompis.participants.models import Participant
from kompis.participants.selectors import ParticipantFilter, filtered_participants
from kompis.programmes.models import Cohort, EnrolmentStatus
from kompis.surveys.models import Invitation, Survey, SurveyStatus, Wave, WaveKind, WaveStatus
from kompis.surveys.tokens import new_token
from kompis.surveys.worklist_kinds import SURVEY_CALL
from kompis.worklist.models import Task

#: the mail templates (kompis/surveys/templates/outbox/mail/)
INVITATION_TEMPLATE = "survey_invitation"
REMINDER_TEMPLATE = "survey_reminder"
#: the public page a personal link opens (S2's view)
RESPOND_URL = "surveys_public:respond"
#: an open wave's public page
OPEN_URL = "surveys_public:open"
#: the language of a mail to someone who speaks none of the survey's languages (when the survey has it)
FALLBACK_LANGUAGE = "sv"
COHORT_KINDS = (WaveKind.BASELINE, WaveKind.FINAL, WaveKind.FOLLOW_UP)


class WaveError(ValueError):
    """A wave cannot be created or sent; `field` names the form field at fault ("" : the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def invitation_key(wave: Wave, participant_uid: Any) -> str:
    return f"survey-invite:{wave.uid}:{participant_uid}"


def mail_language(survey_languages: list[str], preferred: str, spoken: list[str]) -> str:
    """The person's preferred language if the survey has it, else the first they speak that it has, else
    Swedish if the survey has it, else the survey's first language (alphabetically)."""
    if preferred in survey_languages:
        return preferred
    for code in spoken:
        if code in survey_languages:
            return code
    # the survey's languages are stored sorted, so "its first language" is Swedish when it has it
    if FALLBACK_LANGUAGE in survey_languages:
        return FALLBACK_LANGUAGE
    return survey_languages[0] if survey_languages else preferred


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _local_morning(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@transaction.atomic
def create_wave(
    *,
    actor: User,
    survey: Survey,
    kind: str,
    name: str,
    closes_at: datetime,
    opens_at: datetime | None = None,
    cohort: Cohort | None = None,
    include_active: bool = False,
    months_after: int | None = None,
    matches_from: date | None = None,
    matches_to: date | None = None,
    filters: ParticipantFilter | None = None,
    reminder_days: int = 7,
    max_reminders: int = 2,
    phone_follow_up: bool = False,
) -> Wave:
    """A draft wave of an open survey; nothing is sent yet."""
    if survey.status != SurveyStatus.OPEN:
        raise WaveError(_("This survey is not open: open the survey first."))
    if kind not in WaveKind.values:
        raise WaveError(_("Choose what kind of wave this is."), "kind")
    if not name.strip():
        raise WaveError(_("Give the wave a name."), "name")
    if not 0 <= max_reminders <= 2:
        raise WaveError(_("At most two reminders."), "max_reminders")
    if reminder_days < 1:
        raise WaveError(_("Remind after one day at the earliest."), "reminder_days")
    group: dict[str, Any] = {}
    if kind in COHORT_KINDS:
        if cohort is not None:
            if cohort.programme.organisation_id != survey.organisation_id:
                raise WaveError(_("Choose the cohort the wave is about."), "cohort")
            ends_on = cohort.ends_on
            if kind == WaveKind.FINAL and include_active:
                group["include_active"] = True
        elif matches_from is not None:
            ends_on = matches_to or timezone.localdate()
            if ends_on < matches_from:
                raise WaveError(_("The period must end on or after its first day."), "matches_to")
            group = {"matches_from": matches_from.isoformat(), "matches_to": ends_on.isoformat()}
        else:
            raise WaveError(
                _("Choose the cohort the wave is about, or the period of friend matches."), "cohort"
            )
        if kind == WaveKind.FOLLOW_UP:
            if not months_after or months_after < 1:
                raise WaveError(_("Say how many months after the activity's end."), "months_after")
            opens_at = max(opens_at or timezone.now(), _local_morning(_add_months(ends_on, months_after)))
    else:
        cohort, months_after = None, None
    if kind == WaveKind.AD_HOC:
        group = {k: v for k, v in asdict(filters or ParticipantFilter()).items() if v not in ("", None)}
    opens_at = opens_at or timezone.now()
    if closes_at <= opens_at:
        raise WaveError(_("The wave must close after it opens."), "closes_at")
    wave = Wave.objects.create(
        survey=survey,
        name=name.strip(),
        kind=kind,
        cohort=cohort,
        group=group,
        months_after=months_after if kind == WaveKind.FOLLOW_UP else None,
        opens_at=opens_at,
        closes_at=closes_at,
        reminder_days=reminder_days,
        max_reminders=max_reminders,
        phone_follow_up=phone_follow_up,
        public_key=secrets.token_urlsafe(24) if kind == WaveKind.OPEN else "",
        created_by=actor,
    )
    record(
        actor=actor,
        action=EventType.SURVEY_WAVE_CREATED,
        obj=wave,
        organisation=survey.organisation,
        data={"survey": str(survey.uid), "kind": kind},
    )
    return wave


def matches_group(wave: Wave) -> tuple[date | None, date | None]:
    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    return day(wave.group.get("matches_from")), day(wave.group.get("matches_to"))


def recipients(wave: Wave, *, user: User | None = None) -> QuerySet[Participant]:
    """The people the wave goes to (before leaving out the invited and the unsubscribed)."""
    survey = wave.survey
    people = Participant.objects.filter(organisation_id=survey.organisation_id)
    if wave.kind in COHORT_KINDS and wave.cohort_id is not None:
        statuses = [EnrolmentStatus.ACTIVE] if wave.kind == WaveKind.BASELINE else [EnrolmentStatus.COMPLETED]
        if wave.kind == WaveKind.FINAL and wave.group.get("include_active"):
            statuses.append(EnrolmentStatus.ACTIVE)
        return people.filter(
            programme_enrolments__cohort=wave.cohort, programme_enrolments__status__in=statuses
        ).distinct()
    if wave.kind == WaveKind.AD_HOC:
        if user is None:
            return people.none()
        known = {k: v for k, v in wave.group.items() if k in ParticipantFilter.__dataclass_fields__}
        return filtered_participants(user=user, filters=ParticipantFilter(**known)).filter(
            organisation_id=survey.organisation_id
        )
    if wave.kind == WaveKind.OPEN or not wave.group.get("matches_from"):
        return people.none()
    # friend matches approved in the wave's period (local days, both ends included)
    start, end = matches_group(wave)
    matches = Match.objects.filter(organisation_id=survey.organisation_id)
    if start:
        matches = matches.filter(created_at__gte=_local_morning(start).replace(hour=0))
    if end:
        matches = matches.filter(created_at__lt=_local_morning(end + timedelta(days=1)).replace(hour=0))
    return people.filter(Q(pk__in=matches.values("newcomer_id")) | Q(pk__in=matches.values("established_id")))


def to_invite(wave: Wave, *, user: User | None = None) -> QuerySet[Participant]:
    """Who a send would invite now: the recipients not unsubscribed and not invited yet."""
    return (
        recipients(wave, user=user)
        .filter(unsubscribed_at__isnull=True)
        .exclude(pk__in=Invitation.objects.filter(wave=wave).values("participant_id"))
    )


def has_address(person: Participant) -> bool:
    return bool(person.email) and not person.email_bouncing


@transaction.atomic
def send_wave(*, actor: User, wave: Wave, now: datetime | None = None) -> int:
    """Invite everyone the wave goes to who is not invited yet; returns how many were invited now.

    An open wave is only opened (its public link works from now on)."""
    now = now or timezone.now()
    wave = Wave.objects.select_for_update().select_related("survey__organisation").get(pk=wave.pk)
    survey = wave.survey
    if survey.status != SurveyStatus.OPEN:
        raise WaveError(_("This survey is not open: open the survey first."))
    if wave.status == WaveStatus.CLOSED or wave.closes_at <= now:
        raise WaveError(_("This wave has closed."))
    if wave.opens_at > now + timedelta(minutes=5):
        raise WaveError(
            _("This wave opens on %(day)s: send it then.") % {"day": timezone.localdate(wave.opens_at)}
        )
    people = list(to_invite(wave, user=actor))
    invitations: list[Invitation] = []
    mails: list[Mail] = []
    languages = list(survey.languages)
    title_of = {code: (survey.texts.get(code) or {}).get("title", "") for code in languages}
    for person in people:
        token, digest = new_token()
        language = mail_language(languages, person.preferred_language, list(person.languages or []))
        invitations.append(
            Invitation(wave=wave, participant=person, token_hash=digest, language=language, invited_at=now)
        )
        if has_address(person):
            mails.append(
                Mail(
                    to_email=person.email,
                    template=INVITATION_TEMPLATE,
                    language=language,
                    context={
                        "first_name": person.first_name,
                        "title": title_of.get(language) or survey.name,
                        "organisation": survey.organisation.name,
                        "url": absolute_url(RESPOND_URL, token),
                        "closes_on": timezone.localdate(wave.closes_at).isoformat(),
                    },
                    dedupe_key=invitation_key(wave, person.uid),
                    organisation=survey.organisation,
                    participant=person,
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    queued = queue_mails(mails)
    calls = 0
    if wave.phone_follow_up:
        calls = open_call_tasks(
            wave=wave, people=[p for p in people if not has_address(p)], kind=SURVEY_CALL, today=now
        )
    if wave.status != WaveStatus.OPEN:
        wave.status = WaveStatus.OPEN
        wave.save(update_fields=["status"])
    record(
        actor=actor,
        action=EventType.SURVEY_WAVE_SENT,
        obj=wave,
        organisation=survey.organisation,
        data={"survey": str(survey.uid), "invited": len(invitations), "mailed": queued, "calls": calls},
    )
    return len(invitations)


def open_call_tasks(*, wave: Wave, people: list[Participant], kind: str, today: datetime) -> int:
    """One staff task per person (bulk; a person who had this task about the wave, open or done, gets none
    again). Counted in the caller's wave event rather than one event each."""
    if not people:
        return 0
    subject_type, subject_id = object_ref(wave)
    had = set(
        Task.objects.filter(subject_type=subject_type, subject_id=subject_id, kind=kind).values_list(
            "participant_id", flat=True
        )
    )
    tasks = [
        Task(
            organisation_id=wave.survey.organisation_id,
            subject_type=subject_type,
            subject_id=subject_id,
            participant_id=p.pk,
            kind=kind,
            due_on=timezone.localdate(today) + timedelta(days=2),
            region_id=p.region_id,
        )
        for p in people
        if p.pk not in had
    ]
    Task.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    return len(tasks)


def public_link(wave: Wave) -> str:
    """An open wave's public link ("" when the wave has none or its page is not there yet)."""
    if not wave.public_key:
        return ""
    try:
        return absolute_url(OPEN_URL, wave.public_key)
    except Exception:  # NoReverseMatch while the public page does not exist yet
        return ""
