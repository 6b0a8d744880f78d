"""Organisation admins edit settings, logo, regions and projects in Kompis's own pages."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kompis.audit.models import AuditEvent
from kompis.organisations.models import Organisation, OrganisationLogo, Project, Region


def settings_data(org: Organisation, **changes: object) -> dict:
    data = {
        "name": org.name,
        "contact_name": "Sara Kontakt",
        "contact_email": "kontakt@kompis.test",
        "contact_phone": "018-12 34 56",
        "privacy_notice_url": "https://kompis.test/integritet",
        "followup_days": "21",
        "reminder_days": "4",
    }
    data.update(changes)
    return data


def png(size: tuple[int, int] = (300, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (31, 95, 139)).save(out, format="PNG")
    return out.getvalue()


def test_the_organisations_contact_e_mail_cannot_be_emptied(client, world):
    """It is the contact (and Reply-To) of every participant mail whose region has no contact of its own."""
    world.org.contact_email = "kontakt@kompis.test"
    world.org.save()
    client.force_login(world.admin)
    response = client.post(reverse("organisations:edit"), settings_data(world.org, contact_email=""))
    assert response.status_code == 200 and "contact_email" in response.context["form"].errors
    assert "replies go to it" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.contact_email == "kontakt@kompis.test"


def test_settings_saved_through_the_service_with_an_audit_event(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("organisations:edit"), settings_data(world.org, name="Kompis Sverige"))
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert (world.org.name, world.org.followup_days, world.org.reminder_days) == ("Kompis Sverige", 21, 4)
    assert world.org.contact_email == "kontakt@kompis.test"
    assert world.org.slug == "kompisforeningen"  # printed sign-up links keep working
    event = AuditEvent.objects.get(action="organisation.settings_changed")
    assert "Kompis Sverige" not in str(event.data) and "name" in event.data["fields"]


def test_settings_refuse_nonsense_days_with_a_field_message(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisations:edit"), settings_data(world.org, followup_days="0", reminder_days="-3")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a number of days from 1 to 90." in html and "Enter a number of days from 1 to 60." in html
    world.org.refresh_from_db()
    assert (
        world.org.followup_days == 14
        and not AuditEvent.objects.filter(action__startswith="organisation.").exists()
    )


def test_logo_upload_is_served_and_shown_in_staff_and_signup_headers(client, world):
    client.force_login(world.admin)
    upload = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = client.post(reverse("organisations:edit"), {**settings_data(world.org), "logo": upload})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.logo_version
    url = reverse("organisation_public:logo", args=[world.org.uid, world.org.logo_version])
    assert url in client.get(reverse("core:staff_home")).content.decode()
    client.logout()
    assert url in client.get(reverse("public:signup", args=[world.org.slug])).content.decode()
    image = client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "immutable" in image["Cache-Control"] and "sandbox" in image["Content-Security-Policy"]
    assert Image.open(io.BytesIO(image.content)).size == (300, 90)
    stale = client.get(reverse("organisation_public:logo", args=[world.org.uid, "0000"]))
    assert stale.status_code == 302 and stale["Location"] == url


def test_big_logo_is_scaled_and_stripped_of_extra_data(client, world):
    client.force_login(world.admin)
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), (200, 10, 10)).save(
        out, format="JPEG", comment=b"<script>alert(1)</script>"
    )
    raw = out.getvalue()
    assert b"<script>" in raw
    upload = SimpleUploadedFile("logo.jpg", raw, content_type="image/jpeg")
    assert (
        client.post(reverse("organisations:edit"), {**settings_data(world.org), "logo": upload}).status_code
        == 302
    )
    stored = OrganisationLogo.objects.get(organisation=world.org)
    assert stored.content_type == "image/jpeg" and b"<script>" not in bytes(stored.data)
    assert Image.open(io.BytesIO(bytes(stored.data))).size == (720, 240)


def test_svg_and_broken_logos_are_refused_with_a_message(client, world):
    client.force_login(world.admin)
    cases = {
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>': "SVG logos are not accepted",
        b"GIF89a not allowed": "must be a PNG or JPEG",
        b"\x89PNG\r\n\x1a\n" + b"broken" * 10: "damaged or not an image",
        b"\x89PNG\r\n\x1a\n" + b"0" * (600 * 1024): "larger than 512 KB",
    }
    for content, message in cases.items():
        upload = SimpleUploadedFile("logo.png", content, content_type="image/png")
        response = client.post(reverse("organisations:edit"), {**settings_data(world.org), "logo": upload})
        assert response.status_code == 200 and message in response.content.decode(), message
    assert not OrganisationLogo.objects.exists()
    world.org.refresh_from_db()
    assert world.org.logo_version == "" and world.org.contact_email == ""  # nothing half-written


def test_logo_can_be_removed(client, world):
    client.force_login(world.admin)
    upload = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    client.post(reverse("organisations:edit"), {**settings_data(world.org), "logo": upload})
    world.org.refresh_from_db()
    url = reverse("organisation_public:logo", args=[world.org.uid, world.org.logo_version])
    assert client.post(reverse("organisations:logo_remove")).status_code == 302
    world.org.refresh_from_db()
    assert world.org.logo_version == "" and client.get(url).status_code == 404


# --- regions ------------------------------------------------------------------------------------------


def test_region_created_with_municipalities_and_contact(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("organisations:region_new")).content.decode()
    assert page.count('name="municipalities"') == 290 and "Uppsala län" in page
    assert "(in Danderyd)" in page  # municipalities of other regions are marked
    response = client.post(
        reverse("organisations:region_new"),
        {
            "name": "Stockholm",
            "contact_name": "Ali Kontakt",
            "contact_email": "stockholm@kompis.test",
            "municipalities": ["0180", "0184"],
        },
    )
    assert response.status_code == 302
    region = Region.objects.get(organisation=world.org, name="Stockholm")
    assert sorted(region.municipalities.values_list("code", flat=True)) == ["0180", "0184"]
    assert region.contact_email == "stockholm@kompis.test"
    event = AuditEvent.objects.get(action="region.created")
    assert event.data == {"municipalities": ["0180", "0184"]}


def test_region_name_taken_and_municipality_of_another_region_are_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisations:region_new"), {"name": "uppsala ", "municipalities": ["0162", "0180"]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is already a region called “uppsala”." in html
    assert "Danderyd belongs to the region Danderyd already." in html
    assert not Region.objects.filter(municipalities="0180").exists()


def test_region_edit_moves_municipalities(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisations:region_edit", args=[world.uppsala.uid]),
        {"name": "Uppsala län", "municipalities": ["0380", "0305"], "contact_email": "uppsala@kompis.test"},
    )
    assert response.status_code == 302
    world.uppsala.refresh_from_db()
    assert world.uppsala.name == "Uppsala län"
    assert sorted(world.uppsala.municipalities.values_list("code", flat=True)) == ["0305", "0380"]
    event = AuditEvent.objects.get(action="region.changed")
    assert event.data["municipalities_removed"] == ["0360"]
    # the other organisation's region covering 0380 is untouched and never in the way
    assert world.other_org.regions.get().municipalities.filter(code="0380").exists()


# --- projects -----------------------------------------------------------------------------------------


def project_data(**changes: object) -> dict:
    data = {
        "name": "Mentorskap Luleå",
        "funder": "Arvsfonden",
        "region": "",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "description": "",
        "target_individual_matches": "40",
        "target_confirmed_meetings": "",
    }
    data.update(changes)
    return data


def test_project_created_with_targets(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("organisations:project_new"), project_data(region=str(world.lulea.pk)))
    assert response.status_code == 302
    project = Project.objects.get(name="Mentorskap Luleå")
    assert project.organisation == world.org and project.region == world.lulea
    assert {t.kind: t.target for t in project.targets.all()} == {"individual_matches": 40}
    assert "Mentorskap Luleå" in client.get(reverse("organisations:settings")).content.decode()


def test_project_ending_before_it_starts_or_negative_target_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisations:project_new"),
        project_data(starts_on="2027-06-01", ends_on="2027-01-01", target_signups="-5"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The project cannot end before it starts." in html and "A target cannot be negative." in html
    assert not Project.objects.filter(name="Mentorskap Luleå").exists()


def test_project_targets_changed_and_removed(client, world):
    client.force_login(world.admin)
    data = project_data(
        name=world.project.name,
        region=str(world.uppsala.pk),
        starts_on="2026-01-01",
        ends_on="2026-12-31",
        target_family_matches="40",
        target_individual_matches="",
    )
    response = client.post(reverse("organisations:project_edit", args=[world.project.uid]), data)
    assert response.status_code == 302
    assert {t.kind: t.target for t in world.project.targets.all()} == {"family_matches": 40}
    event = AuditEvent.objects.get(action="project.changed")
    assert event.data["targets"] == {"family_matches": 40, "individual_matches": None}


def test_project_region_of_another_organisation_is_refused(client, world):
    client.force_login(world.admin)
    foreign = world.other_org.regions.get()
    response = client.post(reverse("organisations:project_new"), project_data(region=str(foreign.pk)))
    assert response.status_code == 200 and not Project.objects.filter(name="Mentorskap Luleå").exists()


def test_pages_render_in_arabic(client, world):
    client.force_login(world.admin)
    client.cookies["kompis_language"] = "ar"
    for url in (
        reverse("organisations:settings"),
        reverse("organisations:edit"),
        reverse("organisations:region_edit", args=[world.uppsala.uid]),
        reverse("organisations:project_edit", args=[world.project.uid]),
        reverse("team:list"),
        reverse("team:invite"),
    ):
        response = client.get(url)
        assert response.status_code == 200 and 'dir="rtl"' in response.content.decode(), url


def test_project_targets_offer_programme_and_event_figures(client, world):
    """A project that funds a mentor programme or a language café sets targets for their figures too (the
    registered figures offered as targets); a figure that is a share or a breakdown is not offered."""
    client.force_login(world.admin)
    page = client.get(reverse("organisations:project_new")).content.decode()
    assert 'name="target_programme_completed"' in page and 'name="target_events_held"' in page
    assert 'name="target_programme_attendance_rate"' not in page
    assert 'name="target_programme_dropped_out"' not in page
    response = client.post(
        reverse("organisations:project_new"),
        project_data(target_programme_completed="118", target_event_unique_attendees="300"),
    )
    assert response.status_code == 302
    project = Project.objects.get(name="Mentorskap Luleå")
    assert {t.kind: t.target for t in project.targets.all()} == {
        "individual_matches": 40,
        "programme_completed": 118,
        "event_unique_attendees": 300,
    }
