"""The staff import pages: upload → preview → confirm; rejected rows download; access."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kompis.audit.models import AuditEvent
from kompis.participants.models import Participant
from tests.importing.conftest import csv_bytes, row


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


NOT_AVAILABLE = "This upload is no longer available. Please upload the file again."


def upload(client, data: bytes, name: str = "people.csv"):
    return client.post(
        reverse("participants:import_preview"),
        {"file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def key_of(response) -> str:
    return response.context["key"]


def test_upload_preview_and_import_all(client, world, settings):
    client.force_login(world.uppsala_coordinator)
    assert client.get(reverse("participants:import")).status_code == 200
    response = upload(client, csv_bytes([row("P1"), row("P2")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import all 2 rows" in html and "Import only" not in html
    assert 'id="count-valid">2<' in html and 'id="count-rejected">0<' in html
    assert "GenP1" in html  # a sample of the valid rows
    assert not Participant.objects.exists(), "the preview writes nothing"
    stored = list((Path(settings.MEDIA_ROOT) / "imports").iterdir())
    assert len(stored) == 1 and stored[0].name == key_of(response)
    response = client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"})
    assert response.status_code == 302 and response["Location"] == reverse("participants:list")
    assert sorted(Participant.objects.values_list("external_ref", flat=True)) == ["P1", "P2"]
    assert (
        AuditEvent.objects.filter(action="participant.imported", actor=world.uppsala_coordinator).count() == 2
    )
    assert not any((Path(settings.MEDIA_ROOT) / "imports").iterdir()), "the stored file is removed"


def test_preview_lists_errors_and_offers_only_valid_rows(client, world):
    client.force_login(world.admin)
    response = upload(client, csv_bytes([row("P1"), row("P2", signed_up="yesterday"), row("P3")]))
    html = response.content.decode()
    assert "Import all" not in html and "Import only the 2 valid rows" in html
    assert 'id="count-rows">3<' in html and 'id="count-rejected">1<' in html
    errors = response.context["errors"]
    assert [(e.line, e.column, e.value) for e in errors] == [(3, "signed_up", "yesterday")]
    assert "is not a date (YYYY-MM-DD)" in html
    # "import all" is refused while a row is invalid, even if posted by hand
    response = client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"})
    assert response.status_code == 200 and not Participant.objects.exists()


def test_valid_only_import_and_rejected_rows_download(client, world):
    client.force_login(world.admin)
    data = csv_bytes(
        [row("P1"), row("P2", gender="female"), row("P3"), row("P4", languages="sv;xx")],
        delimiter=";",
        bom=True,
    )
    key = key_of(upload(client, data, "Deltagare.csv"))
    # before the import
    response = client.post(reverse("participants:import_rejected"), {"key": key})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Deltagare-rejected.csv"'
    before = response.content
    response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "valid"})
    assert response.status_code == 302 and response["Location"] == reverse("participants:import")
    assert sorted(Participant.objects.values_list("external_ref", flat=True)) == ["P1", "P3"]
    page = client.get(reverse("participants:import")).content.decode()
    assert "Imported 2 participants. 2 rows were rejected." in page and "Download the rejected rows" in page
    # after the import: still the rows rejected then (P1 and P3 now exist, but were imported)
    response = client.post(reverse("participants:import_rejected"), {"key": key})
    assert response.content == before
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";")[-1] == "errors" and len(lines) == 3
    assert lines[1].startswith("P2;") and "column gender: 'female' is not one of" in lines[1]
    assert lines[2].startswith("P4;") and "'xx' is not a language Kompis knows" in lines[2]
    # a second confirm imports nothing more
    response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "valid"})
    assert "This file has already been imported." in response.content.decode()
    assert Participant.objects.count() == 2


def test_confirm_revalidates_the_stored_file(client, world):
    from tests.factories import ParticipantFactory

    client.force_login(world.admin)
    key = key_of(upload(client, csv_bytes([row("P1"), row("P2")])))
    ParticipantFactory(organisation=world.org, external_ref="P2")  # added after the preview
    response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "all"})
    assert response.status_code == 200
    assert "Row 3, column id: 'P2' already exists" in " ".join(e.message for e in response.context["errors"])
    assert not Participant.objects.filter(external_ref="P1").exists()


def test_xlsx_upload(client, world):
    from kompis.participants.importing import CONTRACT_COLUMNS
    from tests.importing.conftest import xlsx_bytes

    client.force_login(world.admin)
    values = row("X1")
    data = xlsx_bytes([[values[c] for c in CONTRACT_COLUMNS]], list(CONTRACT_COLUMNS))
    response = upload(client, data, "people.xlsx")
    assert response.context["validation"].ok
    client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"})
    assert Participant.objects.filter(external_ref="X1", first_name="X1").exists()


def test_bad_files_are_explained_on_the_form(client, world):
    client.force_login(world.admin)
    response = upload(client, b"", "empty.csv")
    assert response.status_code == 200 and "The submitted file is empty." in response.content.decode()
    response = upload(client, b"id,role\nP1,newcomer\n", "a.csv")
    assert "The file lacks the required columns" in response.content.decode()
    response = upload(client, b"%PDF-1.4\x00\x00", "scan.pdf")
    assert "This is not a CSV or XLSX file." in response.content.decode()


def test_upload_size_limit(client, world, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(world.admin)
    response = upload(client, csv_bytes([row("P1")]))
    assert "The file is larger than" in response.content.decode()
    assert not Participant.objects.exists()


def test_coordinator_cannot_import_rows_outside_their_regions(client, world):
    """Issue 10 §6: the Danderyd coordinator's Uppsala row is rejected (it was only a warning before)."""
    client.force_login(world.danderyd_coordinator)
    response = upload(
        client, csv_bytes([row("P1", municipality_code="0162"), row("P2", municipality_code="0380")])
    )
    validation = response.context["validation"]
    assert validation.valid_count == 1 and validation.rejected_count == 1
    assert [e.message for e in validation.errors] == [
        "Row 3, column municipality_code: '0380' (Uppsala) is outside your regions; you can only add people "
        "who live in your own regions."
    ]
    html = response.content.decode()
    assert "Import all" not in html and "is outside your regions" in html
    # "import all" posted by hand is refused; nothing is written
    client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"})
    assert not Participant.objects.exists()
    client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "valid"})
    imported = {p.external_ref: p for p in Participant.objects.all()}
    assert list(imported) == ["P1"] and imported["P1"].region == world.danderyd


