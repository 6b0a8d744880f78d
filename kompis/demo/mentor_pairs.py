"""The demo's mentor pairs and their meeting log, for a cohort `kompis.demo.cohorts` has built.

Each mentee still in the cohort when pairing starts gets a mentor (a mentor takes up to `max_mentees`);
now and then a first proposal was rejected. Pairs of a finished cohort ended with their period (a dropout's
pair when they left); a running cohort's pairs are active, and `silent` of them stopped meeting weeks ago,
so that the silent-pair sweep makes tasks for them. Pairs meet roughly monthly, some less; `last_met_on` is
the latest meeting, as the service that logs a meeting keeps it. No mails, no audit events.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from kompis.accounts.models import User
from kompis.demo.cohorts import Built, add_months, at, insert_rows, weighted
from kompis.programmes.models import DropoutReason, Enrolment, Programme
from kompis.programmes.pair_models import (
    MeetingHow,
    MentorPair,
    PairEndReason,
    PairMeeting,
    PairStatus,
)

HOW: dict[str, int] = {
    MeetingHow.IN_PERSON: 50,
    MeetingHow.VIDEO: 30,
    MeetingHow.PHONE: 15,
    MeetingHow.OTHER: 5,
}
NOTES = (
    "Fika och genomgång av CV:t.",
    "We talked about job interviews.",
    "Visited a workplace together.",
    "Pratade om nästa steg och satte ett mål.",
    "Short call, we will meet next week.",
)


def create_pairs(
    rng: random.Random,
    built: Built,
    programme: Programme,
    *,
    pairs_from: date,
    silent: int,
    coordinator: User | None,
    today: date,
) -> tuple[int, int]:
    """The cohort's pairs and their meetings; returns how many of each."""
    places = [m for m in built.mentors for _ in range(m.max_mentees)]
    pairs: list[MentorPair] = []
    rejected: list[MentorPair] = []
    meeting_days: list[list[date]] = []
    for mentee in built.mentees:
        dropped = built.drop_day.get(mentee.participant_id)
        if (dropped is not None and dropped <= pairs_from) or not places:
            continue
        started = pairs_from + timedelta(days=rng.randint(0, 4))
        ends = add_months(started, programme.pair_duration_months)
        proposed = at(started - timedelta(days=rng.randint(2, 6)), 9)
        mentor = places.pop(0)
        pair = MentorPair(
            cohort=built.cohort,
            mentee=mentee,
            mentor=mentor,
            status=PairStatus.ACTIVE,
            score=round(rng.uniform(45, 92), 1),
            reasons=_reasons(rng, mentee, mentor),
            chosen_by_staff=rng.random() < 0.1,
            proposed_at=proposed,
            decided_at=proposed + timedelta(hours=rng.randint(2, 48)),
            decided_by=coordinator,
            started_on=started,
            ends_on=ends,
        )
        if places and rng.random() < 0.08:  # the engine's first proposal did not suit
            rejected.append(
                MentorPair(
                    cohort=built.cohort,
                    mentee=mentee,
                    mentor=places[-1],
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
        quiet = pair.status == PairStatus.ACTIVE and silent > 0
        if quiet:  # stopped meeting some weeks ago
            silent -= 1
            stop = today - timedelta(days=rng.randint(50, 70))
        days = _meeting_days(rng, today, started, stop, recent=pair.status == PairStatus.ACTIVE and not quiet)
        pair.last_met_on = max(days, default=None)
        pairs.append(pair)
        meeting_days.append(days)
    MentorPair.objects.bulk_create(pairs + rejected)
    meetings: list[dict[str, Any]] = []
    for pair, days in zip(pairs, meeting_days, strict=True):
        for day in days:
            by = pair.mentee if rng.random() < 0.6 else pair.mentor
            meetings.append(
                {
                    "pair_id": pair.pk,
                    "met_on": day,
                    "how": weighted(rng, HOW),
                    "note": rng.choice(NOTES) if rng.random() < 0.5 else "",
                    "logged_by_participant_id": by.participant_id,
                    "logged_at": at(min(day + timedelta(days=rng.randint(0, 3)), today), 20),
                }
            )
    insert_rows(PairMeeting, meetings)
    return len(pairs) + len(rejected), len(meetings)


def _reasons(rng: random.Random, mentee: Enrolment, mentor: Enrolment) -> list[dict[str, Any]]:
    """Coded reasons as the programme's pairing gives them (same field, shared languages)."""
    out: list[dict[str, Any]] = []
    if mentee.field and mentee.field == mentor.field:
        out.append({"code": "same_field", "params": {"field": mentee.field}, "points": 40.0})
    shared = sorted((set(mentee.participant.languages) & set(mentor.participant.languages)) - {"sv"})
    if shared:
        out.append(
            {"code": "shared_language", "params": {"items": shared}, "points": round(rng.uniform(5, 15), 2)}
        )
    return out


def _meeting_days(rng: random.Random, today: date, started: date, stop: date, *, recent: bool) -> list[date]:
    """Roughly monthly from the start until `stop`; some pairs skip months. A `recent` pair (active and
    still meeting) has met within the last month."""
    days, day = [], started + timedelta(days=rng.randint(3, 12))
    sparse = rng.random() < 0.15
    while day <= stop:
        if not (sparse and rng.random() < 0.4):
            days.append(day)
        day += timedelta(days=rng.randint(20, 38))
    if recent and (not days or days[-1] < today - timedelta(days=30)):
        last = today - timedelta(days=rng.randint(2, 20))
        if not days or last > days[-1]:
            days.append(last)
    return days
