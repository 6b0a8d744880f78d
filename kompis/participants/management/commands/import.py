"""`kompis import FILE [--organisation SLUG] [--valid-only] [--dry-run] [--drop-unknown-interests]
[--drop-unknown-languages]`: import participants from a CSV or XLSX file (the participant CSV contract,
optionally with person columns).

The same reading, limits and validation as the staff import page (an import from the command line may add
people anywhere in the organisation, like an admin). Exit code 0 when the import (or the dry run)
succeeded, 2 on bad input: an unreadable or too large file, an unknown organisation, or invalid rows without
--valid-only. Every problem is printed as "Row 17, column signed_up: 'yesterday' is not a date
(YYYY-MM-DD)." and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompis.audit.actors import SystemActor
from kompis.organisations.models import Organisation
from kompis.participants import importing
from kompis.participants.import_services import ImportRefused, import_participants

MAX_PRINTED = 200

CLI = SystemActor("cli.import")


class Command(BaseCommand):
    help = "Import participants from a CSV or XLSX file (all rows or nothing, unless --valid-only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--organisation", help="organisation slug (needed when there are several)")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows, report the others"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument(
            "--drop-unknown-interests",
            action="store_true",
            help="leave out interests Kompis does not know (a warning per row) instead of rejecting the row",
        )
        parser.add_argument(
            "--drop-unknown-languages",
            action="store_true",
            help="leave out languages Kompis does not know (a warning per row) instead of rejecting the row",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        organisation = self._organisation(opts.get("organisation"))
        path = Path(opts["file"])
        try:
            if path.stat().st_size > importing.max_bytes():
                raise CommandError(
                    f"{path}: the file is larger than {importing.max_mb()} MB (IMPORT_MAX_MB).", returncode=2
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror or exc})", returncode=2) from exc
        try:
            table = importing.read_table(data, path.name)
        except importing.ImportFileError as exc:
            raise CommandError(f"{path}: {exc.message}", returncode=2) from exc
        for warning in table.warnings:
            self.stderr.write(f"{path}: {warning}")
        try:
            result = import_participants(
                actor=CLI,
                organisation=organisation,
                rows=table,
                valid_only=opts["valid_only"],
                dry_run=opts["dry_run"],
                options=importing.ImportOptions(
                    drop_unknown_interests=opts["drop_unknown_interests"],
                    drop_unknown_languages=opts["drop_unknown_languages"],
                ),
            )
        except ImportRefused as exc:
            if exc.validation is not None:
                self._report(exc.validation)
                v = exc.validation
                raise CommandError(
                    f"{path}: {v.rejected_count} of {v.row_count} rows are invalid; nothing was imported.",
                    returncode=2,
                ) from exc
            raise CommandError(f"{path}: {exc.message}", returncode=2) from exc
        v = result.validation
        self._report(v)
        if opts["dry_run"]:
            self.stdout.write(
                f"{path}: dry run, nothing written: {v.valid_count} of {v.row_count} rows valid, "
                f"{v.rejected_count} rejected."
            )
            return
        self.stdout.write(
            f"{path}: imported {result.created} participants into {organisation.slug}"
            + (f"; {result.rejected} rows rejected." if result.rejected else ".")
        )

    def _report(self, validation: importing.Validation) -> None:
        for warning in validation.row_warnings[:MAX_PRINTED]:
            self.stderr.write(f"warning: {warning.message}")
        for error in validation.errors[:MAX_PRINTED]:
            self.stderr.write(error.message)
        if len(validation.errors) > MAX_PRINTED:
            self.stderr.write(f"... and {len(validation.errors) - MAX_PRINTED} more problems.")

    def _organisation(self, slug: str | None) -> Organisation:
        if slug:
            try:
                return Organisation.objects.get(slug=slug)
            except Organisation.DoesNotExist as exc:
                raise CommandError(f"no organisation with slug {slug!r}", returncode=2) from exc
        organisations = list(Organisation.objects.all()[:2])
        if len(organisations) != 1:
            raise CommandError(
                "--organisation SLUG is required when there is not exactly one organisation", returncode=2
            )
        return organisations[0]
