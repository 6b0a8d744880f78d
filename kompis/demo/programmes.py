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

Rows are written directly (no mails, no audit events, as for the demo's matches) by `kompis.demo.cohorts`
and `kompis.demo.mentor_pairs`, with the values the programme services write. Everything depends on the seed
and today's date only.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from kompis.accounts.models import User
from kompis.demo.cohorts import Built, CohortBuilder, Plan, add_months, at
from kompis.demo.mentor_pairs import create_pairs
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Participant
from kompis.programmes.models import Programme
from kompis.programmes.session_models import SessionKind

UKRAINE = "Ukraine programme"
UPPSALA = "Professional mentorship Uppsala"
UKRAINE_PLACE = "Kulturens hus, Luleå"
UPPSALA_PLACE = "Stadsbiblioteket, Uppsala"


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
        place=UPPSALA_PLACE,
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
    builder = CohortBuilder(rng, people, org=org, today=today)
    users = {
        u.username: u for u in User.objects.filter(username__in=["lulea@demo.kompis", "uppsala@demo.kompis"])
    }
    lulea, uppsala = users.get("lulea@demo.kompis"), users.get("uppsala@demo.kompis")
    counts = {"pairs": 0, "meetings": 0}
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
        plan.place = UKRAINE_PLACE
        built = builder.cohort(ukraine, plan, coordinator=lulea, prefer=prefer)
        _pairs(rng, built, ukraine, plan, coordinator=lulea, counts=counts, today=today)
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
    plan = _uppsala_plan(today - timedelta(days=120), 6)
    built = builder.cohort(professional, plan, coordinator=uppsala, prefer=("sv", "en"), local=True)
    _pairs(rng, built, professional, plan, coordinator=uppsala, counts=counts, today=today)
    return builder.counts | counts


def _pairs(
    rng: random.Random,
    built: Built,
    programme: Programme,
    plan: Plan,
    *,
    coordinator: User | None,
    counts: dict[str, int],
    today: date,
) -> None:
    if plan.pairs_from is None:
        return
    pairs, meetings = create_pairs(
        rng,
        built,
        programme,
        pairs_from=plan.pairs_from,
        silent=plan.silent,
        coordinator=coordinator,
        today=today,
    )
    counts["pairs"] += pairs
    counts["meetings"] += meetings
