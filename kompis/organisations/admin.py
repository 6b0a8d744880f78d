"""Django admin (superusers only): setting up organisations, their regions, projects and targets."""

from django.contrib import admin

from kompis.organisations.models import Organisation, Project, ProjectTarget, Region


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug", "followup_days", "reminder_days")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    filter_horizontal = ("municipalities",)


class TargetInline(admin.TabularInline[ProjectTarget, Project]):
    model = ProjectTarget
    extra = 1


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ("name", "organisation", "region", "funder", "starts_on", "ends_on")
    list_filter = ("organisation",)
    inlines = [TargetInline]
