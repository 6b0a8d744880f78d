"""The programmes' periodic work (registered with `kompis.core.sweeps`, imported by ProgrammesConfig.ready).

1. Silent pairs: an active pair whose last meeting (or start, when none is logged) is more than its
   programme's `silent_pair_days` ago gets one open staff task ("silent_pair", about the pair, in the
   mentee's queue). Never a second open task for the same pair; a task closed by staff opens again only if
   the pair is still silent at a later sweep. Logging a meeting closes it (`meetings.log_meeting`).
   An open silent-pair task whose pair is no longer active (ended by staff or by this sweep) is closed.
2. Pairs past their end date (`ends_on` before today) are ended with the reason "completed" (through the
   pairs' own `end_pair`, which audits it).

Each pair (for ending: each cohort, locked before its pairs as `pairs.end_pair` does) is handled in its own
transaction, locked with `select_for_update(skip_locked=True)`: several workers may sweep at once, and each
is dealt with once; one held by another worker is left to it (or to the next sweep).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from kompis.audit.actors import SystemActor
from kompis.core.sweeps import register
from kompis.organisations.models import Region
from kompis.programmes.models import Cohort, MentorPair, PairEndReason, PairStatus, Programme
from kompis.programmes.pairs import PairRefused, end_pair
from kompis.programmes.worklist_kinds import PAIR_SUBJECT, SILENT_PAIR
from kompis.worklist import kinds
from kompis.worklist.models import Task
from kompis.worklist.services import close_moot_tasks, open_task

SILENT_JOB = SystemActor("programmes.silent_pairs")
END_JOB = SystemActor("programmes.pairs_ended")


def silent_since(programme: Programme, today: date) -> date:
    """A pair that last met (or started) before this date is silent."""
    return today - timedelta(days=programme.silent_pair_days)


def silent_pair_ids(*, today: date) -> list[int]:
    """Active pairs that have been silent too long and have no open silent-pair task (one query per
    programme with active pairs)."""
    open_about = set(Task.objects.open().filter(kind=SILENT_PAIR).values_list("subject_id", flat=True))
    found: list[int] = []
    programmes = Programme.objects.filter(cohorts__pairs__status=PairStatus.ACTIVE).distinct()
    for programme in programmes:
        rows = (
            MentorPair.objects.filter(cohort__programme=programme, status=PairStatus.ACTIVE)
            .annotate(since=Coalesce("last_met_on", "started_on"))
            .filter(since__lt=silent_since(programme, today))
            .values_list("pk", "uid")
        )
        found.extend(pk for pk, uid in rows if str(uid) not in open_about)
    return found


@transaction.atomic
def open_silent_pair_task(*, pair_id: int, today: date) -> Task | None:
    """One silent pair's task, if it is still active, still silent and has none open (else None); a
    pair another worker holds is skipped (it deals with it)."""
    pair = (
        MentorPair.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("cohort__programme__organisation", "mentee__participant")
        .filter(pk=pair_id, status=PairStatus.ACTIVE)
        .first()
    )
    if pair is None:
        return None
    since = pair.last_met_on or pair.started_on
    if since is None or since >= silent_since(pair.cohort.programme, today):
        return None
    region_id = pair.cohort.effective_region_id
    return open_task(
        actor=SILENT_JOB,
        organisation=pair.cohort.programme.organisation,
        kind=SILENT_PAIR,
        due_on=today,
        subject=pair,
        participant=pair.mentee.participant,
        region=Region.objects.filter(pk=region_id).first() if region_id else None,
    )


def close_tasks_of_ended_pairs(*, now: datetime) -> int:
    """Open silent-pair tasks whose pair is no longer active are moot: closed, audited."""
    open_tasks = Task.objects.open().filter(kind=SILENT_PAIR, subject_type=PAIR_SUBJECT)
    active = {
        str(uid)
        for uid in MentorPair.objects.filter(
            uid__in=list(open_tasks.values_list("subject_id", flat=True)), status=PairStatus.ACTIVE
        ).values_list("uid", flat=True)
    }
    moot = open_tasks.exclude(subject_id__in=active)
    return close_moot_tasks(moot, actor=SILENT_JOB, outcome=kinds.NO_CHANGE, because="pair_ended", now=now)


def open_silent_pair_tasks(*, now: datetime) -> int:
    today = timezone.localdate(now)
    close_tasks_of_ended_pairs(now=now)
    return sum(
        1 for pair_id in silent_pair_ids(today=today) if open_silent_pair_task(pair_id=pair_id, today=today)
    )


@register("programmes.silent_pairs")
def _silent_pairs(now: datetime) -> int:
    return open_silent_pair_tasks(now=now)


# --- pairs past their end date ------------------------------------------------------------------------


@transaction.atomic
def end_finished_pairs_of(*, cohort_id: int, today: date) -> int:
    """End the cohort's active pairs whose end date has passed ("completed"); a cohort another worker
    (or a staff member changing its pairs) holds is skipped until the next sweep."""
    cohort = Cohort.objects.select_for_update(skip_locked=True).filter(pk=cohort_id).first()
    if cohort is None:
        return 0
    ended = 0
    for pair in MentorPair.objects.filter(cohort=cohort, status=PairStatus.ACTIVE, ends_on__lt=today):
        try:
            end_pair(actor=END_JOB, pair=pair, reason=PairEndReason.COMPLETED)
        except PairRefused:  # ended meanwhile
            continue
        ended += 1
    return ended


def end_finished_pairs(*, now: datetime) -> int:
    today = timezone.localdate(now)
    cohorts = (
        MentorPair.objects.filter(status=PairStatus.ACTIVE, ends_on__lt=today)
        .values_list("cohort_id", flat=True)
        .distinct()
    )
    return sum(end_finished_pairs_of(cohort_id=cohort_id, today=today) for cohort_id in list(cohorts))


@register("programmes.pairs_ended")
def _pairs_ended(now: datetime) -> int:
    return end_finished_pairs(now=now)
