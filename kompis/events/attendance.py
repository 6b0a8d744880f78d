"""Attendance at an event: the register's reads and its one state change (issue #13).

A tick on the register (a phone's tick-list, or the plain form without JavaScript) is
`mark_attendance`: an upsert on the (event, person) row, so the same tick sent twice never doubles
attendance. A tick carries an idempotency key: the same key again is a no-op (nothing written, nothing
logged). Only a person registered for the event can be marked; anyone else is refused, nothing written.
No-shows are counted, not stored: after the event, a registered person not marked present.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.events.attendance_models import Attendance, AttendanceState
from kompis.events.models import Event, EventRegistration, RegistrationStatus
from kompis.participants.models import Participant

#: an idempotency key is at most this long (the page makes UUIDs)
MAX_KEY_LENGTH = 64
#: the register opens this long before the event starts (staff tick people in as they arrive)
EARLY_MARKING = timedelta(hours=2)


class AttendanceRefused(ValueError):
    """The tick cannot be applied; `code` says why ("not_registered", "bad_state", "not_started")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Marked:
    attendance: Attendance
    changed: bool  # False: the same tick again (its key seen, or the state already so)


def registered_people(event: Event) -> list[EventRegistration]:
    """The register's rows: the people registered for the event, by name."""
    return list(
        event.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("participant")
        .order_by("participant__first_name", "participant__last_name", "id")
    )


def attendance_of(event: Event) -> dict[int, Attendance]:
    """{participant id: attendance row} for the event."""
    # no ordering: the model's (by event, then person) would join the events and all participants
    return {a.participant_id: a for a in Attendance.objects.filter(event=event).order_by()}


@dataclass(frozen=True)
class Summary:
    registered: int
    present: int
    no_shows: int  # 0 until the event has ended


def summary(event: Event) -> Summary:
    registered = {r.participant_id for r in registered_people(event)}
    present = set(
        Attendance.objects.filter(event=event, state=AttendanceState.PRESENT)
        .order_by()
        .values_list("participant_id", flat=True)
    )
    ended = event.ends_at < timezone.now()
    return Summary(
        registered=len(registered),
        present=len(present),
        no_shows=len(registered - present) if ended else 0,
    )


def no_shows(event: Event) -> list[Participant]:
    """After the event: the registered people not marked present (before it ends: nobody)."""
    if event.ends_at >= timezone.now():
        return []
    present = set(
        Attendance.objects.filter(event=event, state=AttendanceState.PRESENT)
        .order_by()
        .values_list("participant_id", flat=True)
    )
    return [r.participant for r in registered_people(event) if r.participant_id not in present]


def _registered_participant(event: Event, participant_uid: str) -> Participant:
    try:
        registration = EventRegistration.objects.select_related("participant").get(
            event=event, participant__uid=participant_uid, status=RegistrationStatus.REGISTERED
        )
    except (EventRegistration.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed uid too
        raise AttendanceRefused("not_registered") from exc
    return registration.participant


@transaction.atomic
def mark_attendance(*, actor: User, event: Event, participant_uid: str, state: str, key: str = "") -> Marked:
    """Mark one registered person present or absent (an upsert). The same `key` as the last tick applied,
    or the state it already has: nothing written, nothing logged. Refused (nothing written) for a person
    not registered for the event, an unknown state, or an event that has not started yet."""
    if state not in (AttendanceState.PRESENT, AttendanceState.ABSENT, AttendanceState.NO_SHOW):
        raise AttendanceRefused("bad_state")
    participant = _registered_participant(event, participant_uid)
    if event.starts_at > timezone.now() + EARLY_MARKING:
        raise AttendanceRefused("not_started")
    key = key[:MAX_KEY_LENGTH]
    row = Attendance.objects.select_for_update().filter(event=event, participant=participant).first()
    if row is None:
        try:
            with transaction.atomic():  # two first ticks at once: the second one updates
                row = Attendance.objects.create(
                    event=event, participant=participant, state=state, marked_by=actor, last_key=key
                )
        except IntegrityError:
            row = Attendance.objects.select_for_update().get(event=event, participant=participant)
        else:
            _log(actor, event, participant, state)
            return Marked(row, changed=True)
    if (key and row.last_key == key) or row.state == state:
        return Marked(row, changed=False)
    row.state, row.marked_at, row.marked_by, row.last_key = state, timezone.now(), actor, key
    row.save(update_fields=["state", "marked_at", "marked_by", "last_key"])
    _log(actor, event, participant, state)
    return Marked(row, changed=True)


def _log(actor: User, event: Event, participant: Participant, state: str) -> None:
    record(
        actor=actor,
        action=EventType.EVENT_ATTENDANCE_MARKED,
        obj=event,
        data={"participant": str(participant.uid), "state": state},
    )
