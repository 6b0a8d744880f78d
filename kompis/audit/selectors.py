from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from kompis.audit.models import AuditEvent


def history_of(obj: models.Model) -> QuerySet[AuditEvent]:
    """The audit trail of one object, newest first."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(getattr(obj, "uid", None) or obj.pk)
    ).select_related("actor")
