"""Demo events: a weekly digital language café with a year of occurrences (issue #13).

The series (project Digital språkvän, online, 25 places) runs for 52 weeks: about 46 of them past, with
registrations and attendance (regulars, newcomers and established, who come most weeks; others now and
then; some registered people did not come), one cancelled over Christmas, and six upcoming with
registrations, the next one full with a waiting list. Drawn from the events' own random stream, reusing the
demo's people; rows are written directly (no mails, no audit events). Everything depends on the seed and
today's date only.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kompis.accounts.models import User
from kompis.demo.cohorts import insert_rows
from kompis.events.attendance_models import AttendanceState
from kompis.events.models import (
    Attendance,
    Event,
    EventRegistration,
    EventSeries,
    RegistrationStatus,
    Weekday,
)
from kompis.organisations.models import Organisation, Project
from kompis.participants.models import Participant
from kompis.participants.vocab import ParticipantRole, Status

CAFE_TITLE = "Digital språkcafé"
CAFE_LINK = "https://meet.example.org/kompis-sprakcafe"
CAFE_CAPACITY = 25
CAFE_WEEKS = 52
UPCOMING_WEEKS = 6


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def create_cafe(
    rng: random.Random,
    people: list[Participant],
    *,
    org: Organisation,
    projects: dict[str, Project],
    today: date,
) -> dict[str, int]:
    """The language café series with its occurrences, registrations and attendance; returns counts."""
    host = User.objects.filter(username="lulea@demo.kompis").first()
    weekday, clock = Weekday.WEDNESDAY, time(18, 0)
    # the 7th upcoming Wednesday is the last: 46 past occurrences (today's, if a Wednesday, is upcoming)
    next_day = today + timedelta(days=(weekday - today.weekday()) % 7)
    first = next_day - timedelta(weeks=CAFE_WEEKS - UPCOMING_WEEKS)
    last = first + timedelta(weeks=CAFE_WEEKS - 1)
    project = projects["digital"]
    series = EventSeries.objects.create(
        organisation=org,
        project=project,
        title=CAFE_TITLE,
        weekday=weekday,
        start_time=clock,
        duration_minutes=90,
        starts_on=first,
        ends_on=last,
        online=True,
        video_link=CAFE_LINK,
        capacity=CAFE_CAPACITY,
        created_at=_at(first - timedelta(days=20), time(10)),
        created_by=host,
    )
    days = [first + timedelta(weeks=n) for n in range(CAFE_WEEKS)]
    christmas = next((d for d in days if d.month == 12 and 22 <= d.day <= 28), None)
    events = [
        Event(
            organisation=org,
            project=project,
            series=series,
            title=CAFE_TITLE,
            starts_at=_at(day, clock),
            ends_at=_at(day, clock) + timedelta(minutes=90),
            online=True,
            video_link=CAFE_LINK,
            capacity=CAFE_CAPACITY,
            created_at=series.created_at,
            created_by=host,
            cancelled_at=_at(day - timedelta(days=12), time(9)) if day == christmas else None,
        )
        for day in days
    ]
    Event.objects.bulk_create(events)

    pool = [p for p in people if p.pk and p.friend_matching.status not in (Status.PENDING, Status.WITHDRAWN)]
    rng.shuffle(pool)
    newcomers = [p for p in pool if p.friend_matching.role == ParticipantRole.NEWCOMER]
    established = [p for p in pool if p.friend_matching.role == ParticipantRole.ESTABLISHED]
    regulars = newcomers[:18] + established[:10]
    occasional = newcomers[18:110] + established[10:60]
    registrations: list[dict[str, Any]] = []
    attendance: list[dict[str, Any]] = []
    marked_by = host.pk if host else None
    upcoming = [e for e in events if e.starts_at.date() >= today and e.cancelled_at is None]
    full = upcoming[0] if upcoming else None
    for event in events:
        if event.cancelled_at is not None:
            continue
        day = event.starts_at.date()
        past = day < today
        weeks_ahead = max(0, (day - today).days // 7)
        if event is full:
            regular_p, occasional_p = 0.95, 0.02
        elif past:
            regular_p, occasional_p = 0.6, 0.05
        else:  # registrations thin out further ahead
            regular_p, occasional_p = 0.5 / (1 + weeks_ahead), 0.04 / (1 + weeks_ahead)
        came = [p for p in regulars if rng.random() < regular_p] + [
            p for p in occasional if rng.random() < occasional_p
        ]
        latest = min(day - timedelta(days=1), today - timedelta(days=1))
        came = [p for p in came if p.signed_up_at.date() < latest]
        if event is full:  # at least four more than the places: the rest wait
            extra = [p for p in occasional if p not in came and p.signed_up_at.date() < latest]
            came += extra[: max(0, CAFE_CAPACITY + 4 - len(came))]
        booked = []
        for person in came:
            earliest = max(person.signed_up_at.date() + timedelta(days=1), day - timedelta(days=10))
            registered_day = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
            booked.append(
                (_at(registered_day, time(rng.randint(8, 22), rng.randrange(60))), person.pk, person)
            )
        booked.sort(key=lambda row: row[:2])
        for position, (registered_at, _pk, person) in enumerate(booked):
            waiting = position >= CAFE_CAPACITY  # the first to register got the places
            registrations.append(
                {
                    "event_id": event.pk,
                    "participant_id": person.pk,
                    "status": RegistrationStatus.WAITING if waiting else RegistrationStatus.REGISTERED,
                    "registered_at": registered_at,
                }
            )
            if not past or waiting:
                continue
            roll = rng.random()
            if roll < 0.8:
                state = AttendanceState.PRESENT
            elif roll < 0.86:
                state = AttendanceState.ABSENT
            else:
                continue  # a no-show
            attendance.append(
                {
                    "event_id": event.pk,
                    "participant_id": person.pk,
                    "state": state,
                    "marked_at": event.starts_at + timedelta(minutes=rng.randint(5, 60)),
                    "marked_by_id": marked_by,
                }
            )
    insert_rows(EventRegistration, registrations)
    insert_rows(Attendance, attendance)
    return {
        "cafe_occurrences": len(events),
        "cafe_registrations": len(registrations),
        "cafe_attendance": len(attendance),
    }
