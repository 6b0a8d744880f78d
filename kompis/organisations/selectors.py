from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from kompis.organisations.models import Organisation, Project, Region
from kompis.outbox.contacts import Contact, ContactKey


def regions_of(*, organisation: Organisation) -> QuerySet[Region]:
    return (
        Region.objects.filter(organisation=organisation)
        .annotate(participant_count=Count("participants", distinct=True))
        .prefetch_related("municipalities")
    )


def projects_of(*, organisation: Organisation) -> QuerySet[Project]:
    return (
        Project.objects.filter(organisation=organisation).select_related("region").prefetch_related("targets")
    )


def contact_for(organisation: Organisation | None, region: Region | None) -> Contact | None:
    """The region's contact when the region has one (an e-mail address), else the organisation's.

    Never a mix of the two people: the name, e-mail and phone always come from the same place.
    None when neither has a contact e-mail (the mail then has no Reply-To and no contact block).
    """
    for source in (region, organisation):
        if source is not None and source.contact_email:
            return Contact(
                name=source.contact_name or str(getattr(source, "name", "")),
                email=source.contact_email,
                phone=source.contact_phone,
            )
    return None


def contacts_by_key(keys: Iterable[ContactKey]) -> dict[ContactKey, Contact | None]:
    """`contact_for` for many (organisation id, region id) pairs with two queries (bulk mail)."""
    keys = set(keys)
    fields = ("id", "name", "contact_name", "contact_email", "contact_phone")
    orgs = Organisation.objects.in_bulk({o for o, _r in keys if o}, field_name="id")
    regions = Region.objects.only(*fields).in_bulk({r for _o, r in keys if r})
    return {(o, r): contact_for(orgs.get(o) if o else None, regions.get(r) if r else None) for o, r in keys}


def landing_organisations() -> dict[str, QuerySet[Organisation]]:
    """The organisations the public landing page offers to sign up with (kompis.core.hooks)."""
    return {"organisations": Organisation.objects.all()}
