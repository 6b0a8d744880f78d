"""Importing participants: one transaction, everything or nothing (or only the valid rows, when asked)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.audit.services import SYSTEM, record
from kompis.organisations.models import Organisation
from kompis.participants.importing import Table, Validation, validate
from kompis.participants.models import Participant
from kompis.participants.services import region_for
from kompis.participants.vocab import Source

BATCH_SIZE = 2000


class ImportRefused(Exception):
    """Nothing was written: some rows are invalid (and not only the valid rows were asked for), or the
    participants changed while importing."""

    def __init__(self, validation: Validation | None, message: str = "") -> None:
        super().__init__(message or "invalid rows")
        self.validation = validation
        self.message = message


@dataclass(frozen=True)
class ImportResult:
    created: int
    rejected: int
    validation: Validation


def import_participants(
    *, actor: Any, organisation: Organisation, rows: Table, filename: str = "", valid_only: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Validate `rows` (the cells of an uploaded file, see `importing.read_table`) against the database as it
    is now, then create the participants in one transaction.

    Any invalid row refuses the whole import (ImportRefused, nothing written) unless `valid_only`: then
    the valid rows are imported and the invalid ones reported. Imported participants are waiting (or the
    file's status), have source "import", their region from the municipality, no verified e-mail. The audit
    log gets one "participant.imported" event per participant and one "participants.imported" event on the
    organisation, all naming the file.
    """
    filename = filename or rows.filename
    try:
        with transaction.atomic():
            validation = validate(rows, organisation=organisation)
            if validation.errors and not valid_only:
                raise ImportRefused(validation)
            if dry_run:
                return ImportResult(created=0, rejected=validation.rejected_count, validation=validation)
            created = _create(actor=actor, organisation=organisation, validation=validation, filename=filename,
                              valid_only=valid_only)
    except IntegrityError as exc:  # someone added the same id or e-mail meanwhile
        raise ImportRefused(
            None, _("Participants with the same id or e-mail address were added while importing. "
                    "Nothing was imported; please check the file again.")
        ) from exc
    return ImportResult(created=created, rejected=validation.rejected_count, validation=validation)


def _create(*, actor: Any, organisation: Organisation, validation: Validation, filename: str,
            valid_only: bool) -> int:
    if not validation.valid:
        return 0
    regions: dict[str, Any] = {}
    for row in validation.valid:
        code = row.values["municipality_id"]
        if code not in regions:
            regions[code] = region_for(organisation=organisation, municipality_code=code)
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user is not None else str(actor or SYSTEM)
    object_type = Participant._meta.label_lower
    batch: list[Participant] = []
    events: list[AuditEvent] = []
    created = 0

    def flush() -> None:
        Participant.objects.bulk_create(batch, batch_size=500)
        AuditEvent.objects.bulk_create(events, batch_size=500)
        batch.clear()
        events.clear()

    for row in validation.valid:
        participant = Participant(
            organisation=organisation, region=regions[row.values["municipality_id"]], source=Source.IMPORT,
            email_verified_at=None, **row.values,
        )
        batch.append(participant)
        events.append(AuditEvent(
            actor=user, actor_label=label, organisation=organisation, action="participant.imported",
            object_type=object_type, object_id=str(participant.uid), summary=filename[:200],
            data={"file": filename, "line": row.line},
        ))
        created += 1
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    record(
        actor=actor, action="participants.imported", obj=organisation, organisation=organisation,
        summary=filename[:200],
        data={"file": filename, "created": created, "rejected": validation.rejected_count,
              "rows": validation.row_count, "valid_only": valid_only},
    )
    return created
