"""`kompis export-participants --organisation SLUG --format matching|full --output FILE [--filetype csv|xlsx]`.

`matching` writes exactly the participant CSV contract read by `kompis match` and `kompis import`
(id = the participant's uid), for the people who take part in friend matching; `full` (everyone) adds names,
e-mail, phone, status, region, project and availability.
The file type follows the output's extension (.csv or .xlsx) unless --filetype is given.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompis.audit.actors import SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Organisation
from kompis.participants import exporting
from kompis.participants.models import Participant
from kompis.participants.vocab import Status

CLI = SystemActor("cli.export")


class Command(BaseCommand):
    help = "Export an organisation's participants as CSV or XLSX (matching contract or full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--format", choices=exporting.FORMATS, default="matching", dest="fmt")
        parser.add_argument("--output", required=True, help="the file to write (.csv or .xlsx)")
        parser.add_argument(
            "--filetype", choices=exporting.FILETYPES, help="default: from the output's extension"
        )
        parser.add_argument(
            "--status",
            action="append",
            choices=Status.values,
            help="only participants with this status in friend matching (repeatable); default: all",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            organisation = Organisation.objects.get(slug=opts["organisation"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"no organisation with slug {opts['organisation']!r}", returncode=2) from exc
        output = Path(opts["output"])
        filetype = opts.get("filetype") or output.suffix.lower().lstrip(".")
        if filetype not in exporting.FILETYPES:
            raise CommandError(
                f"{output}: cannot tell the file type; use a .csv or .xlsx name or --filetype", returncode=2
            )
        qs = Participant.objects.filter(organisation=organisation)
        if opts["fmt"] == "matching":
            qs = qs.filter(friend_matching__isnull=False)
        if opts.get("status"):
            qs = qs.filter(friend_matching__status__in=opts["status"])
        count = qs.count()
        tmp = output.with_name(f".{output.name}.tmp")
        try:
            with tmp.open("wb") as fh:
                exporting.write(fh, exporting.export_queryset(qs, opts["fmt"]), opts["fmt"], filetype)
            os.replace(tmp, output)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(
                f"{output}: cannot write the file ({exc.strerror or exc})", returncode=2
            ) from exc
        record(
            actor=CLI,
            action=EventType.PARTICIPANTS_EXPORTED,
            obj=organisation,
            organisation=organisation,
            data={"count": count, "format": filetype, "columns": opts["fmt"], "file": output.name},
        )
        self.stdout.write(f"{output}: {count} participants ({opts['fmt']}, {filetype})")
