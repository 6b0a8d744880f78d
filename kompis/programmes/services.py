"""Every change to programmes, cohorts and enrolments: typed, in one transaction, audited.

Enrolling a mentee in a full cohort puts them on the waiting list; when a mentee's place frees up (completed
or dropped out) the first on the waiting list moves up. Audit data holds ids and codes only: never the
goals, the free-text field of work or a dropout note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Participant
from kompis.participants.vocab import MeetingMode
from kompis.programmes.models import (
    Cohort,
    DropoutReason,
    Enrolment,
    EnrolmentStatus,
    Field,
    Programme,
    Role,
)
from kompis.programmes.pairs import end_pairs_of


class EnrolmentRefused(ValueError):
    """The enrolment cannot be made or changed; `code` says why ("duplicate", "open_elsewhere",
    "other_organisation", "not_open", "closed")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _uid(obj: Region | Project | None) -> str | None:
    return str(obj.uid) if obj is not None else None


@dataclass(frozen=True)
class ProgrammeData:
    name: str
    description: str = ""
    region: Region | None = None
    project: Project | None = None
    pair_duration_months: int = 6
    min_meetings_per_month: int = 1
    silent_pair_days: int = 45
    min_sessions_attended: int | None = None
    public_enrolment: bool = False


@transaction.atomic
def create_programme(*, actor: User, organisation: Organisation, data: ProgrammeData) -> Programme:
    programme = Programme(
        organisation=organisation,
        name=data.name,
        description=data.description,
        region=data.region,
        project=data.project,
        pair_duration_months=data.pair_duration_months,
        min_meetings_per_month=data.min_meetings_per_month,
        silent_pair_days=data.silent_pair_days,
        min_sessions_attended=data.min_sessions_attended,
        public_enrolment=data.public_enrolment,
        created_by=actor,
    )
    programme.full_clean(exclude=["uid"])
    programme.save()
    record(
        actor=actor,
        action=EventType.PROGRAMME_CREATED,
        obj=programme,
        data={
            "region": _uid(data.region),
            "project": _uid(data.project),
            "public": data.public_enrolment,
        },
    )
    return programme


@dataclass(frozen=True)
class CohortData:
    name: str
    starts_on: date
    ends_on: date
    region: Region | None = None
    project: Project | None = None
    mentee_capacity: int | None = None


@transaction.atomic
def create_cohort(*, actor: User, programme: Programme, data: CohortData) -> Cohort:
    cohort = Cohort(
        programme=programme,
        name=data.name,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        region=data.region,
        project=data.project,
        mentee_capacity=data.mentee_capacity,
    )
    cohort.full_clean(exclude=["uid"])
    cohort.save()
    record(
        actor=actor,
        action=EventType.PROGRAMME_COHORT_CREATED,
        obj=programme,
        data={
            "cohort": str(cohort.uid),
            "region": _uid(data.region),
            "project": _uid(data.project),
            "capacity": data.mentee_capacity,
        },
    )
    return cohort


def mentee_places_taken(cohort: Cohort) -> int:
    return cohort.enrolments.filter(role=Role.MENTEE, status=EnrolmentStatus.ACTIVE).count()


@dataclass(frozen=True)
class EnrolmentData:
    role: str  # a Role
    field: str = ""  # a Field code, or ""
    field_other: str = ""
    goals: str = ""
    meeting_mode: str = ""  # a MeetingMode, or "" (not asked)
    max_mentees: int = 1  # a mentor's places (mentees at the same time)


