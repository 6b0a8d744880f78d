"""Matching runs as background work: start (queue), claim, execute with progress, fail, recover.

A :class:`MatchingRun` row is the unit of work. ``start_run`` writes it ``queued`` and enqueues the task
``execute_matching_run`` after commit; a worker claims it with ``select_for_update(skip_locked=True)``
(``queued`` → ``running``, a fresh claim token and a lease), so two workers never run the same run. While
it runs, every step writes the phase and percent and extends the lease; a run whose lease passed lost its
worker and is queued again once (``MAX_ATTEMPTS``) or marked failed (``recover_stale_runs``, a sweep).

Scopes that overlap never run at the same time (see :func:`scopes_overlap`); ``start_run`` checks this
while holding the organisation's row lock, so two simultaneous starts cannot both pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
import time
from collections.abc import Callable
from typing import Literal, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from kompis.audit.actors import Actor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import DataValue, record
from kompis.matching import engine
from kompis.matching.feed import build_pool, scope_participants, weights_for, weights_to_mapping
from kompis.matching.models import (
    ACTIVE_RUN_STATUSES,
    MatchingRun,
    Proposal,
    ProposalState,
    RunError,
    RunPhase,
    RunStatus,
    scope_label,
)
from kompis.matching.reasons import reasons_to_json
from kompis.matching.services import staff_of
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Participant

log = logging.getLogger(__name__)

#: a run whose worker died is queued again until it has been tried this often, then it fails
MAX_ATTEMPTS = 2
#: percent at the start of each phase (the engine's own phases share ENGINE's range)
PHASE_RANGES: dict[str, tuple[int, int]] = {
    RunPhase.QUEUED: (0, 0),
    RunPhase.POOL: (0, 20),
    RunPhase.ENGINE: (20, 50),
    RunPhase.EXPLAIN: (50, 62),
    RunPhase.SAVE: (62, 99),
    RunPhase.DONE: (100, 100),
}
SAVE_BATCH = 2000
ProgressHook = Callable[[MatchingRun], None]

#: the actor of what the matching worker does on its own (a run failed, queued again)
WORKER = SystemActor("matching.worker")


class RunRefused(Exception):
    """A run cannot start: an overlapping run is queued or running."""

    def __init__(self, message: str, *, clash: MatchingRun) -> None:
        self.clash = clash
        super().__init__(message)


class RunLost(Exception):
    """The run is no longer this worker's (its lease passed and it was queued again or failed)."""


def lease_seconds() -> int:
    return int(getattr(settings, "MATCHING_RUN_LEASE_SECONDS", 300))


# --- scope overlap -------------------------------------------------------------------------------


def scopes_overlap(a: MatchingRun, b: MatchingRun) -> bool:
    """Whether two runs' pools can share a participant (a scope = region and/or project, or everyone).

    The whole organisation overlaps everything; a region overlaps itself; a project overlaps itself; two
    different regions, or two different projects, never overlap (a participant has one of each). A project
    and a region overlap when the project belongs to that region, has no region, or has a participant who
    lives in that region (a project's participants may come from anywhere).
    """
    if a.organisation_id != b.organisation_id:
        return False
    if a.region_id and b.region_id and a.region_id != b.region_id:
        return False
    if a.project_id and b.project_id and a.project_id != b.project_id:
        return False
    for x, y in ((a, b), (b, a)):
        if x.project_id and y.region_id and not x.region_id:
            project_region = x.project.region_id if x.project else None
            if project_region not in (None, y.region_id) and not (
                Participant.objects.filter(project_id=x.project_id, region_id=y.region_id).exists()
            ):
                return False
    return True


def overlapping_run(candidate: MatchingRun) -> MatchingRun | None:
    active = (
        MatchingRun.objects.filter(organisation_id=candidate.organisation_id, status__in=ACTIVE_RUN_STATUSES)
        .exclude(pk=candidate.pk)
        .select_related("region", "project", "project__region")
        .order_by("created_at", "pk")
    )
    return next((run for run in active if scopes_overlap(candidate, run)), None)


# --- starting ------------------------------------------------------------------------------------


def default_name(*, region: Region | None, project: Project | None) -> str:
    return f"{scope_label(region=region, project=project)} {date_format(timezone.localtime(), 'Y-m-d H:i')}"


