"""Edits in the Django admin (superusers only) take the same audit path as every other write (issue 11)."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry

from kompis.audit.models import AuditEvent
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.organisations.models import Region


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(username="root@kompis.test", password="x-Passw0rd-long")


def region_form(region: Region, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organisation": region.organisation_id,
        "name": region.name,
        "contact_name": region.contact_name,
        "contact_email": region.contact_email,
        "contact_phone": region.contact_phone,
        "municipalities": [m.pk for m in region.municipalities.all()],
    }
    data.update(changes)
    return data


def test_a_change_in_the_django_admin_is_audited_with_ids_only(client, world, superuser):
    region = world.uppsala
    client.force_login(superuser)
    response = client.post(
        f"/django-admin/organisations/region/{region.pk}/change/", region_form(region, name="Uppsala län")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    region.refresh_from_db()
    assert region.name == "Uppsala län"
    event = AuditEvent.objects.get(action="admin.changed")
    entry = LogEntry.objects.get()
    assert event.actor == superuser and event.object_type == "organisations.region"
    assert event.object_id == str(region.uid) and event.organisation_id == region.organisation_id
    assert event.data == {"admin_log_entry": entry.pk}  # which fields changed is in Django's own log entry
    assert "Uppsala län" not in str(event.data)
    lines = history_lines(superuser, history_of(region))
    assert [line.code for line in lines] == ["admin.changed"]
    assert lines[0].text.startswith("Changed in the Django admin")


def test_a_deletion_in_the_django_admin_is_audited_although_the_object_is_gone(client, world, superuser):
    region = Region.objects.create(organisation=world.org, name="Kiruna")
    pk = region.pk  # the object is gone: the event names it by its primary key
    client.force_login(superuser)
    response = client.post(f"/django-admin/organisations/region/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Region.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="admin.deleted")
    assert event.object_type == "organisations.region" and event.object_id == str(pk)
    assert event.actor == superuser


def test_no_audit_event_without_an_admin_edit(client, world, superuser):
    client.force_login(superuser)
    assert client.get(f"/django-admin/organisations/region/{world.uppsala.pk}/change/").status_code == 200
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()
