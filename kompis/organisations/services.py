"""Every change an organisation admin makes to the organisation, its regions and its projects.

Keyword-only, atomic, given the acting user, writing an audit event with ids and field names only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.municipalities.models import Municipality
from kompis.organisations.logos import CleanLogo
from kompis.organisations.models import Organisation, OrganisationLogo, Project, ProjectTarget, Region

SETTINGS_FIELDS = (
    "name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "privacy_notice_url",
    "followup_days",
    "reminder_days",
)
REGION_FIELDS = ("name", "contact_name", "contact_email", "contact_phone")
PROJECT_FIELDS = ("name", "funder", "region", "starts_on", "ends_on", "description")


def _apply(obj: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    """Set the given fields from `data`; the names of those that changed."""
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


@transaction.atomic
def update_settings(
    *, actor: Actor, organisation: Organisation, data: Mapping[str, Any], logo: CleanLogo | None = None
) -> list[str]:
    """Save the settings form (and a new logo, if one was uploaded) as one change."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = _apply(locked, data, SETTINGS_FIELDS)
    if changed:
        locked.save(update_fields=changed)
        record(
            actor=actor, action=EventType.ORGANISATION_SETTINGS_CHANGED, obj=locked, data={"fields": changed}
        )
    if logo is not None:
        set_logo(actor=actor, organisation=locked, logo=logo)
    return changed


@transaction.atomic
def set_logo(*, actor: Actor, organisation: Organisation, logo: CleanLogo) -> None:
    OrganisationLogo.objects.update_or_create(
        organisation=organisation,
        defaults={"content_type": logo.content_type, "data": logo.data, "version": logo.version},
    )
    Organisation.objects.filter(pk=organisation.pk).update(logo_version=logo.version)
    organisation.logo_version = logo.version
    record(
        actor=actor,
        action=EventType.ORGANISATION_LOGO_CHANGED,
        obj=organisation,
        data={"version": logo.version, "content_type": logo.content_type, "bytes": len(logo.data)},
    )


@transaction.atomic
def remove_logo(*, actor: Actor, organisation: Organisation) -> bool:
    deleted, _ = OrganisationLogo.objects.filter(organisation=organisation).delete()
    Organisation.objects.filter(pk=organisation.pk).update(logo_version="")
    organisation.logo_version = ""
    if deleted:
        record(actor=actor, action=EventType.ORGANISATION_LOGO_REMOVED, obj=organisation)
    return bool(deleted)


def _codes(municipalities: Iterable[Municipality | str]) -> list[str]:
    return sorted(m if isinstance(m, str) else m.code for m in municipalities)


@transaction.atomic
def create_region(
    *,
    actor: Actor,
    organisation: Organisation,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality | str],
) -> Region:
    region = Region(organisation=organisation)
    _apply(region, data, REGION_FIELDS)
    region.save()
    codes = _codes(municipalities)
    region.municipalities.set(Municipality.objects.filter(code__in=codes))
    record(actor=actor, action=EventType.REGION_CREATED, obj=region, data={"municipalities": codes})
    return region


@transaction.atomic
def update_region(
    *, actor: Actor, region: Region, data: Mapping[str, Any], municipalities: Iterable[Municipality | str]
) -> None:
    region = Region.objects.select_for_update().get(pk=region.pk)
    changed = _apply(region, data, REGION_FIELDS)
    if changed:
        region.save(update_fields=changed)
    before = set(region.municipalities.values_list("code", flat=True))
    after = set(_codes(municipalities))
    if before != after:
        region.municipalities.set(Municipality.objects.filter(code__in=after))
    if changed or before != after:
        record(
            actor=actor,
            action=EventType.REGION_CHANGED,
            obj=region,
            data={
                "fields": changed,
                "municipalities_added": sorted(after - before),
                "municipalities_removed": sorted(before - after),
            },
        )


def _save_targets(project: Project, targets: Mapping[str, int | None]) -> dict[str, int | None]:
    """Create, change or delete the project's targets; returns what changed (kind → new number or None)."""
    existing = {t.kind: t for t in project.targets.all()}
    changes: dict[str, int | None] = {}
    for kind, number in targets.items():
        current = existing.get(kind)
        if number is None:
            if current is not None:
                current.delete()
                changes[kind] = None
        elif current is None:
            ProjectTarget.objects.create(project=project, kind=kind, target=number)
            changes[kind] = number
        elif current.target != number:
            current.target = number
            current.save(update_fields=["target"])
            changes[kind] = number
    return changes


@transaction.atomic
def create_project(
    *, actor: Actor, organisation: Organisation, data: Mapping[str, Any], targets: Mapping[str, int | None]
) -> Project:
    project = Project(organisation=organisation)
    _apply(project, data, PROJECT_FIELDS)
    project.save()
    changes = _save_targets(project, targets)
    record(
        actor=actor,
        action=EventType.PROJECT_CREATED,
        obj=project,
        data={"region": str(project.region.uid) if project.region else None, "targets": changes},
    )
    return project


@transaction.atomic
def update_project(
    *, actor: Actor, project: Project, data: Mapping[str, Any], targets: Mapping[str, int | None]
) -> None:
    project = Project.objects.select_for_update().get(pk=project.pk)
    changed = _apply(project, data, PROJECT_FIELDS)
    if changed:
        project.save(update_fields=changed)
    changes = _save_targets(project, targets)
    if changed or changes:
        record(
            actor=actor,
            action=EventType.PROJECT_CHANGED,
            obj=project,
            data={"fields": changed, "targets": changes},
        )
