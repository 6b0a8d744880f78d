"""Organisation admins manage staff: role, regions and projects, deactivation; never deleting anyone."""

from __future__ import annotations

from django.urls import reverse

from kompis.accounts.models import Role, User
from kompis.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user


def test_invite_refuses_an_address_that_has_an_account(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("team:invite"), {"email": "Uppsala@kompis.test", "role": "viewer"})
    assert response.status_code == 200
    assert "There is already a staff account with the e-mail uppsala@kompis.test" in response.content.decode()


def test_coordinator_needs_a_region_or_project(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("team:invite"), {"email": "x@kompis.test", "role": "coordinator"})
    assert response.status_code == 200
    assert "A coordinator needs at least one region or project." in response.content.decode()
    assert not User.objects.filter(username="x@kompis.test").exists()


def test_invite_cannot_name_another_organisations_region(client, world):
    client.force_login(world.admin)
    foreign = world.other_org.regions.get()
    response = client.post(
        reverse("team:invite"), {"email": "x@kompis.test", "role": "coordinator", "regions": [foreign.pk]}
    )
    assert response.status_code == 200 and not User.objects.filter(username="x@kompis.test").exists()


def test_admin_changes_role_and_scope(client, world):
    client.force_login(world.admin)
    member = world.danderyd_coordinator
    response = client.post(
        reverse("team:detail", args=[member.uid]),
        {
            "role": "coordinator",
            "regions": [world.danderyd.pk, world.lulea.pk],
            "projects": [world.project.pk],
        },
    )
    assert response.status_code == 302
    assert set(member.regions.all()) == {world.danderyd, world.lulea}
    assert list(member.projects.all()) == [world.project]
    response = client.post(reverse("team:detail", args=[member.uid]), {"role": "viewer"})
    member.refresh_from_db()
    assert member.role == Role.VIEWER and not member.regions.exists() and not member.projects.exists()
    event = AuditEvent.objects.filter(action="staff.changed", object_id=str(member.uid)).order_by("id").last()
    assert event.data["role"] == "viewer" and event.data["previous_role"] == "coordinator"


def test_last_admin_cannot_be_demoted_or_deactivated(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("team:detail", args=[world.admin.uid]), {"role": "viewer"})
    assert response.status_code == 200
    assert "at least one active admin" in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.role == Role.ADMIN


def test_admin_cannot_deactivate_themselves(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("team:deactivate", args=[world.admin.uid]), follow=True)
    assert "You cannot deactivate yourself." in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_deactivated_staff_cannot_log_in_and_keep_their_history(client, world):
    member = world.uppsala_coordinator
    other = client.__class__()
    other.force_login(member)
    assert other.get(reverse("participants:list")).status_code == 200
    client.force_login(world.admin)
    assert client.post(reverse("team:deactivate", args=[member.uid])).status_code == 302
    member.refresh_from_db()
    assert not member.is_active and User.objects.filter(pk=member.pk).exists()
    # the open session ends, and the password no longer logs in
    assert other.get(reverse("participants:list")).status_code == 302
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": member.username, "password": PASSWORD})
    assert response.status_code == 200
    client.force_login(world.admin)
    client.post(reverse("team:reactivate", args=[member.uid]))
    member.refresh_from_db()
    assert member.is_active
    actions = list(
        AuditEvent.objects.filter(object_id=str(member.uid)).order_by("id").values_list("action", flat=True)
    )
    assert actions[-2:] == ["staff.deactivated", "staff.reactivated"]


def test_staff_list_shows_status(client, world):
    world.viewer.is_active = False
    world.viewer.save()
    client.force_login(world.admin)
    client.post(reverse("team:invite"), {"email": "ny@kompis.test", "role": "viewer"})
    html = client.get(reverse("team:list")).content.decode()
    assert "Deactivated" in html and "Invited" in html and "Active" in html
    assert "other@annan.test" not in html


def test_uppsala_coordinator_cannot_reach_admin_pages(client, world):
    client.force_login(world.uppsala_coordinator)
    for url in (
        reverse("organisations:settings"),
        reverse("organisations:edit"),
        reverse("organisations:region_edit", args=[world.uppsala.uid]),
        reverse("organisations:project_edit", args=[world.project.uid]),
        reverse("team:list"),
        reverse("team:invite"),
        reverse("team:detail", args=[world.uppsala_coordinator.uid]),
    ):
        assert client.get(url).status_code == 403, url
    before = AuditEvent.objects.count()
    assert (
        client.post(
            reverse("team:detail", args=[world.uppsala_coordinator.uid]), {"role": "admin"}
        ).status_code
        == 403
    )
    world.uppsala_coordinator.refresh_from_db()
    assert world.uppsala_coordinator.role == Role.COORDINATOR and AuditEvent.objects.count() == before
    nav = client.get(reverse("core:staff_home")).content.decode()
    assert reverse("team:list") not in nav and reverse("organisations:settings") not in nav


def test_admin_of_another_organisation_gets_404(client, world):
    outsider = make_user("admin@annan.test", world.other_org, Role.ADMIN)
    client.force_login(outsider)
    member = world.uppsala_coordinator
    before = AuditEvent.objects.count()
    for url in (
        reverse("team:detail", args=[member.uid]),
        reverse("organisations:region_edit", args=[world.uppsala.uid]),
        reverse("organisations:project_edit", args=[world.project.uid]),
    ):
        assert client.get(url).status_code == 404, url
    for name in ("team:deactivate", "team:resend", "team:reactivate"):
        assert client.post(reverse(name, args=[member.uid])).status_code == 404, name
    assert client.post(reverse("team:detail", args=[member.uid]), {"role": "viewer"}).status_code == 404
    response = client.post(
        reverse("organisations:region_edit", args=[world.uppsala.uid]), {"name": "Taken over"}
    )
    assert response.status_code == 404
    member.refresh_from_db()
    world.uppsala.refresh_from_db()
    assert member.is_active and member.role == Role.COORDINATOR and world.uppsala.name == "Uppsala"
    assert AuditEvent.objects.count() == before