def start_run(
    *,
    actor: Actor,
    organisation: Organisation,
    region: Region | None = None,
    project: Project | None = None,
    solver: str = "fast",
    name: str = "",
    enqueue: bool = True,
) -> MatchingRun:
    """Queue a matching run for the scope; refused with :class:`RunRefused` while an overlapping run is
    queued or running. With ``enqueue`` the background task is enqueued once the transaction commits."""
    with transaction.atomic():
        # One start at a time per organisation: the overlap check and the insert happen under this lock.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        recover_stale_runs(organisation=organisation)
        run = MatchingRun(
            organisation=organisation,
            region=region,
            project=project,
            created_by=staff_of(actor),
            solver=solver,
            name=(name or "").strip()[:200] or default_name(region=region, project=project),
            status=RunStatus.QUEUED,
            phase=RunPhase.QUEUED,
        )
        clash = overlapping_run(run)
        if clash is not None:
            raise RunRefused(
                _(
                    "Matching for %(scope)s cannot start: the run “%(other)s” (%(other_scope)s) is still "
                    "%(state)s and includes some of the same people. Wait until it has finished."
                )
                % {
                    "scope": run.scope_label,
                    "other": clash.name or clash.scope_label,
                    "other_scope": clash.scope_label,
                    "state": clash.get_status_display().lower(),
                },
                clash=clash,
            )
        run.save()
        record(
            actor=actor,
            action=EventType.MATCHING_RUN_QUEUED,
            obj=run,
            organisation=organisation,
            data={
                "region": str(region.uid) if region is not None else None,
                "project": str(project.uid) if project is not None else None,
                "solver": solver,
            },
        )
        if enqueue:
            run_id = run.pk
            transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _enqueue(run_id: int) -> None:
    try:
        execute_matching_run.enqueue(run_id)
    except Exception:  # the sweep enqueues queued runs again
        log.exception("could not enqueue matching run %s", run_id)


# --- claiming and progress -----------------------------------------------------------------------


def claim_run(run_id: int) -> MatchingRun | None:
    """Take a queued run for this worker, or None when it is not queued (done, running elsewhere, gone)."""
    now = timezone.now()
    with transaction.atomic():
        run = (
            MatchingRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=RunStatus.QUEUED)
            .first()
        )
        if run is None:
            return None
        run.status, run.phase, run.progress = RunStatus.RUNNING, RunPhase.POOL, 0
        run.claim = secrets.token_hex(16)
        run.attempts += 1
        run.started_at, run.lease_until = now, now + dt.timedelta(seconds=lease_seconds())
        run.error = ""
        run.save(
            update_fields=[
                "status",
                "phase",
                "progress",
                "claim",
                "attempts",
                "started_at",
                "lease_until",
                "error",
            ]
        )
        run.proposals.all().delete()  # left over from an attempt whose worker died
    return run


class Reporter:
    """Writes phase and percent of a running run (at most every ``every`` seconds unless the phase
    changes) and extends its lease; raises :class:`RunLost` when the run is no longer this worker's."""

    def __init__(self, run: MatchingRun, *, hook: ProgressHook | None = None, every: float = 0.5) -> None:
        self.run, self.hook, self.every = run, hook, every
        self.last = 0.0

    def __call__(self, phase: str, fraction: float = 0.0) -> None:
        start, end = PHASE_RANGES[phase]
        percent = int(start + (end - start) * min(1.0, max(0.0, fraction)))
        changed = phase != self.run.phase
        if not changed and percent == self.run.progress:
            return
        self.run.phase, self.run.progress = phase, percent
        if self.hook:
            self.hook(self.run)
        now = time.monotonic()
        if not changed and now - self.last < self.every:
            return
        self.last = now
        updated = MatchingRun.objects.filter(
            pk=self.run.pk, status=RunStatus.RUNNING, claim=self.run.claim
        ).update(
            phase=phase,
            progress=percent,
            lease_until=timezone.now() + dt.timedelta(seconds=lease_seconds()),
        )
        if updated != 1:
            raise RunLost(self.run.pk)


# --- executing -----------------------------------------------------------------------------------


