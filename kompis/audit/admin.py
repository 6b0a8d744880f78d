from typing import Any

from django.contrib import admin

from kompis.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "organisation")
    search_fields = ("object_id", "actor_label")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