def test_admin_imports_anywhere_in_the_organisation(client, world):
    client.force_login(world.admin)
    response = upload(
        client, csv_bytes([row("P1", municipality_code="0162"), row("P2", municipality_code="0380")])
    )
    client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"})
    imported = {p.external_ref: p for p in Participant.objects.all()}
    assert imported["P1"].region == world.danderyd and imported["P2"].region == world.uppsala


# --- access -----------------------------------------------------------------------------------------


def test_viewer_gets_403_and_anonymous_goes_to_login(client, world):
    data = csv_bytes([row("P1")])
    for method, name, body in (
        ("get", "participants:import", {}),
        ("post", "participants:import_preview", {"file": SimpleUploadedFile("a.csv", data)}),
        ("post", "participants:import_confirm", {"key": "x" * 32, "mode": "all"}),
        ("post", "participants:import_rejected", {"key": "x" * 32}),
        ("get", "participants:export", {}),
    ):
        url = reverse(name, args=["csv"]) if name == "participants:export" else reverse(name)
        client.logout()
        response = getattr(client, method)(url, body)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], name
        client.force_login(world.viewer)
        assert getattr(client, method)(url, body).status_code == 403, name
    assert not Participant.objects.exists()


def test_other_organisations_coordinator_cannot_use_our_upload(client, world, settings):
    client.force_login(world.admin)
    key = key_of(upload(client, csv_bytes([row("P1")])))
    for intruder in (world.other_coordinator, world.uppsala_coordinator):
        client.force_login(intruder)
        response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "all"})
        assert NOT_AVAILABLE in response.content.decode()
        response = client.post(reverse("participants:import_rejected"), {"key": key})
        assert NOT_AVAILABLE in response.content.decode() and "attachment" not in response.get(
            "Content-Disposition", ""
        )
    assert not Participant.objects.exists()


def test_other_organisations_coordinator_imports_into_their_own_organisation(client, world):
    client.force_login(world.other_coordinator)
    response = upload(client, csv_bytes([row("P1")]))
    client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"})
    assert list(Participant.objects.values_list("organisation__slug", flat=True)) == ["annan"]


def test_bad_keys_are_refused(client, world):
    client.force_login(world.admin)
    for key in ("", "../../etc", "a" * 32):
        response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "all"})
        assert response.status_code == 200 and NOT_AVAILABLE in response.content.decode()
    assert not Participant.objects.exists()


def test_old_uploads_expire(client, world, settings):
    import os
    import time

    client.force_login(world.admin)
    key = key_of(upload(client, csv_bytes([row("P1")])))
    folder = Path(settings.MEDIA_ROOT) / "imports" / key
    old = time.time() - 25 * 3600
    for path in (folder / "upload", folder):
        os.utime(path, (old, old))
    response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "all"})
    assert NOT_AVAILABLE in response.content.decode() and not Participant.objects.exists()
    upload(client, csv_bytes([row("P1")]))  # a new upload sweeps the expired one away
    assert not folder.exists()