def execute_run(
    run_id: int, *, hook: ProgressHook | None = None, today: dt.date | None = None, seed: int = 0
) -> MatchingRun | None:
    """Claim and execute a queued run. Returns the finished (or failed) run, or None when it was not ours
    to run. Never raises for a failure of the run itself: the error is stored on the run and logged."""
    run = claim_run(run_id)
    if run is None:
        return None
    if hook:
        hook(run)
    report = Reporter(run, hook=hook)
    try:
        _execute(run, report, today=today or timezone.localdate(), seed=seed)
    except RunLost:
        log.warning("matching run %s: lease lost, another worker or the sweep took over", run.uid)
        if MatchingRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).exists():
            run.proposals.all().delete()
    except ValueError:
        log.exception("matching run %s: the engine refused its input", run.uid)
        fail_run(run, RunError.BAD_DATA)
    except Exception:
        log.exception("matching run %s failed", run.uid)
        fail_run(run, RunError.ENGINE)
    run.refresh_from_db()
    return run


def fail_run(run: MatchingRun, error: str, *, claim: str | None = None) -> bool:
    """Mark a running run failed (only while ``claim`` still holds it) and drop its partial proposals."""
    with transaction.atomic():
        updated = MatchingRun.objects.filter(
            pk=run.pk, status=RunStatus.RUNNING, claim=run.claim if claim is None else claim
        ).update(status=RunStatus.FAILED, error=error, finished_at=timezone.now(), lease_until=None)
        if updated:
            Proposal.objects.filter(run_id=run.pk).delete()
            record(
                actor=WORKER,
                action=EventType.MATCHING_RUN_FAILED,
                obj=run,
                organisation=run.organisation,
                data={"error": error, "attempts": run.attempts},
            )
    return bool(updated)


def _execute(run: MatchingRun, report: Reporter, *, today: dt.date, seed: int) -> None:
    t0 = time.perf_counter()
    organisation = run.organisation
    weights = weights_for(organisation)
    report(RunPhase.POOL)
    pool = build_pool(
        scope_participants(organisation=organisation, region=run.region, project=run.project),
        organisation=organisation,
        progress=lambda done, total: report(RunPhase.POOL, done / total if total else 1.0),
    )
    report(RunPhase.ENGINE)
    result = engine.match(
        pool.newcomers,
        pool.established,
        weights=weights,
        exclude=pool.exclude,
        solver=cast(Literal["fast", "exact", "greedy"], run.solver),
        seed=seed,
        today=today,
        progress=lambda _name, done, total: report(RunPhase.ENGINE, done / total if total else 1.0),
    )
    report(RunPhase.EXPLAIN)
    explained = engine.explain_pool(
        pool.newcomers, pool.established, weights=weights, exclude=pool.exclude, result=result, today=today
    )
    report(RunPhase.SAVE)
    ordered = sorted(result.pairs, key=lambda p: (-p.score, int(p.newcomer_id), int(p.established_id)))
    for start in range(0, len(ordered), SAVE_BATCH):
        Proposal.objects.bulk_create(
            [
                Proposal(
                    run=run,
                    newcomer_id=int(p.newcomer_id),
                    established_id=int(p.established_id),
                    score=round(float(p.score), 2),
                    reasons=reasons_to_json(p.reasons),
                    rank=rank,
                )
                for rank, p in enumerate(ordered[start : start + SAVE_BATCH], start=start + 1)
            ]
        )
        report(RunPhase.SAVE, (start + SAVE_BATCH) / len(ordered))
    s = result.stats
    stats: dict[str, DataValue] = {
        "pairs": s.pairs,
        "newcomers": len(pool.newcomers),
        "established": len(pool.established),
        "unmatched_newcomers": s.unmatched_newcomers,
        "unmatched_established": s.unmatched_established,
        "blocking_rules": dict(s.blocking_rules),
        "mean_score": s.mean_score,
        "max_pairs_bound": s.max_pairs_bound,
        "engine_seconds": round(s.seconds, 3),
        "seconds": round(time.perf_counter() - t0, 3),
        "today": today.isoformat(),
    }
    with transaction.atomic():
        mine = (
            MatchingRun.objects.select_for_update()
            .filter(pk=run.pk, status=RunStatus.RUNNING, claim=run.claim)
            .first()
        )
        if mine is None:
            raise RunLost(run.pk)
        earlier = MatchingRun.objects.filter(
            organisation=organisation, region=run.region, project=run.project, status=RunStatus.DRAFT
        ).exclude(pk=run.pk)
        stats["superseded"] = Proposal.objects.filter(run__in=earlier, state=ProposalState.PROPOSED).update(
            state=ProposalState.SUPERSEDED
        )
        earlier.update(status=RunStatus.CLOSED)
        run.status, run.phase, run.progress = RunStatus.DRAFT, RunPhase.DONE, 100
        run.finished_at, run.lease_until = timezone.now(), None
        run.weights = weights_to_mapping(weights)
        run.stats = stats
        run.unmatched = {
            pid: {"role": u.role, "rule": u.rule, "eliminated": u.eliminated}
            for pid, u in result.unmatched.items()
        }
        run.shortages = [sh.reason().params for sh in explained.shortages[:200]]
        run.save()
        record(
            actor=run.created_by or WORKER,
            action=EventType.MATCHING_RUN,
            obj=run,
            organisation=organisation,
            data={
                k: stats[k]
                for k in (
                    "pairs",
                    "newcomers",
                    "established",
                    "unmatched_newcomers",
                    "unmatched_established",
                    "mean_score",
                )
            },
        )
    if report.hook:
        report.hook(run)


