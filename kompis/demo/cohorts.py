"""The demo's cohort builder: a programme's cohort with its people, enrolments and sessions (each an
unlisted event) with invitations and attendance, as `kompis.demo.programmes` plans them.

People are reused from the demo (never created here), each in at most one cohort, and never enrolled before
they signed up. Rows are written directly with the values the programme services write (invitations are
registrations; attendance rows for those ticked present or absent, none for a no-show); no mails, no audit
events. Registrations and attendance go through `kompis.core.bulk.Inserter` (bulk_create was the slow part).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from kompis.accounts.models import User
from kompis.core.bulk import Inserter
from kompis.events.attendance_models import AttendanceState
from kompis.events.models import Attendance, Event, EventRegistration, RegistrationStatus
from kompis.organisations.models import Organisation
from kompis.participants.models import Participant
from kompis.participants.vocab import ParticipantRole, Status
from kompis.programmes.models import (
    Cohort,
    DropoutReason,
    Enrolment,
    EnrolmentStatus,
    Field,
    Programme,
    Role,
)
from kompis.programmes.session_models import CohortSession, SessionKind

DROPOUT_REASONS: dict[str, int] = {
    DropoutReason.WORK: 5,
    DropoutReason.MOVED: 3,
    DropoutReason.TIME: 3,
    DropoutReason.HEALTH: 2,
    DropoutReason.NOT_SUITABLE: 1,
    DropoutReason.NO_CONTACT: 2,
    DropoutReason.OWN_WISH: 2,
}
FIELDS: dict[str, int] = {
    Field.HEALTH: 5,
    Field.EDUCATION: 4,
    Field.IT: 4,
    Field.ENGINEERING: 3,
    Field.BUSINESS: 3,
    Field.TRADES: 3,
    Field.SERVICE: 3,
    Field.PUBLIC: 2,
    Field.CULTURE: 1,
}
GOALS = (
    "Get my degree recognised and find work in my field.",
    "Understand how to apply for jobs in Sweden.",
    "Practise Swedish at work and build a network.",
    "Jag vill hitta ett jobb inom mitt yrke.",
    "Lära mig mer om arbetsmarknaden och skriva ett bra CV.",
)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Write `rows` (field or column name -> value) of `model` in batched INSERTs."""
    inserter = Inserter(model, {})
    for row in rows:
        inserter.add(row)
    inserter.flush()


@dataclass
class Plan:
    """One cohort: its dates, sessions (kind, day, invites mentors too) and how its mentees end."""

    name: str
    starts: date
    ends: date
    sessions: Sequence[tuple[str, date, bool]]
    completed: int
    dropped: int
    active: int
    mentors: int
    pairs_from: date | None  # None: nobody paired yet
    silent: int = 0  # active pairs that stopped meeting
    place: str = ""  # blank: the sessions are online


@dataclass
class Built:
    """A cohort as built: its mentees' and mentors' enrolments and the day each dropout left."""

    cohort: Cohort
    mentees: list[Enrolment] = field(default_factory=list)
    mentors: list[Enrolment] = field(default_factory=list)
    drop_day: dict[int, date] = field(default_factory=dict)


