"""A mentor pair's meeting log: one of the two logs a meeting from their own page (or staff log it for them).

`log_meeting` is the one way a meeting is written. One row per pair and date: logging the same date again
updates that row (a double-submitted form never counts twice), keeping what was written where the later log
leaves a field empty (both partners may log the same meeting; the second must not wipe the first's note). The pair's `last_met_on` follows the latest
date logged. A meeting that brings the pair back within the programme's `silent_pair_days` closes the open
silent-pair task (it is moot: they meet again). The words the pair write are theirs: never in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import Actor, ParticipantActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.participants.models import Participant
from kompis.programmes.models import MeetingHow, MentorPair, PairMeeting, PairStatus
from kompis.programmes.worklist_kinds import MET_AGAIN, SILENT_PAIR
from kompis.worklist.models import Task
from kompis.worklist.services import close_moot_tasks

#: a pair logs meetings while active, and afterwards for the time they were a pair
LOGGABLE = (PairStatus.ACTIVE, PairStatus.ENDED)


class MeetingRefused(ValueError):
    """The meeting cannot be logged; `code` says why and `field` which field it is about:
    "not_in_pair" (the actor is neither of the two nor staff of the organisation), "not_open" (the pair is
    proposed or rejected), "future" (met_on is after today), "before_start" (before the pair started),
    "after_end" (after the pair ended), "how" (an unknown way of meeting)."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class LoggedMeeting:
    meeting: PairMeeting
    created: bool


def participant_of(actor: Actor, pair: MentorPair) -> Participant | None:
    """The one of the two the actor is (None for staff); MeetingRefused for anyone else."""
    if isinstance(actor, ParticipantActor):
        if actor.participant_id is not None and actor.participant_id in (
            pair.mentee.participant_id,
            pair.mentor.participant_id,
        ):
            return Participant.objects.get(pk=actor.participant_id)
        raise MeetingRefused("not_in_pair")
    if (
        isinstance(actor, AbstractBaseUser)
        and getattr(actor, "organisation_id", None) == pair.cohort.programme.organisation_id
    ):
        return None
    raise MeetingRefused("not_in_pair")


def loggable_dates(pair: MentorPair, *, today: date | None = None) -> tuple[date | None, date]:
    """The first and last date a meeting of this pair may be logged for (local dates)."""
    last = today or timezone.localdate()
    if pair.status == PairStatus.ENDED and pair.ended_at is not None:
        last = min(last, timezone.localdate(pair.ended_at))
    return pair.started_on, last


def check_date(pair: MentorPair, met_on: date, *, today: date | None = None) -> None:
    first, last = loggable_dates(pair, today=today)
    if met_on > (today or timezone.localdate()):
        raise MeetingRefused("future", "met_on")
    if first is not None and met_on < first:
        raise MeetingRefused("before_start", "met_on")
    if met_on > last:
        raise MeetingRefused("after_end", "met_on")


def _write(
    pair: MentorPair, met_on: date, *, how: str, note: str, person: Participant | None, staff: User | None
) -> tuple[PairMeeting, bool]:
    """Create the pair's row for the date, or fill it in: a non-empty value replaces, an empty one keeps the
    earlier value. "Logged by" follows the log that last changed something (the pair's row is locked)."""
    meeting = PairMeeting.objects.filter(pair=pair, met_on=met_on).first()
    if meeting is None:
        meeting = PairMeeting.objects.create(
            pair=pair,
            met_on=met_on,
            how=how,
            note=note,
            logged_by_participant=person,
            logged_by_staff=staff,
            logged_at=timezone.now(),
        )
        return meeting, True
    merged = (how or meeting.how, note or meeting.note)
    if merged != (meeting.how, meeting.note):
        meeting.how, meeting.note = merged
        meeting.logged_by_participant, meeting.logged_by_staff = person, staff
        meeting.logged_at = timezone.now()
        meeting.save(update_fields=["how", "note", "logged_by_participant", "logged_by_staff", "logged_at"])
    return meeting, False


@transaction.atomic
def log_meeting(
    *, actor: Actor, pair: MentorPair, met_on: date, how: str = "", note: str = ""
) -> LoggedMeeting:
    """Log (or, for a date already logged, update) a meeting of the pair; audited with ids and codes only."""
    locked = (
        MentorPair.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "mentee", "mentor")
        .get(pk=pair.pk)
    )
    person = participant_of(actor, locked)
    if locked.status not in LOGGABLE:
        raise MeetingRefused("not_open")
    if how and how not in MeetingHow.values:
        raise MeetingRefused("how", "how")
    check_date(locked, met_on)
    staff = actor if isinstance(actor, User) else None
    meeting, created = _write(locked, met_on, how=how, note=note.strip()[:2000], person=person, staff=staff)
    if locked.last_met_on is None or met_on > locked.last_met_on:
        locked.last_met_on = met_on
        locked.save(update_fields=["last_met_on"])
    pair.last_met_on = locked.last_met_on
    data: dict[str, str | bool | None] = {
        "cohort": str(locked.cohort.uid),
        "pair": str(locked.uid),
        "met_on": met_on.isoformat(),
        "how": meeting.how,
        "created": created,
    }
    if person is not None:
        data["participant"] = str(person.uid)
    record(
        actor=actor,
        action=EventType.PROGRAMME_MEETING_LOGGED,
        obj=locked.cohort.programme,  # as every programme event: the pair is named in the data
        data=data,
    )
    silent_since = timezone.localdate() - timedelta(days=locked.cohort.programme.silent_pair_days)
    if locked.last_met_on >= silent_since:
        close_moot_tasks(
            Task.objects.about(locked).filter(kind=SILENT_PAIR),
            actor=actor,
            outcome=MET_AGAIN,
            because="meeting_logged",
        )
    return LoggedMeeting(meeting=meeting, created=created)
