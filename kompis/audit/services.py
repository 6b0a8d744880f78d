"""Writing the audit log: the one path every state change takes (`record`, `record_many`, `BulkRecorder`).

An event is an `EventType` code, a typed actor (`kompis.audit.actors`), the object's type and id, and a
small `data` dict. `check_data` keeps personal data out of it: values are ids, counts, booleans, dates,
roles and coded reasons (strings without spaces, at most 64 characters), or lists of those. Free text stays
on its object (a note, the match's end reason), where an erasure can reach it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

from django.db import models
from django.utils import timezone

from kompis.audit.actors import Actor, label_of, user_of
from kompis.audit.events import EventType
from kompis.audit.models import AuditEvent
from kompis.core.bulk import Inserter

Scalar: TypeAlias = "str | int | float | bool | None"
DataValue: TypeAlias = "Scalar | Sequence[Scalar] | Mapping[str, DataValue]"
Data: TypeAlias = Mapping[str, DataValue]

#: longest string value an event's data may hold (a uid is 36, a date-time 32)
MAX_CODE_LENGTH = 64


class PersonalDataInAudit(ValueError):
    """An event's data held something that looks like free text."""


def _check_scalar(key: str, value: object) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if len(value) > MAX_CODE_LENGTH or any(ch.isspace() for ch in value) or "@" in value:
            raise PersonalDataInAudit(
                f"audit data {key!r} must be an id or a code, not free text or an address: {value[:20]!r}…"
            )
        return
    raise PersonalDataInAudit(f"audit data {key!r} must be a plain value, not {type(value).__name__}")


def check_data(data: Data | None) -> dict[str, Any]:
    """The data as stored, after checking that it holds ids and codes only (nested dicts of them too)."""
    checked: dict[str, Any] = {}
    for key, value in (data or {}).items():
        _check_scalar("key", key)
        if isinstance(value, Mapping):
            checked[key] = check_data(value)
        elif isinstance(value, list | tuple):
            for item in value:
                _check_scalar(key, item)
            checked[key] = list(value)
        else:
            _check_scalar(key, value)
            checked[key] = value
    return checked


def object_ref(obj: models.Model) -> tuple[str, str]:
    """(type, id) as the log names an object: its uid where it has one, else its primary key."""
    return obj._meta.label_lower, str(getattr(obj, "uid", None) or obj.pk)


def _organisation_id(obj: models.Model | None, organisation: models.Model | None) -> int | None:
    if organisation is not None:
        return int(organisation.pk)
    if obj is not None:
        value = getattr(obj, "organisation_id", None)
        return int(value) if value is not None else None
    return None


def record(
    *,
    actor: Actor,
    action: EventType,
    obj: models.Model,
    data: Data | None = None,
    organisation: models.Model | None = None,
) -> AuditEvent:
    """Append one audit event about `obj`."""
    object_type, object_id = object_ref(obj)
    return record_ref(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        organisation_id=_organisation_id(obj, organisation),
        data=data,
    )


def record_ref(
    *,
    actor: Actor,
    action: EventType,
    object_type: str,
    object_id: str,
    organisation_id: int | None = None,
    data: Data | None = None,
) -> AuditEvent:
    """Append one audit event about an object named by type and id (one that may be gone, as after a delete)."""
    user = user_of(actor)
    return AuditEvent.objects.create(
        actor_id=user.pk if user is not None else None,
        actor_label=label_of(actor),
        organisation_id=organisation_id,
        action=EventType(action).value,
        object_type=object_type,
        object_id=object_id,
        data=check_data(data),
    )


def record_many(
    *, actor: Actor, action: EventType, objects: Iterable[models.Model], data: Data | None = None
) -> int:
    """The same event for many objects, in one statement (sweeps over thousands of rows)."""
    user = user_of(actor)
    label = label_of(actor)
    checked = check_data(data)
    events = []
    for obj in objects:
        object_type, object_id = object_ref(obj)
        events.append(
            AuditEvent(
                actor_id=user.pk if user is not None else None,
                actor_label=label,
                organisation_id=_organisation_id(obj, None),
                action=EventType(action).value,
                object_type=object_type,
                object_id=object_id,
                data=checked,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


class BulkRecorder:
    """One event per row for a write of many thousands (an import): batched INSERTs, the same checks.

    `add(object_id, data)` queues one event; `flush()` writes what is queued. Use inside the transaction that
    writes the rows, so the log and the rows land together or not at all."""

    def __init__(
        self, *, actor: Actor, action: EventType, object_type: str, organisation_id: int | None
    ) -> None:
        user = user_of(actor)
        self._inserter = Inserter(
            AuditEvent,
            {
                "at": timezone.now(),
                "actor": user.pk if user is not None else None,
                "actor_label": label_of(actor),
                "organisation": organisation_id,
                "action": EventType(action).value,
                "object_type": object_type,
            },
        )

    def add(self, *, object_id: str, data: Data | None = None) -> None:
        self._inserter.add({"object_id": object_id, "data": check_data(data)})

    def flush(self) -> None:
        self._inserter.flush()

    @property
    def count(self) -> int:
        return self._inserter.count
