"""Django admin edits go through the same audit path as every other write.

The admin writes a `LogEntry` for each addition, change and deletion; each one becomes an audit event about
the same object (its uid where it has one), naming the LogEntry by id (which keeps the changed fields' names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver

from kompis.audit.events import EventType
from kompis.audit.services import record_ref

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

ADMIN_EVENTS = {
    ADDITION: EventType.ADMIN_ADDED,
    CHANGE: EventType.ADMIN_CHANGED,
    DELETION: EventType.ADMIN_DELETED,
}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log-entry")
def audit_admin_edit(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created or instance.action_flag not in ADMIN_EVENTS or instance.content_type_id is None:
        return
    content_type = ContentType.objects.get_for_id(instance.content_type_id)
    object_id = str(instance.object_id or "")
    organisation_id = None
    model = content_type.model_class()
    if model is not None and instance.action_flag != DELETION:
        obj = model._default_manager.filter(pk=instance.object_id).first()
        if obj is not None:
            object_id = str(getattr(obj, "uid", None) or obj.pk)
            organisation_id = getattr(obj, "organisation_id", None)
    record_ref(
        actor=cast("AbstractBaseUser", instance.user),  # the stubs type LogEntry.user loosely
        action=ADMIN_EVENTS[instance.action_flag],
        object_type=f"{content_type.app_label}.{content_type.model}",
        object_id=object_id,
        organisation_id=organisation_id,
        data={"admin_log_entry": instance.pk},
    )
