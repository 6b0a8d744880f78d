"""Demo mentor programmes: cohorts, enrolments, sessions with attendance, mentor pairs and their meetings.

Two programmes, drawn from the programmes' own random stream (`kompis.demo.streams`), reusing the demo's
people (no new persons, so the friend-matching figures stay as they were):

* "Ukraine programme" (region Luleå, project Digital språkvän; open for public enrolment): a skills course
  of five group sessions, four-month mentor pairs meeting at least monthly and a closing session; attending
  4 of the 6 sessions completes. Three finished cohorts, one running (two of its pairs silent for longer
  than the programme allows, so the silent-pair sweep makes tasks) and one just started whose people are
  not paired yet. Mentees: 150 started, 118 completed (the rest dropped out or are still active).
* "Professional mentorship Uppsala" (region Uppsala): one running cohort with six-month pairs, nine
  expert-group meetings, seven network meetings and six participant-group sessions (the "six rounds").

Rows are written directly (no mails, no audit events, as for the demo's matches), with the values the
programme services write: invitations are registrations, attendance rows, `last_met_on` the latest meeting.
Everything depends on the seed and today's date only.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kompis.accounts.models import User
from kompis.events.attendance_models import AttendanceState
from kompis.events.models import Attendance, Event, EventRegistration, RegistrationStatus
from kompis.organisations.models import Organisation, Project, Region
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
from kompis.programmes.pair_models import (
    MeetingHow,
    MentorPair,
    PairEndReason,
    PairMeeting,
    PairStatus,
)
from kompis.programmes.session_models import CohortSession, SessionKind

UKRAINE = "Ukraine programme"
UPPSALA = "Professional mentorship Uppsala"
UKRAINE_PLACE = "Kulturens hus, Luleå"
UPPSALA_PLACE = "Stadsbiblioteket, Uppsala"

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
HOW: dict[str, int] = {
    MeetingHow.IN_PERSON: 50,
    MeetingHow.VIDEO: 30,
    MeetingHow.PHONE: 15,
    MeetingHow.OTHER: 5,
}
GOALS = (
    "Get my degree recognised and find work in my field.",
    "Understand how to apply for jobs in Sweden.",
    "Practise Swedish at work and build a network.",
    "Jag vill hitta ett jobb inom mitt yrke.",
    "Lära mig mer om arbetsmarknaden och skriva ett bra CV.",
)
NOTES = (
    "Fika och genomgång av CV:t.",
    "We talked about job interviews.",
    "Visited a workplace together.",
    "Pratade om nästa steg och satte ett mål.",
    "Short call, we will meet next week.",
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


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


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


@dataclass
class Rows:
    enrolments: list[Enrolment] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sessions: list[CohortSession] = field(default_factory=list)
    registrations: list[EventRegistration] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)


class _Builder:
    def __init__(self, rng: random.Random, people: list[Participant], *, org: Organisation, today: date):
        self.rng, self.org, self.today = rng, org, today
        self.people = [p for p in people if p.pk and p.friend_matching.status != Status.PENDING]
        self.used: set[int] = set()
        self.counts = {"programmes": 0, "cohorts": 0, "enrolments": 0, "pairs": 0, "meetings": 0}

    def pick(
        self, role: str, count: int, latest: date, prefer: tuple[str, ...], region: Region | None
    ) -> list[Participant]:
        """`count` people of `role` not used yet who signed up by `latest`: those living in `region` (if
        given) first, then those speaking the preferred languages."""

        def key(p: Participant) -> tuple[bool, int, float]:
            rank = next((i for i, code in enumerate(prefer) if code in p.languages), len(prefer))
            return region is not None and p.region_id != region.pk, rank, self.rng.random()

        pool = [
            p
            for p in self.people
            if p.friend_matching.role == role and p.pk not in self.used and p.signed_up_at.date() <= latest
        ]
        chosen = sorted(pool, key=key)[:count]
        self.used.update(p.pk for p in chosen)
        return chosen

    def programme(self, **values: object) -> Programme:
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
    ) -> Cohort:
        """The cohort, its people (from the programme's region first if `local`), sessions and pairs."""
        rng, today = self.rng, self.today
        cohort = Cohort.objects.create(
            programme=programme, name=plan.name, starts_on=plan.starts, ends_on=plan.ends
        )
        self.counts["cohorts"] += 1
        latest = plan.starts - timedelta(days=5)
        region = programme.region if local else None
        mentees = self.pick(
            ParticipantRole.NEWCOMER, plan.completed + plan.dropped + plan.active, latest, prefer, region
        )
        mentors = self.pick(ParticipantRole.ESTABLISHED, plan.mentors, latest, prefer, region)
        outcomes = ["completed"] * plan.completed + ["dropped"] * plan.dropped + ["active"] * plan.active
        rng.shuffle(outcomes)
        finished = plan.ends < today
        closing = plan.sessions[-1][1]
        rows = Rows()
        drop_day: dict[int, date] = {}
        mentee_rows: list[Enrolment] = []
        for person, outcome in zip(mentees, outcomes, strict=False):
            enrolment = self._enrolment(cohort, person, Role.MENTEE, plan)
            if outcome == "completed":
                enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, at(closing, 20)
            elif outcome == "dropped":
                last = min(plan.ends - timedelta(days=10), today - timedelta(days=1))
                day = plan.starts + timedelta(days=rng.randint(5, max(5, (last - plan.starts).days)))
                enrolment.status, enrolment.dropped_at = EnrolmentStatus.DROPPED_OUT, at(day, 14)
                enrolment.dropout_reason = _weighted(rng, DROPOUT_REASONS)
                drop_day[person.pk] = day
            rows.enrolments.append(enrolment)
            mentee_rows.append(enrolment)
        mentor_rows = []
        for person in mentors:
            enrolment = self._enrolment(cohort, person, Role.MENTOR, plan)
            enrolment.max_mentees = 2 if rng.random() < 0.25 else 1
            if finished:
                enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, at(closing, 20)
            rows.enrolments.append(enrolment)
            mentor_rows.append(enrolment)
        Enrolment.objects.bulk_create(rows.enrolments)
        self.counts["enrolments"] += len(rows.enrolments)
        self._sessions(cohort, programme, plan, rows, mentee_rows, mentor_rows, drop_day, coordinator)
        if plan.pairs_from is not None:
            self._pairs(cohort, programme, plan, mentee_rows, mentor_rows, drop_day, coordinator)
        return cohort

    def _enrolment(self, cohort: Cohort, person: Participant, role: str, plan: Plan) -> Enrolment:
        rng = self.rng
        first = max(plan.starts - timedelta(days=35), person.signed_up_at.date() + timedelta(days=1))
        last = max(first, plan.starts - timedelta(days=3))
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        mode = person.friend_matching.meeting_mode
        return Enrolment(
            cohort=cohort,
            participant=person,
            role=role,
            field=_weighted(rng, FIELDS),
            goals=rng.choice(GOALS) if role == Role.MENTEE and rng.random() < 0.7 else "",
            meeting_mode=mode,
            status=EnrolmentStatus.ACTIVE,
            enrolled_at=at(day, rng.randint(8, 21), rng.randrange(60)),
        )

    def _sessions(
        self,
        cohort: Cohort,
        programme: Programme,
        plan: Plan,
        rows: Rows,
        mentees: list[Enrolment],
        mentors: list[Enrolment],
        drop_day: dict[int, date],
        coordinator: User | None,
    ) -> None:
        rng, today = self.rng, self.today
        place = UKRAINE_PLACE if programme.name == UKRAINE else UPPSALA_PLACE
        group = 0
        for kind, day, _with_mentors in plan.sessions:
            group += kind == SessionKind.GROUP
            label = str(SessionKind(kind).label)
            title = f"{programme.name}: {label}" + (f" {group}" if kind == SessionKind.GROUP else "")
            starts = at(day, 17, 30)
            event = Event(
                organisation=self.org,
                region=programme.region,
                project=programme.project,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place=place,
                public=False,
                created_at=at(plan.starts - timedelta(days=14), 10),
                created_by=coordinator,
            )
            rows.events.append(event)
            counts = (
                kind in (SessionKind.GROUP, SessionKind.CLOSING)
                and programme.min_sessions_attended is not None
            )
            rows.sessions.append(
                CohortSession(cohort=cohort, event=event, kind=kind, counts_for_completion=counts)
            )
        Event.objects.bulk_create(rows.events)
        for session in rows.sessions:
            session.event_id = session.event.pk
        CohortSession.objects.bulk_create(rows.sessions)
        required = programme.min_sessions_attended or 0
        counting = [s for s in rows.sessions if s.counts_for_completion]
        for enrolment in mentees + mentors:
            person = enrolment.participant
            invited = [
                s
                for s, (_kind, _day, m) in zip(rows.sessions, plan.sessions, strict=True)
                if m or enrolment.role == Role.MENTEE
            ]
            present: set[int] = set()
            held = [s for s in invited if s.event.starts_at.date() < today]
            dropped = drop_day.get(person.pk)
            if enrolment.status == EnrolmentStatus.COMPLETED and enrolment.role == Role.MENTEE:
                present = {s.pk for s in held if rng.random() < 0.85}
                missing = [s for s in counting if s.pk not in present]
                rng.shuffle(missing)
                while len([s for s in counting if s.pk in present]) < required and missing:
                    present.add(missing.pop().pk)
            elif dropped is not None:
                before = [s for s in held if s.event.starts_at.date() < dropped]
                present = {s.pk for s in before if rng.random() < 0.55}
                while required and len([s for s in counting if s.pk in present]) >= required:
                    present.discard(max(present))
            else:
                present = {
                    s.pk for s in held if rng.random() < (0.8 if enrolment.role == Role.MENTEE else 0.7)
                }
            for session in invited:
                event = session.event
                cancelled = dropped is not None and event.starts_at.date() >= dropped
                rows.registrations.append(
                    EventRegistration(
                        event=event,
                        participant=person,
                        status=RegistrationStatus.CANCELLED if cancelled else RegistrationStatus.REGISTERED,
                        registered_at=max(event.created_at, enrolment.enrolled_at) + timedelta(minutes=5),
                        cancelled_at=at(dropped, 14) if cancelled and dropped else None,
                    )
                )
                if session.event.starts_at.date() >= today or cancelled:
                    continue
                if session.pk in present:
                    state = AttendanceState.PRESENT
                elif rng.random() < 0.3:
                    state = AttendanceState.ABSENT  # called in to say they could not come
                else:
                    continue  # a no-show: registered, no row
                rows.attendance.append(
                    Attendance(
                        event=event,
                        participant=person,
                        state=state,
                        marked_at=event.starts_at + timedelta(minutes=rng.randint(5, 40)),
                        marked_by=coordinator,
                    )
                )
        EventRegistration.objects.bulk_create(rows.registrations, batch_size=1000)
        Attendance.objects.bulk_create(rows.attendance, batch_size=1000)

    def _pairs(
        self,
        cohort: Cohort,
        programme: Programme,
        plan: Plan,
        mentees: list[Enrolment],
        mentors: list[Enrolment],
        drop_day: dict[int, date],
        coordinator: User | None,
    ) -> None:
        rng, today = self.rng, self.today
        assert plan.pairs_from is not None
        places = [m for m in mentors for _ in range(m.max_mentees)]
        pairs: list[MentorPair] = []
        rejected: list[MentorPair] = []
        meeting_days: list[list[date]] = []
        silent_left = plan.silent
        for mentee in mentees:
            dropped = drop_day.get(mentee.participant_id)
            if (dropped is not None and dropped <= plan.pairs_from) or not places:
                continue
            mentor = places.pop(0)
            started = plan.pairs_from + timedelta(days=rng.randint(0, 4))
            ends = add_months(started, programme.pair_duration_months)
            proposed = at(started - timedelta(days=rng.randint(2, 6)), 9)
            pair = MentorPair(
                cohort=cohort,
                mentee=mentee,
                mentor=mentor,
                status=PairStatus.ACTIVE,
                score=round(rng.uniform(45, 92), 1),
                reasons=[
                    {"code": "shared_availability", "params": {}, "points": round(rng.uniform(5, 20), 1)}
                ],
                chosen_by_staff=rng.random() < 0.1,
                proposed_at=proposed,
                decided_at=proposed + timedelta(hours=rng.randint(2, 48)),
                decided_by=coordinator,
                started_on=started,
                ends_on=ends,
            )
            if rng.random() < 0.08 and len(places) > 0:
                other = places[-1]
                rejected.append(
                    MentorPair(
                        cohort=cohort,
                        mentee=mentee,
                        mentor=other,
                        status=PairStatus.REJECTED,
                        score=round(rng.uniform(30, 60), 1),
                        proposed_at=proposed - timedelta(days=2),
                        decided_at=proposed - timedelta(days=1),
                        decided_by=coordinator,
                    )
                )
            stop = min(ends, today - timedelta(days=1))
            if dropped is not None:
                pair.status, pair.ended_at = PairStatus.ENDED, at(dropped, 14)
                no_contact = mentee.dropout_reason == DropoutReason.NO_CONTACT
                pair.end_reason = PairEndReason.NO_CONTACT if no_contact else PairEndReason.DROPPED_OUT
                stop = min(stop, dropped)
            elif ends < today:
                pair.status, pair.ended_at, pair.end_reason = (
                    PairStatus.ENDED,
                    at(ends, 12),
                    PairEndReason.COMPLETED,
                )
            silent = pair.status == PairStatus.ACTIVE and silent_left > 0
            if silent:  # stopped meeting some weeks ago: the sweep makes a task
                silent_left -= 1
                stop = today - timedelta(days=rng.randint(50, 70))
            days = self._meeting_days(started, stop, recent=pair.status == PairStatus.ACTIVE and not silent)
            pair.last_met_on = max(days, default=None)
            pairs.append(pair)
            meeting_days.append(days)
        MentorPair.objects.bulk_create(pairs + rejected)
        meetings = []
        for pair, days in zip(pairs, meeting_days, strict=True):
            for day in days:
                by_mentee = rng.random() < 0.6
                meetings.append(
                    PairMeeting(
                        pair=pair,
                        met_on=day,
                        how=_weighted(rng, HOW),
                        note=rng.choice(NOTES) if rng.random() < 0.5 else "",
                        logged_by_participant_id=(pair.mentee if by_mentee else pair.mentor).participant_id,
                        logged_at=at(min(day + timedelta(days=rng.randint(0, 3)), today), 20),
                    )
                )
        PairMeeting.objects.bulk_create(meetings, batch_size=1000)
        self.counts["pairs"] += len(pairs) + len(rejected)
        self.counts["meetings"] += len(meetings)

    def _meeting_days(self, started: date, stop: date, *, recent: bool) -> list[date]:
        """Roughly monthly from the start until `stop`; some pairs skip a month. An active pair that keeps
        meeting has met within the last few weeks."""
        rng = self.rng
        days, day = [], started + timedelta(days=rng.randint(3, 12))
        sparse = rng.random() < 0.15
        while day <= stop:
            if not (sparse and rng.random() < 0.4):
                days.append(day)
            day += timedelta(days=rng.randint(20, 38))
        if recent and (not days or days[-1] < self.today - timedelta(days=30)):
            last = self.today - timedelta(days=rng.randint(2, 20))
            if not days or last > days[-1]:
                days.append(last)
        return days


def _ukraine_plan(
    name: str, starts: date, *, months: int, outcomes: tuple[int, int, int], paired: bool, silent: int = 0
) -> Plan:
    """Five weekly group sessions from the start, pairs from the second week, the closing session when the
    pairs' months are over."""
    course = [(SessionKind.GROUP, starts + timedelta(days=7 * week), False) for week in range(5)]
    pairs_from = starts + timedelta(days=10)
    closing = add_months(pairs_from, months) + timedelta(days=8)
    completed, dropped, active = outcomes
    return Plan(
        name=name,
        starts=starts,
        ends=closing + timedelta(days=1),
        sessions=[*course, (SessionKind.CLOSING, closing, True)],
        completed=completed,
        dropped=dropped,
        active=active,
        mentors=max(1, round((completed + dropped + active) * 0.85)),
        pairs_from=pairs_from if paired else None,
        silent=silent,
    )


def _uppsala_plan(starts: date, months: int) -> Plan:
    """Six-month pairs; nine expert-group meetings, seven network meetings (mentors too) and six sessions
    of the participant groups (one a month)."""
    sessions = (
        [(SessionKind.EXPERT_GROUP, starts + timedelta(days=7 + 19 * i), False) for i in range(9)]
        + [(SessionKind.NETWORK, starts + timedelta(days=12 + 24 * i), True) for i in range(7)]
        + [(SessionKind.GROUP, starts + timedelta(days=3 + 30 * i), False) for i in range(6)]
    )
    sessions.sort(key=lambda s: s[1])
    pairs_from = starts + timedelta(days=14)
    return Plan(
        name=f"Uppsala {starts.year} {'spring' if starts.month < 7 else 'autumn'}",
        starts=starts,
        ends=add_months(pairs_from, months) + timedelta(days=7),
        sessions=sessions,
        completed=0,
        dropped=1,
        active=13,
        mentors=12,
        pairs_from=pairs_from,
    )


def create_programmes(
    rng: random.Random,
    people: list[Participant],
    *,
    org: Organisation,
    regions: dict[str, Region],
    projects: dict[str, Project],
    today: date,
) -> dict[str, int]:
    """Both demo programmes with their cohorts, people, sessions, pairs and meetings; returns counts."""
    builder = _Builder(rng, people, org=org, today=today)
    users = {
        u.username: u for u in User.objects.filter(username__in=["lulea@demo.kompis", "uppsala@demo.kompis"])
    }
    lulea, uppsala = users.get("lulea@demo.kompis"), users.get("uppsala@demo.kompis")
    ukraine = builder.programme(
        name=UKRAINE,
        description=(
            "For people from Ukraine: a skills course of five group sessions, then four months with a mentor "
            "in your field, meeting at least once a month, and a closing session."
        ),
        region=regions["Luleå"],
        project=projects["digital"],
        pair_duration_months=4,
        min_meetings_per_month=1,
        silent_pair_days=45,
        min_sessions_attended=4,
        public_enrolment=True,
        created_at=at(today - timedelta(days=380), 10),
        created_by=lulea,
    )
    prefer = ("uk", "ru")
    # (completed, dropped out, still active) mentees per cohort: 150 started, 118 completed
    cohorts = (
        ("Ukraine 1", 335, (34, 6, 0), True, 0),
        ("Ukraine 2", 270, (38, 6, 0), True, 0),
        ("Ukraine 3", 205, (46, 6, 0), True, 0),
        ("Ukraine 4", 100, (0, 1, 8), True, 2),
        ("Ukraine 5", 7, (0, 0, 5), False, 0),
    )
    for name, back, outcomes, paired, silent in cohorts:
        plan = _ukraine_plan(
            name, today - timedelta(days=back), months=4, outcomes=outcomes, paired=paired, silent=silent
        )
        builder.cohort(ukraine, plan, coordinator=lulea, prefer=prefer)
    professional = builder.programme(
        name=UPPSALA,
        description=(
            "Professional mentorship: six months with a mentor in your profession, expert-group and network "
            "meetings, and participant groups in six rounds."
        ),
        region=regions["Uppsala"],
        pair_duration_months=6,
        min_meetings_per_month=1,
        silent_pair_days=45,
        created_at=at(today - timedelta(days=200), 10),
        created_by=uppsala,
    )
    builder.cohort(
        professional,
        _uppsala_plan(today - timedelta(days=120), 6),
        coordinator=uppsala,
        prefer=("sv", "en"),
        local=True,
    )
    return builder.counts
