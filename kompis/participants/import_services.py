"""Importing participants: one transaction, everything or nothing (or only the valid rows, when asked)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.accounts.models import User
from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import BulkRecorder, record
from kompis.core.bulk import Inserter
from kompis.organisations.models import Organisation, Region
from kompis.participants.importing import ImportOptions, Table, Validation, validate
from kompis.participants.models import FRIEND_FIELDS, FriendParticipation, Participant
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


def allowed_municipalities(actor: Actor, organisation: Organisation) -> set[str] | None:
    """The municipality codes `actor` may add people in: None (anywhere) for an admin of the organisation and
    for the command line; for a coordinator the municipalities whose participants land in one of their
    regions (the region `region_for` gives: the organisation's first region covering the municipality)."""
    if not isinstance(actor, User) or actor.is_org_admin:
        return None
    mine = set(actor.regions.filter(organisation=organisation).values_list("pk", flat=True))
    region_of: dict[str, int] = {}
    for code, region_id in (
        Region.objects.filter(organisation=organisation, municipalities__isnull=False)
        .order_by("id")
        .values_list("municipalities__code", "id")
    ):
        region_of.setdefault(code, region_id)
    return {code for code, region_id in region_of.items() if region_id in mine}


def validate_for(
    table: Table, *, actor: Actor, organisation: Organisation, options: ImportOptions | None = None
) -> Validation:
    """The validation an import by `actor` gets (the preview shows exactly this)."""
    return validate(
        table,
        organisation=organisation,
        allowed_municipalities=allowed_municipalities(actor, organisation),
        options=options,
    )


def import_participants(
    *,
    actor: Actor,
    organisation: Organisation,
    rows: Table,
    valid_only: bool = False,
    dry_run: bool = False,
    options: ImportOptions | None = None,
) -> ImportResult:
    """Validate `rows` (the cells of an uploaded file, see `importing.read_table`) against the database as it
    is now, then create the participants in one transaction.

    Any invalid row refuses the whole import (ImportRefused, nothing written) unless `valid_only`: then
    the valid rows are imported and the invalid ones reported. Imported participants take part in friend
    matching (a FriendParticipation each, written with the person): waiting (or the file's status) since the
    date they signed up; they have source "import", their region from the municipality, no verified e-mail. The audit
    log gets one "participant.imported" event per participant and one "participants.imported" event on the
    organisation, naming the import by a new id (and each participant's line in the file); the file's name
    is never stored in the log.

    A coordinator may only add people in their own regions: a row whose municipality lies elsewhere is
    rejected (an admin may import anywhere in the organisation). `options` may turn unknown interests or
    languages into warnings (they are left out) instead of rejecting the row.
    """
    try:
        with transaction.atomic():
            validation = validate_for(rows, actor=actor, organisation=organisation, options=options)
            if validation.errors and not valid_only:
                raise ImportRefused(validation)
            if dry_run:
                return ImportResult(created=0, rejected=validation.rejected_count, validation=validation)
            created = _create(
                actor=actor,
                organisation=organisation,
                validation=validation,
                valid_only=valid_only,
            )
    except IntegrityError as exc:  # someone added the same id or e-mail meanwhile
        raise ImportRefused(
            None,
            _(
                "Participants with the same id or e-mail address were added while importing. "
                "Nothing was imported; please check the file again."
            ),
        ) from exc
    return ImportResult(created=created, rejected=validation.rejected_count, validation=validation)


def _create(*, actor: Actor, organisation: Organisation, validation: Validation, valid_only: bool) -> int:
    if not validation.valid:
        return 0
    regions: dict[str, int | None] = {}
    for row in validation.valid:
        code = row.values["municipality_id"]
        if code not in regions:
            region = region_for(organisation=organisation, municipality_code=code)
            regions[code] = region.pk if region is not None else None
    now = timezone.now()
    import_id = str(uuid.uuid4())
    constant = {
        "organisation": organisation.pk,
        "source": Source.IMPORT,
        "email_verified_at": None,
        "updated_at": now,
    }
    participants = Inserter(Participant, constant, batch_size=BATCH_SIZE)
    # their participation in friend matching: a second Inserter, keyed by the person's id (read back by uid,
    # one query per batch)
    friends = Inserter(
        FriendParticipation,
        {"organisation": organisation.pk, "rematch_priority": False, "paused_until": None, "updated_at": now},
        batch_size=BATCH_SIZE,
    )
    # one event per participant, naming the import (its id) and the file's line, never the file's name
    events = BulkRecorder(
        actor=actor,
        action=EventType.PARTICIPANT_IMPORTED,
        object_type=Participant._meta.label_lower,
        organisation_id=organisation.pk,
    )
    for start in range(0, len(validation.valid), BATCH_SIZE):
        batch = [(uuid.uuid4(), row) for row in validation.valid[start : start + BATCH_SIZE]]
        for uid, row in batch:
            participants.add({**row.values, "uid": uid, "region": regions[row.values["municipality_id"]]})
            events.add(object_id=str(uid), data={"import": import_id, "line": row.line})
        participants.flush()
        ids = dict(Participant.objects.filter(uid__in=[uid for uid, _row in batch]).values_list("uid", "pk"))
        for uid, row in batch:
            friends.add(
                {
                    "participant": ids[uid],
                    **{name: row.values[name] for name in FRIEND_FIELDS},
                    "status": row.values["status"],
                    "waiting_since": row.values["signed_up_at"],
                }
            )
    friends.flush()
    events.flush()
    record(
        actor=actor,
        action=EventType.PARTICIPANTS_IMPORTED,
        obj=organisation,
        organisation=organisation,
        data={
            "import": import_id,
            "created": participants.count,
            "rejected": validation.rejected_count,
            "rows": validation.row_count,
            "valid_only": valid_only,
            "warnings": len(validation.row_warnings),
        },
    )
    return participants.count
