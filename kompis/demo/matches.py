"""Demo matches with a realistic follow-up history, for the participants the demo marks as matched.

Rows are written directly (no mails): a match approved some weeks ago, introduced the same day, asked
"did you meet?" 14 days later, and answered — about 60 % met, some "not yet", some "will not meet" or
silent, which became tasks for the coordinator.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kompis.followup.models import Answer, FollowUp, TaskKind, TaskOutcome
from kompis.followup.services import MATCH_SUBJECT
from kompis.matching.models import Match, MatchKind, MatchMode, MatchStatus
from kompis.organisations.models import Organisation
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.vocab import Status
from kompis.worklist.models import Task


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _compatible(n: Participant, e: Participant) -> bool:
    return (
        bool(set(n.languages) & set(e.languages))
        and n.friend_matching.wants_family_match == e.friend_matching.wants_family_match
    )


def create_matches(rng: random.Random, people: list[Participant], *, org: Organisation, today: date) -> int:
    """Pair the matched newcomers and established of each region and give each pair a history."""
    by_region: dict[int | None, dict[str, list[Participant]]] = defaultdict(lambda: defaultdict(list))
    for p in people:
        friend = p.friend_matching
        if friend.status == Status.MATCHED and p.pk:
            by_region[p.region_id][friend.role].append(p)
    matches, followups = [], []
    tasks: list[tuple[Task, Match]] = []  # each task with the match it is about (a task names it by uid)
    leftovers = []
    for groups in by_region.values():
        established = list(groups["established"])
        for n in groups["newcomer"]:
            partner = next((e for e in established if _compatible(n, e)), None)
            if partner is None:
                leftovers.append(n)
                continue
            established.remove(partner)
            first_day = max(n.signed_up_at.date(), partner.signed_up_at.date()) + timedelta(
                days=rng.randint(3, 60)
            )
            if first_day > today - timedelta(days=2):
                first_day = today - timedelta(days=rng.randint(2, 10))
            approved = _at(first_day, rng)
            both_digital = "physical" not in (
                n.friend_matching.meeting_mode,
                partner.friend_matching.meeting_mode,
            )
            match = Match(
                organisation=org,
                newcomer=n,
                established=partner,
                created_at=approved,
                introduced_at=approved,
                kind=MatchKind.FAMILY if n.friend_matching.wants_family_match else MatchKind.INDIVIDUAL,
                mode=MatchMode.DIGITAL if both_digital else MatchMode.PHYSICAL,
                score=round(rng.uniform(30, 90), 1),
                status=MatchStatus.INTRODUCED,
            )
            matches.append(match)
        leftovers.extend(established)
    Match.objects.bulk_create(matches, batch_size=500)
    now = timezone.now()
    for match in matches:
        assert match.introduced_at is not None
        asked: datetime = match.introduced_at + timedelta(days=14)
        if asked > now:
            continue
        match.followup_asked_at = asked
        match.status = MatchStatus.FOLLOWUP_ASKED
        roll = rng.random()
        answers: dict[int, str] = {}
        if roll < 0.6:
            answers = {match.newcomer_id: Answer.MET, match.established_id: Answer.MET}
            if rng.random() < 0.3:
                answers.pop(rng.choice([match.newcomer_id, match.established_id]))
            match.status, match.met_at = MatchStatus.MET, asked + timedelta(hours=rng.randint(1, 96))
        elif roll < 0.72:
            answers = {match.newcomer_id: Answer.NOT_YET}
            match.status = MatchStatus.NOT_YET
        elif roll < 0.82:
            answers = {match.established_id: Answer.WILL_NOT_MEET}
            match.status = MatchStatus.ESCALATED
            tasks.append(
                (
                    Task(
                        organisation=org,
                        region=match.established.region,
                        subject_type=MATCH_SUBJECT,
                        subject_id=str(match.uid),
                        participant=match.established,
                        kind=TaskKind.WILL_NOT_MEET,
                        due_on=(asked + timedelta(days=5)).date(),
                        created_at=asked + timedelta(days=2),
                    ),
                    match,
                )
            )
        elif asked + timedelta(days=10) <= now:
            match.status = MatchStatus.ESCALATED
            tasks.append(
                (
                    Task(
                        organisation=org,
                        region=match.newcomer.region,
                        subject_type=MATCH_SUBJECT,
                        subject_id=str(match.uid),
                        participant=match.newcomer,
                        kind=TaskKind.NO_ANSWER,
                        due_on=(asked + timedelta(days=13)).date(),
                        created_at=asked + timedelta(days=10),
                    ),
                    match,
                )
            )
        for person in (match.newcomer, match.established):
            answer = answers.get(person.pk, "")
            followups.append(
                FollowUp(
                    match=match,
                    participant=person,
                    round=1,
                    asked_at=asked,
                    reminded_at=asked + timedelta(days=5) if not answer else None,
                    answer=answer,
                    answered_at=asked + timedelta(hours=rng.randint(1, 96)) if answer else None,
                    handled_at=asked + timedelta(days=10)
                    if not answer and asked + timedelta(days=10) <= now
                    else None,
                )
            )
    ended_people: dict[str, list[int]] = {}
    # Coordinators have dealt with the older tasks: some met after all, others ended.
    for task, match in tasks:
        if task.created_at > now - timedelta(days=21):
            continue
        task.resolved_at = task.created_at + timedelta(days=rng.randint(1, 6))
        if rng.random() < 0.4:
            task.outcome = TaskOutcome.MET
            match.status, match.met_at = MatchStatus.MET, task.resolved_at
        else:
            task.outcome = rng.choice([TaskOutcome.REMATCH, TaskOutcome.CLOSE])
            match.status, match.ended_at = MatchStatus.ENDED, task.resolved_at
            match.end_reason = "re-match" if task.outcome == TaskOutcome.REMATCH else "closed by staff"
            after = Status.WAITING if task.outcome == TaskOutcome.REMATCH else Status.PAUSED
            for person in (match.newcomer, match.established):
                person.friend_matching.status = after
                ended_people.setdefault(after, []).append(person.pk)
    Match.objects.bulk_update(
        matches, ["followup_asked_at", "status", "met_at", "ended_at", "end_reason"], batch_size=500
    )
    for status, pks in ended_people.items():
        paused_until = today + timedelta(days=60) if status == Status.PAUSED else None
        FriendParticipation.objects.filter(pk__in=pks).update(status=status, paused_until=paused_until)
    FollowUp.objects.bulk_create(followups, batch_size=1000)
    Task.objects.bulk_create([task for task, _match in tasks], batch_size=500)
    # Those the demo called matched but who found no compatible partner wait instead.
    FriendParticipation.objects.filter(pk__in=[p.pk for p in leftovers]).update(status=Status.WAITING)
    for p in leftovers:
        p.friend_matching.status = Status.WAITING
    return len(matches)
