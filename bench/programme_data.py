"""Mentor programmes and their sessions at national scale, written by bulk insert (bench/bench_programmes.py;
tests/programmes/test_bench_programmes.py builds it at a tiny size on SQLite).

Shapes (the defaults: issue #13's performance sentence): ~40 programmes in ten cohorts each (cohort sizes
skewed: the first cohort of the first programme is the largest, in the first region, so a coordinator of that
region sees it); 20,000 enrolments (three mentees to two mentors; mostly active, some completed, dropped out
or waiting); ~8,000 mentor pairs with their logged meetings; 5,000 sessions, each a non-public
`events.Event` with a `CohortSession` and a registration for every enrolled person of the cohort (the
invited); 200,000 attendance rows over the sessions that have started.

Call `build_programmes(...)` after the organisation and its people exist; it needs no services (the services
are being written beside it) and works on SQLite and PostgreSQL alike (bulk_create in batches).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

BATCH = 5000
TZ = ZoneInfo("Europe/Stockholm")


@dataclass
class ProgrammeData:
    """What was built, with the objects the benchmark opens."""

    programmes: int = 0
    cohorts: int = 0
    enrolments: int = 0
    pairs: int = 0
    meetings: int = 0
    sessions: int = 0
    registrations: int = 0
    attendance: int = 0
    cafes: int = 0  # events that are not sessions (language cafés): the events' figures count these
    cafe_attendance: int = 0
    largest_programme: Any = None  # programmes.Programme
    largest_cohort: Any = None  # programmes.Cohort
    largest_session: Any = None  # events.Event (the session with the most invited)
    counts: dict[str, int] = field(default_factory=dict)


def _sizes(total: int, parts: int, rnd: random.Random, *, top: float) -> list[int]:
    """`total` split into `parts` sizes of 0.5-1.5 times the mean, the first `top` times the mean (the largest)."""
    weights = [rnd.uniform(0.5, 1.5) for _ in range(parts)]
    weights[0] = top
    whole = sum(weights)
    sizes, done, running = [], 0, 0.0
    for w in weights:  # cumulative rounding: the sizes add up to `total`
        running += w
        upto = round(total * running / whole)
        sizes.append(max(1, upto - done))
        done = upto
    return sizes


def build_programmes(
    *,
    organisation: Any,
    regions: list[Any],
    project: Any,
    people: list[int],
    programmes: int = 40,
    cohorts_per_programme: int = 10,
    enrolments: int = 20_000,
    pairs: int = 8_000,
    meetings_per_pair: int = 5,
    sessions: int = 5_000,
    attendance: int = 200_000,
    cafes: int = 1_000,
    now: datetime | None = None,
    seed: int = 13,
) -> ProgrammeData:
    """Programmes, cohorts, enrolments, pairs, meetings, sessions (events + registrations) and attendance
    for `organisation`, enrolling the participants whose ids are `people` (each at most once per cohort)."""
    from kompis.events.models import Attendance, Event, EventRegistration
    from kompis.programmes.models import (
        Cohort,
        CohortSession,
        Enrolment,
        MentorPair,
        PairMeeting,
        Programme,
        SessionKind,
    )

    rnd = random.Random(seed)
    now = now or datetime(2026, 11, 20, 12, tzinfo=TZ)
    out = ProgrammeData()
    n_cohorts = programmes * cohorts_per_programme

    progs = [
        Programme(
            organisation=organisation,
            name=f"Mentorprogram {i:02d}",
            region=regions[i % len(regions)] if i % 4 != 3 else None,
            project=project if i % 4 == 3 else None,
            min_sessions_attended=rnd.choice([None, 3, 5]),
        )
        for i in range(programmes)
    ]
    Programme.objects.bulk_create(progs, batch_size=BATCH)
    first = date(2025, 1, 13)
    cohorts = []
    for p_index, prog in enumerate(progs):
        for c in range(cohorts_per_programme):
            starts = first + timedelta(days=(c * 70 + p_index * 3) % 500)
            cohorts.append(
                Cohort(
                    programme=prog,
                    name=f"{prog.name}: omgång {c + 1}",
                    starts_on=starts,
                    ends_on=starts + timedelta(days=180),
                )
            )
    Cohort.objects.bulk_create(cohorts, batch_size=BATCH)

    # enrolments: three mentees to two mentors; a person at most once per cohort
    sizes = _sizes(enrolments, n_cohorts, rnd, top=3.0)
    statuses = ["active"] * 6 + ["completed"] * 2 + ["dropped_out", "waiting_list"]
    fields = ["health", "education", "it", "engineering", "business", "trades", "service", "public"]
    rows: list[Any] = []
    by_cohort: list[tuple[list[Any], list[Any]]] = []  # (mentees, mentors) per cohort
    cursor = 0
    for cohort, size in zip(cohorts, sizes, strict=True):
        size = min(size, len(people))  # a person at most once per cohort
        mentees: list[Any] = []
        mentors: list[Any] = []
        for k in range(size):
            person = people[(cursor + k) % len(people)]
            role = "mentor" if k % 5 in (1, 3) else "mentee"
            status = rnd.choice(statuses)
            enrolled = datetime.combine(cohort.starts_on, time(10), TZ) - timedelta(days=rnd.randint(5, 60))
            e = Enrolment(
                cohort=cohort,
                participant_id=person,
                role=role,
                field=rnd.choice(fields),
                meeting_mode=rnd.choice(["physical", "digital", "either", ""]),
                max_mentees=rnd.choice([1, 1, 2, 3]) if role == "mentor" else 1,
                status=status,
                dropout_reason="time" if status == "dropped_out" else "",
                enrolled_at=enrolled,
                completed_at=enrolled + timedelta(days=200) if status == "completed" else None,
                dropped_at=enrolled + timedelta(days=40) if status == "dropped_out" else None,
            )
            rows.append(e)
            if status != "waiting_list":
                (mentors if role == "mentor" else mentees).append(e)
        cursor += size
        by_cohort.append((mentees, mentors))
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    out.enrolments = len(rows)

    # pairs: each mentee at most one, a mentor up to max_mentees, spread over the cohorts by size
    pair_rows: list[Any] = []
    share = pairs / max(1, sum(min(len(m), len(t)) for m, t in by_cohort))
    for cohort, (mentees, mentors) in zip(cohorts, by_cohort, strict=True):
        if not mentors:
            continue
        slots = [m for m in mentors for _ in range(m.max_mentees)]
        want = min(len(mentees), len(slots), round(min(len(mentees), len(mentors)) * share * 1.25))
        for mentee, mentor in zip(mentees[:want], slots[:want], strict=True):
            status = rnd.choice(["active"] * 6 + ["ended"] * 2 + ["proposed", "rejected"])
            started = cohort.starts_on + timedelta(days=rnd.randint(7, 30))
            decided = datetime.combine(started, time(9), TZ)
            pair_rows.append(
                MentorPair(
                    cohort=cohort,
                    mentee=mentee,
                    mentor=mentor,
                    status=status,
                    score=round(rnd.uniform(40, 95), 1),
                    reasons=[{"code": "same_field", "params": {}, "points": 20}],
                    proposed_at=decided - timedelta(days=3),
                    decided_at=None if status == "proposed" else decided,
                    started_on=started if status in ("active", "ended") else None,
                    ends_on=started + timedelta(days=180) if status in ("active", "ended") else None,
                    ended_at=decided + timedelta(days=rnd.randint(60, 180)) if status == "ended" else None,
                    end_reason="completed" if status == "ended" else "",
                )
            )
            if len(pair_rows) >= pairs:
                break
        if len(pair_rows) >= pairs:
            break
    meeting_rows: list[Any] = []
    today = now.astimezone(TZ).date()
    for pair in pair_rows:
        if pair.started_on is None:
            continue
        day = pair.started_on
        for _ in range(rnd.randint(0, 2 * meetings_per_pair)):
            day += timedelta(days=rnd.randint(7, 35))
            if day > today:
                break
            meeting_rows.append(
                PairMeeting(
                    pair=pair,
                    met_on=day,
                    how=rnd.choice(["in_person", "video", "phone"]),
                    logged_by_participant_id=pair.mentee.participant_id,
                    logged_at=datetime.combine(day, time(20), TZ),
                )
            )
            pair.last_met_on = day
    MentorPair.objects.bulk_create(pair_rows, batch_size=BATCH)
    PairMeeting.objects.bulk_create(meeting_rows, batch_size=BATCH)
    out.pairs, out.meetings = len(pair_rows), len(meeting_rows)

    # sessions: ~12 a cohort (the largest cohort 2.5 times as many), spread over the cohort's 180 days
    session_sizes = _sizes(sessions, n_cohorts, rnd, top=2.5)
    kinds = [SessionKind.GROUP] * 4 + [SessionKind.EXPERT_GROUP, SessionKind.NETWORK]
    events: list[Any] = []
    links: list[Any] = []
    for cohort, count in zip(cohorts, session_sizes, strict=True):
        region = cohort.region or cohort.programme.region or regions[0]
        every = max(1, 180 // count)
        for s in range(count):
            starts = datetime.combine(cohort.starts_on + timedelta(days=every * s), time(17, 30), TZ)
            event = Event(
                organisation=organisation,
                region=region,
                project=cohort.programme.project,
                title=f"{cohort.name}: träff {s + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Stadsbiblioteket",
                public=False,
            )
            events.append(event)
            kind = SessionKind.CLOSING if s == count - 1 and count > 1 else rnd.choice(kinds)
            links.append(CohortSession(cohort=cohort, event=event, kind=kind))
    Event.objects.bulk_create(events, batch_size=BATCH)
    for link in links:
        link.event_id = link.event.pk
    CohortSession.objects.bulk_create(links, batch_size=BATCH)
    out.sessions = len(events)

    # the invited: every enrolled (not waiting) person of the cohort is registered for its sessions
    invited: dict[int, list[int]] = {}
    for cohort_index, (mentees, mentors) in enumerate(by_cohort):
        invited[cohort_index] = [e.participant_id for e in (*mentees, *mentors)]
    cohort_index_of = {id(c): i for i, c in enumerate(cohorts)}
    regs: list[Any] = []
    started_regs: list[tuple[int, int, datetime]] = []
    largest: tuple[int, Any] = (-1, None)
    for link in links:
        people_in = invited[cohort_index_of[id(link.cohort)]]
        event = link.event
        if len(people_in) > largest[0]:
            largest = (len(people_in), event)
        for pid in people_in:
            regs.append(
                EventRegistration(
                    event_id=event.pk, participant_id=pid, registered_at=event.starts_at - timedelta(days=14)
                )
            )
            if event.starts_at <= now:
                started_regs.append((event.pk, pid, event.ends_at))
        if len(regs) >= BATCH * 4:
            EventRegistration.objects.bulk_create(regs, batch_size=BATCH)
            out.registrations += len(regs)
            regs = []
    EventRegistration.objects.bulk_create(regs, batch_size=BATCH)
    out.registrations += len(regs)

    chosen = rnd.sample(started_regs, min(attendance, len(started_regs)))
    marks: list[Any] = []
    for event_id, pid, ended in chosen:
        marks.append(
            Attendance(
                event_id=event_id,
                participant_id=pid,
                state="present" if rnd.random() < 0.82 else "absent",
                marked_at=ended.astimezone(UTC),
            )
        )
        if len(marks) >= BATCH * 4:
            Attendance.objects.bulk_create(marks, batch_size=BATCH)
            out.attendance += len(marks)
            marks = []
    Attendance.objects.bulk_create(marks, batch_size=BATCH)
    out.attendance += len(marks)

    out.cafes, out.cafe_attendance = _cafes(organisation, regions, people, cafes, now, rnd)
    out.programmes, out.cohorts = len(progs), len(cohorts)
    out.largest_programme = progs[0]
    out.largest_cohort = cohorts[0]
    out.largest_session = largest[1]
    return out


def _cafes(
    organisation: Any, regions: list[Any], people: list[int], count: int, now: datetime, rnd: random.Random
) -> tuple[int, int]:
    """Public language cafés over 2025-2026 with ~20 registered each and attendance at the ones held."""
    from kompis.events.models import Attendance, Event, EventRegistration

    events = []
    for i in range(count):
        starts = datetime.combine(date(2025, 1, 7) + timedelta(days=i * 700 // max(1, count)), time(18), TZ)
        events.append(
            Event(
                organisation=organisation,
                region=regions[i % len(regions)],
                title=f"Språkcafé {i}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Biblioteket",
                public=True,
            )
        )
    Event.objects.bulk_create(events, batch_size=BATCH)
    regs, marks = [], []
    for event in events:
        for pid in rnd.sample(people, min(len(people), rnd.randint(10, 30))):
            regs.append(
                EventRegistration(
                    event=event, participant_id=pid, registered_at=event.starts_at - timedelta(days=3)
                )
            )
            if event.ends_at <= now and rnd.random() < 0.7:
                marks.append(
                    Attendance(event=event, participant_id=pid, state="present", marked_at=event.ends_at)
                )
    EventRegistration.objects.bulk_create(regs, batch_size=BATCH)
    Attendance.objects.bulk_create(marks, batch_size=BATCH)
    return len(events), len(marks)


def find_programmes(organisation: Any) -> ProgrammeData:
    """What `build_programmes` returned, read back from a database built earlier (`--reuse`)."""
    from django.db.models import Count

    from kompis.events.models import Attendance, Event, EventRegistration
    from kompis.programmes.models import Cohort, Enrolment, MentorPair, PairMeeting, Programme

    programmes = Programme.objects.filter(organisation=organisation).order_by("id")
    cohorts = Cohort.objects.filter(programme__in=programmes)
    sessions = Event.objects.filter(organisation=organisation, programme_session__isnull=False)
    largest = sessions.annotate(n=Count("registrations")).order_by("-n", "id").first()
    return ProgrammeData(
        programmes=programmes.count(),
        cohorts=cohorts.count(),
        enrolments=Enrolment.objects.filter(cohort__in=cohorts).count(),
        pairs=MentorPair.objects.filter(cohort__in=cohorts).count(),
        meetings=PairMeeting.objects.filter(pair__cohort__in=cohorts).count(),
        sessions=sessions.count(),
        registrations=EventRegistration.objects.filter(event__in=sessions).count(),
        attendance=Attendance.objects.filter(event__in=sessions).count(),
        largest_programme=programmes.first(),
        largest_cohort=cohorts.order_by("id").first(),
        largest_session=largest,
    )