@transaction.atomic
def enrol(*, actor: Actor, cohort: Cohort, participant: Participant, data: EnrolmentData) -> Enrolment:
    """Enrol the person in the cohort: active, or on the waiting list when a mentee finds the cohort full.
    Refused (nothing written) when the person is already enrolled in the cohort, is waiting or active in
    another cohort of the same programme ("open_elsewhere"), belongs to another organisation or the cohort has
    ended. The cohort's row is locked, so two enrolments cannot both take the last place."""
    locked = Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)
    if participant.organisation_id != locked.programme.organisation_id:
        raise EnrolmentRefused("other_organisation")
    if Enrolment.objects.filter(cohort=locked, participant=participant).exists():
        raise EnrolmentRefused("duplicate")
    open_elsewhere = Enrolment.objects.filter(
        cohort__programme_id=locked.programme_id,
        participant=participant,
        status__in=(EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE),
    )
    if open_elsewhere.exists():
        raise EnrolmentRefused("open_elsewhere")
    if locked.ends_on < timezone.localdate():
        raise EnrolmentRefused("closed")
    role = Role(data.role)
    field = Field(data.field) if data.field else ""
    full = (
        role == Role.MENTEE
        and locked.mentee_capacity is not None
        and mentee_places_taken(locked) >= locked.mentee_capacity
    )
    enrolment = Enrolment(
        cohort=locked,
        participant=participant,
        role=role,
        field=field,
        field_other=data.field_other if field == Field.OTHER else "",
        goals=data.goals,
        meeting_mode=MeetingMode(data.meeting_mode) if data.meeting_mode else "",
        max_mentees=data.max_mentees if role == Role.MENTOR else 1,
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ACTIVE,
    )
    enrolment.full_clean(exclude=["uid", "cohort", "participant"])
    enrolment.save()
    record(
        actor=actor,
        action=EventType.PROGRAMME_ENROLLED,
        obj=locked.programme,
        data={
            "cohort": str(locked.uid),
            "enrolment": str(enrolment.uid),
            "participant": str(participant.uid),
            "role": role.value,
            "field": field or None,
            "status": enrolment.status,
        },
    )
    return enrolment


def _lock(enrolment: Enrolment) -> Enrolment:
    row = (
        Enrolment.objects.select_for_update()
        .select_related("cohort__programme", "participant")
        .get(pk=enrolment.pk)
    )
    # the cohort too, so that moving up cannot race a new enrolment
    Cohort.objects.select_for_update().filter(pk=row.cohort_id).first()
    return row


def _move_up(*, actor: Actor, cohort: Cohort) -> Enrolment | None:
    """The first mentee on the waiting list takes a free place (inside the caller's transaction)."""
    if cohort.mentee_capacity is not None and mentee_places_taken(cohort) >= cohort.mentee_capacity:
        return None
    first = (
        cohort.enrolments.filter(role=Role.MENTEE, status=EnrolmentStatus.WAITING)
        .select_related("participant")
        .order_by("enrolled_at", "id")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ACTIVE
    first.save(update_fields=["status"])
    record(
        actor=actor,
        action=EventType.PROGRAMME_MOVED_UP,
        obj=cohort.programme,
        data={
            "cohort": str(cohort.uid),
            "enrolment": str(first.uid),
            "participant": str(first.participant.uid),
        },
    )
    return first


@transaction.atomic
def complete(*, actor: Actor, enrolment: Enrolment) -> Enrolment:
    """Mark an active enrolment completed; a freed mentee place goes to the first on the waiting list."""
    row = _lock(enrolment)
    if row.status != EnrolmentStatus.ACTIVE:
        raise EnrolmentRefused("not_open")
    row.status, row.completed_at = EnrolmentStatus.COMPLETED, timezone.now()
    row.save(update_fields=["status", "completed_at"])
    record(
        actor=actor,
        action=EventType.PROGRAMME_COMPLETED,
        obj=row.cohort.programme,
        data={
            "cohort": str(row.cohort.uid),
            "enrolment": str(row.uid),
            "participant": str(row.participant.uid),
        },
    )
    if row.role == Role.MENTEE:
        _move_up(actor=actor, cohort=row.cohort)
    return row


@transaction.atomic
def drop_out(*, actor: Actor, enrolment: Enrolment, reason: str, note: str = "") -> Enrolment:
    """An active or waiting enrolment ends with a coded reason (and an optional note, kept on the enrolment,
    never in the log); a freed mentee place goes to the first on the waiting list."""
    code = DropoutReason(reason)
    row = _lock(enrolment)
    if not row.is_open:
        raise EnrolmentRefused("not_open")
    was_active = row.status == EnrolmentStatus.ACTIVE
    row.status, row.dropped_at = EnrolmentStatus.DROPPED_OUT, timezone.now()
    row.dropout_reason, row.dropout_note = code, note.strip()
    row.save(update_fields=["status", "dropped_at", "dropout_reason", "dropout_note"])
    record(
        actor=actor,
        action=EventType.PROGRAMME_DROPPED_OUT,
        obj=row.cohort.programme,
        data={
            "cohort": str(row.cohort.uid),
            "enrolment": str(row.uid),
            "participant": str(row.participant.uid),
            "reason": code.value,
        },
    )
    end_pairs_of(actor=actor, enrolment=row)  # a pair with someone who left ends too
    if was_active and row.role == Role.MENTEE:
        _move_up(actor=actor, cohort=row.cohort)
    return row
