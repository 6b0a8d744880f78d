"""`kompis match --organisation SLUG [--region NAME | --project NAME]`: a matching run from the command line
(e.g. a nightly draft run for large pools). The proposals still need a coordinator's approval."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompis.matching import services
from kompis.matching.models import Solver
from kompis.organisations.models import Organisation


class Command(BaseCommand):
    help = "Propose matches for the waiting participants of an organisation, region or project (a draft run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--region", help="region name")
        parser.add_argument("--project", help="project name")
        parser.add_argument("--solver", choices=Solver.values, default=Solver.FAST)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            org = Organisation.objects.get(slug=opts["organisation"])
            region = org.regions.get(name=opts["region"]) if opts.get("region") else None
            project = org.projects.get(name=opts["project"]) if opts.get("project") else None
        except Exception as exc:  # DoesNotExist of any of the three
            raise CommandError(f"not found: {exc}") from exc
        run = services.run_matching(
            actor="system", organisation=org, region=region, project=project, solver=opts["solver"]
        )
        s = run.stats
        self.stdout.write(
            f"run {run.uid}: {s['pairs']} proposals; unmatched {s['unmatched_newcomers']} newcomers, "
            f"{s['unmatched_established']} established; mean score {s['mean_score']}; {s['seconds']}s"
        )
