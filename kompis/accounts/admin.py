"""Django admin (superusers only): staff users with their organisation, role, regions and projects."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kompis.accounts.models import User


@admin.register(User)
class StaffAdmin(UserAdmin[User]):
    list_display = ("username", "email", "organisation", "role", "is_superuser")
    list_filter = ("organisation", "role", "is_superuser")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Kompis", {"fields": ("organisation", "role", "regions", "projects")}),
    )
    filter_horizontal = ("regions", "projects", "groups", "user_permissions")
