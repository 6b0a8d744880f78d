"""Writing the audit log. Every service function that changes data calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from kompis.audit.models import AuditEvent

SYSTEM = "system"
PARTICIPANT = "participant"


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    summary: str = "",
    data: dict[str, Any] | None = None,
    organisation: Any = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user, or a label such as "participant" or "system"."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user is not None else str(actor or SYSTEM)
    if organisation is None:
        organisation = getattr(obj, "organisation", None)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "uid", None) or obj.pk),
        summary=summary,
        data=data or {},
    )


def record_many(*, actor: Any, action: str, objects: list[Any], summary: str = "") -> int:
    """The same event for many objects, in one statement (sweeps over thousands of rows)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user is not None else str(actor or SYSTEM)
    events = [
        AuditEvent(
            actor=user,
            actor_label=label,
            organisation=getattr(obj, "organisation", None),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(getattr(obj, "uid", None) or obj.pk),
            summary=summary,
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