class CohortBuilder:
    def __init__(self, rng: random.Random, people: list[Participant], *, org: Organisation, today: date):
        self.rng, self.org, self.today = rng, org, today
        self.people = [p for p in people if p.pk and p.friend_matching.status != Status.PENDING]
        self.used: set[int] = set()
        self.counts = {"programmes": 0, "cohorts": 0, "enrolments": 0, "sessions": 0, "attendance": 0}

    def pick(
        self,
        role: str,
        count: int,
        latest: date,
        prefer: tuple[str, ...],
        programme: Programme,
        *,
        local: bool,
    ) -> list[Participant]:
        """`count` people of `role` not used yet who signed up by `latest`: those living in the programme's
        region first if `local`, then those speaking the preferred languages, then those in the
        programme's region or project (whom its coordinator can open)."""

        def key(p: Participant) -> tuple[bool, int, bool, float]:
            rank = next((i for i, code in enumerate(prefer) if code in p.languages), len(prefer))
            inside = (p.region_id is not None and p.region_id == programme.region_id) or (
                p.project_id is not None and p.project_id == programme.project_id
            )
            return local and not inside, rank, not inside, self.rng.random()

        pool = [
            p
            for p in self.people
            if p.friend_matching.role == role and p.pk not in self.used and p.signed_up_at.date() <= latest
        ]
        chosen = sorted(pool, key=key)[:count]
        self.used.update(p.pk for p in chosen)
        return chosen

    def programme(self, **values: Any) -> Programme:
        self.counts["programmes"] += 1
        return Programme.objects.create(organisation=self.org, **values)

    def cohort(
        self,
        programme: Programme,
        plan: Plan,
        *,
        coordinator: User | None,
        prefer: tuple[str, ...],
        local: bool = False,
    ) -> Built:
        """The cohort, its people (from the programme's region first if `local`) and its sessions."""
        rng, today = self.rng, self.today
        built = Built(
            Cohort.objects.create(
                programme=programme, name=plan.name, starts_on=plan.starts, ends_on=plan.ends
            )
        )
        self.counts["cohorts"] += 1
        latest = plan.starts - timedelta(days=5)
        size = plan.completed + plan.dropped + plan.active
        mentees = self.pick(ParticipantRole.NEWCOMER, size, latest, prefer, programme, local=local)
        mentors = self.pick(ParticipantRole.ESTABLISHED, plan.mentors, latest, prefer, programme, local=local)
        outcomes = ["completed"] * plan.completed + ["dropped"] * plan.dropped + ["active"] * plan.active
        rng.shuffle(outcomes)
        closing = plan.sessions[-1][1]
        for person, outcome in zip(mentees, outcomes, strict=False):
            enrolment = self._enrolment(built.cohort, person, Role.MENTEE, plan)
            if outcome == "completed":
                enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, at(closing, 20)
            elif outcome == "dropped":
                last = min(plan.ends - timedelta(days=10), today - timedelta(days=1))
                day = plan.starts + timedelta(days=rng.randint(5, max(5, (last - plan.starts).days)))
                enrolment.status, enrolment.dropped_at = EnrolmentStatus.DROPPED_OUT, at(day, 14)
                enrolment.dropout_reason = weighted(rng, DROPOUT_REASONS)
                built.drop_day[person.pk] = day
            built.mentees.append(enrolment)
        for person in mentors:
            enrolment = self._enrolment(built.cohort, person, Role.MENTOR, plan)
            enrolment.max_mentees = 2 if rng.random() < 0.25 else 1
            if plan.ends < today:
                enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, at(closing, 20)
            built.mentors.append(enrolment)
        Enrolment.objects.bulk_create(built.mentees + built.mentors)
        self.counts["enrolments"] += len(built.mentees) + len(built.mentors)
        self._sessions(built, programme, plan, coordinator)
        return built

    def _enrolment(self, cohort: Cohort, person: Participant, role: str, plan: Plan) -> Enrolment:
        rng = self.rng
        first = max(plan.starts - timedelta(days=35), person.signed_up_at.date() + timedelta(days=1))
        last = max(first, plan.starts - timedelta(days=3))
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        return Enrolment(
            cohort=cohort,
            participant=person,
            role=role,
            field=weighted(rng, FIELDS),
            goals=rng.choice(GOALS) if role == Role.MENTEE and rng.random() < 0.7 else "",
            meeting_mode=person.friend_matching.meeting_mode,
            status=EnrolmentStatus.ACTIVE,
            enrolled_at=at(day, rng.randint(8, 21), rng.randrange(60)),
        )

    def _sessions(self, built: Built, programme: Programme, plan: Plan, coordinator: User | None) -> None:
        """The plan's sessions (unlisted events), everyone invited, attendance at those held before today:
        a completed mentee attended enough to complete, a dropout too few."""
        rng, today = self.rng, self.today
        events, sessions, group = [], [], 0
        rule = programme.min_sessions_attended
        for kind, day, _with_mentors in plan.sessions:
            group += kind == SessionKind.GROUP
            title = f"{programme.name}: {SessionKind(kind).label}" + (
                f" {group}" if kind == SessionKind.GROUP else ""
            )
            starts = at(day, 17, 30)
            event = Event(
                organisation=self.org,
                region=programme.region,
                project=programme.project,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place=plan.place,
                online=not plan.place,
                public=False,
                created_at=at(plan.starts - timedelta(days=14), 10),
                created_by=coordinator,
            )
            events.append(event)
            counts = rule is not None and kind in (SessionKind.GROUP, SessionKind.CLOSING)
            sessions.append(
                CohortSession(cohort=built.cohort, event=event, kind=kind, counts_for_completion=counts)
            )
        Event.objects.bulk_create(events)
        for session in sessions:
            session.event_id = session.event.pk
        CohortSession.objects.bulk_create(sessions)
        self.counts["sessions"] += len(sessions)
        required = rule or 0
        counting = {s.pk for s in sessions if s.counts_for_completion}
        registrations: list[dict[str, Any]] = []
        attendance: list[dict[str, Any]] = []
        marked_by = coordinator.pk if coordinator else None
        for enrolment in built.mentees + built.mentors:
            person = enrolment.participant
            mentee = enrolment.role == Role.MENTEE
            invited = [s for s, spec in zip(sessions, plan.sessions, strict=True) if mentee or spec[2]]
            held = [s for s in invited if s.event.starts_at.date() < today]
            dropped = built.drop_day.get(person.pk)
            if enrolment.status == EnrolmentStatus.COMPLETED and mentee:
                present = {s.pk for s in held if rng.random() < 0.85}
                missing = sorted(counting - present)
                rng.shuffle(missing)
                while len(counting & present) < required and missing:
                    present.add(missing.pop())
            elif dropped is not None:
                present = {s.pk for s in held if s.event.starts_at.date() < dropped and rng.random() < 0.55}
                while required and len(counting & present) >= required:
                    present.discard(max(present))
            else:
                present = {s.pk for s in held if rng.random() < (0.8 if mentee else 0.7)}
            for session in invited:
                event = session.event
                cancelled = dropped is not None and event.starts_at.date() >= dropped
                registrations.append(
                    {
                        "event_id": event.pk,
                        "participant_id": person.pk,
                        "status": RegistrationStatus.CANCELLED
                        if cancelled
                        else RegistrationStatus.REGISTERED,
                        "registered_at": max(event.created_at, enrolment.enrolled_at) + timedelta(minutes=5),
                        "cancelled_at": at(dropped, 14) if cancelled and dropped else None,
                    }
                )
                if event.starts_at.date() >= today or cancelled:
                    continue
                if session.pk in present:
                    state = AttendanceState.PRESENT
                elif rng.random() < 0.3:
                    state = AttendanceState.ABSENT  # they called to say they could not come
                else:
                    continue  # a no-show: registered, no row
                attendance.append(
                    {
                        "event_id": event.pk,
                        "participant_id": person.pk,
                        "state": state,
                        "marked_at": event.starts_at + timedelta(minutes=rng.randint(5, 40)),
                        "marked_by_id": marked_by,
                    }
                )
        insert_rows(EventRegistration, registrations)
        insert_rows(Attendance, attendance)
        self.counts["attendance"] += len(attendance)
