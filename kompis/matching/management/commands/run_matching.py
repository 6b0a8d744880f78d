"""`kompis run-matching --organisation SLUG [--region NAME | --project NAME]`: a matching run from the command
line (e.g. a nightly draft run for large pools). The proposals still need a coordinator's approval.

By default the run happens in this process with a progress bar by phase (no worker needed); with
``--background`` it is queued for `kompis worker` like a run started in the browser and the bar follows it
(``--no-wait`` only queues it). An overlapping run that is queued or running refuses the new one (exit 1)."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, Never

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kompis.audit.actors import SystemActor
from kompis.matching import runs
from kompis.matching.models import MatchingRun, RunPhase, RunStatus, Solver
from kompis.organisations.models import Organisation, Project, Region

if TYPE_CHECKING:
    from tqdm import tqdm


class Bar:
    """A tqdm bar in percent whose description is the run's phase."""

    def __init__(self, enabled: bool) -> None:
        self.bar: tqdm[Never] | None = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=100, unit="%", file=sys.stderr, bar_format="{desc:<34} {bar} {n:>3}%")

    def __call__(self, run: MatchingRun) -> None:
        if self.bar is None:
            return
        self.bar.set_description_str(str(RunPhase(run.phase).label) if run.phase else "")
        self.bar.update(max(0, run.progress - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


CLI = SystemActor("cli.match")


class Command(BaseCommand):
    help = "Propose matches for the waiting participants of an organisation, region or project (a draft run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--region", help="region name")
        parser.add_argument("--project", help="project name")
        parser.add_argument("--solver", choices=Solver.values, default=Solver.FAST)
        parser.add_argument("--name", default="", help="name of the run (default: scope and date)")
        parser.add_argument(
            "--background", action="store_true", help="queue the run for `kompis worker` and follow it"
        )
        parser.add_argument("--no-wait", action="store_true", help="with --background: only queue the run")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **opts: Any) -> None:
        translation.activate("en")
        try:
            org = Organisation.objects.get(slug=opts["organisation"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"no organisation with slug {opts['organisation']!r}", returncode=2) from exc
        region: Region | None = None
        project: Project | None = None
        try:
            if opts.get("region"):
                region = org.regions.get(name=opts["region"])
            if opts.get("project"):
                project = org.projects.get(name=opts["project"])
        except Exception as exc:  # DoesNotExist of either
            what = "region" if region is None and opts.get("region") else "project"
            raise CommandError(f"no {what} {opts[what]!r} in {org.slug}", returncode=2) from exc
        bar = Bar(not opts["no_progress"])
        try:
            if opts["background"]:
                run = runs.start_run(
                    actor=CLI,
                    organisation=org,
                    region=region,
                    project=project,
                    solver=opts["solver"],
                    name=opts["name"],
                )
                self.stdout.write(f"run {run.uid} queued for the worker")
                if opts["no_wait"]:
                    return
                run = self._follow(run, bar)
            else:
                run = runs.run_inline(
                    actor=CLI,
                    organisation=org,
                    region=region,
                    project=project,
                    solver=opts["solver"],
                    name=opts["name"],
                    hook=bar,
                )
        except runs.RunRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        finally:
            bar.close()
        if run.status == RunStatus.FAILED:
            raise CommandError(f"run {run.uid} failed: {run.get_error_display()}", returncode=1)
        s = run.stats
        self.stdout.write(
            f"run {run.uid}: {s['pairs']} proposals; unmatched {s['unmatched_newcomers']} newcomers, "
            f"{s['unmatched_established']} established; mean score {s['mean_score']}; {s['seconds']}s"
        )

    def _follow(self, run: MatchingRun, bar: Bar) -> MatchingRun:
        """Poll the run until the worker has finished it (Ctrl-C leaves it running)."""
        while True:
            run.refresh_from_db()
            bar(run)
            if not run.is_active:
                return run
            time.sleep(0.5)