@task()
def execute_matching_run(run_id: int) -> str:
    """The matching run's one background task, registered here beside the run it executes (imported
    by `kompis.matching.tasks` for the worker): a queued run, claimed with skip_locked, so a second
    worker gets nothing to do."""
    run = execute_run(run_id)
    return "skipped" if run is None else run.status


# --- recovery ------------------------------------------------------------------------------------


def recover_stale_runs(*, now: dt.datetime | None = None, organisation: Organisation | None = None) -> int:
    """Runs whose worker died (lease passed): queued again while attempts are left, else failed.
    Queued runs older than a lease are enqueued again (a lost enqueue; a second claim is harmless)."""
    now = now or timezone.now()
    qs = (
        MatchingRun.objects.all()
        if organisation is None
        else MatchingRun.objects.filter(organisation=organisation)
    )
    touched = 0
    with transaction.atomic():
        stale = list(
            qs.select_for_update(skip_locked=True).filter(status=RunStatus.RUNNING, lease_until__lt=now)
        )
        for run in stale:
            touched += 1
            if run.attempts >= MAX_ATTEMPTS:
                fail_run(run, RunError.WORKER_LOST)
                continue
            MatchingRun.objects.filter(pk=run.pk, claim=run.claim).update(
                status=RunStatus.QUEUED, phase=RunPhase.QUEUED, progress=0, claim="", lease_until=None
            )
            record(
                actor=WORKER,
                action=EventType.MATCHING_RUN_REQUEUED,
                obj=run,
                organisation=run.organisation,
                data={"attempts": run.attempts},
            )
            run_id = run.pk
            transaction.on_commit(functools.partial(_enqueue, run_id))
    if organisation is None:
        forgotten = MatchingRun.objects.filter(
            status=RunStatus.QUEUED, created_at__lt=now - dt.timedelta(seconds=lease_seconds())
        ).values_list("pk", flat=True)
        for run_id in forgotten:
            _enqueue(run_id)
    return touched


# --- inline (command line, tests) ----------------------------------------------------------------


def run_inline(
    *,
    actor: Actor,
    organisation: Organisation,
    region: Region | None = None,
    project: Project | None = None,
    solver: str = "fast",
    name: str = "",
    hook: ProgressHook | None = None,
    today: dt.date | None = None,
    seed: int = 0,
) -> MatchingRun:
    """Start a run and execute it in this process (no worker needed); refused like :func:`start_run`."""
    run = start_run(
        actor=actor,
        organisation=organisation,
        region=region,
        project=project,
        solver=solver,
        name=name,
        enqueue=False,
    )
    done = execute_run(run.pk, hook=hook, today=today, seed=seed)
    if done is None:  # somebody else claimed it in between: it runs there
        run.refresh_from_db()
        return run
    return done
