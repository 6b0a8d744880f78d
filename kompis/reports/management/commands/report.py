"""`kompis report --organisation SLUG [--project NAME-or-uid] [--municipality CODE] --period 2026
--format pdf|xlsx|csv --output FILE [--language sv|en]`: the funder report, written atomically."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation, Project
from kompis.reports.periods import PeriodError, parse_period
from kompis.reports.scope import ReportScope


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Write an impact report (PDF, XLSX or CSV) for an organisation, a project or a municipality."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--project", help="project name or uid")
        parser.add_argument("--municipality", help="4-digit municipality code (SCB), e.g. 0380")
        parser.add_argument(
            "--period",
            required=True,
            help="2026, 2026-Q3, 2026-05 or 2026-01-01..2026-06-30 (Europe/Stockholm dates)",
        )
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx", "csv"])
        parser.add_argument("--output", required=True, help="file to write (replaced atomically)")
        parser.add_argument("--language", default="sv", choices=["sv", "en"])

    def handle(self, *args: Any, **opts: Any) -> None:  # Any: parsed options, as BaseCommand declares them
        from kompis.reports.report import build_report
        from kompis.reports.views import render_report

        with translation.override(opts["language"]):
            try:  # checked first: a typo is reported without touching the database
                period = parse_period(opts["period"])
            except PeriodError as exc:
                raise fail(str(exc)) from None
        try:
            org = Organisation.objects.get(slug=opts["organisation"])
        except Organisation.DoesNotExist:
            raise fail(f"Unknown organisation {opts['organisation']!r}.") from None
        project = None
        if opts.get("project"):
            projects = Project.objects.filter(organisation=org)
            try:
                project = projects.get(uid=uuid.UUID(opts["project"]))
            except (ValueError, Project.DoesNotExist):
                matches = list(projects.filter(name__iexact=opts["project"]))
                if len(matches) != 1:
                    names = ", ".join(sorted(projects.values_list("name", flat=True))) or "none"
                    raise fail(
                        f"Unknown project {opts['project']!r} in {org.slug} (projects: {names})."
                    ) from None
                project = matches[0]
        municipality = None
        if opts.get("municipality"):
            municipality = Municipality.objects.filter(code=opts["municipality"]).first()
            if municipality is None:
                raise fail(f"Unknown municipality code {opts['municipality']!r} (4 digits, e.g. 0380).")
        with translation.override(opts["language"]):
            scope = ReportScope(organisation=org, project=project, municipality=municipality)
            report = build_report(scope, period, charts=opts["format"] == "pdf")
            data = render_report(report, opts["format"])
        out = Path(opts["output"])
        if not out.parent.is_dir():
            raise fail(f"No such directory: {out.parent}")
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes): {report.title}, {period.label}.")
