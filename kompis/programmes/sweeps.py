"""The programmes' periodic work (registered with `kompis.core.sweeps`, imported by ProgrammesConfig.ready).

1. Silent pairs: an active pair whose last meeting (or start, when none is logged) is more than its
   programme's `silent_pair_days` ago gets one open staff task ("silent_pair", about the pair, in the
   mentee's queue). Never a second open task for the same pair; a task closed by staff opens again only if
   the pair is still silent at a later sweep. Logging a meeting closes it (`meetings.log_meeting`).
2. Pairs past their end date are ended with the reason "completed".

Each pair is handled in its own transaction, locked with `select_for_update(skip_locked=True)`: several
workers may sweep at once, and each pair is dealt with once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from kompis.audit.actors import SystemActor
from kompis.core.sweeps import register
from kompis.organisations.models import Region
from kompis.programmes.models import MentorPair, PairStatus, Programme
from kompis.programmes.worklist_kinds import SILENT_PAIR
from kompis.worklist.models import Task
from kompis.worklist.services import open_task

SILENT_JOB = SystemActor("programmes.silent_pairs")


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


def open_silent_pair_tasks(*, now: datetime) -> int:
    today = timezone.localdate(now)
    return sum(
        1 for pair_id in silent_pair_ids(today=today) if open_silent_pair_task(pair_id=pair_id, today=today)
    )


@register("programmes.silent_pairs")
def _silent_pairs(now: datetime) -> int:
    return open_silent_pair_tasks(now=now)
